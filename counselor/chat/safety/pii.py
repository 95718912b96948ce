"""Mask personal identifiers in a citizen's text before it is stored, logged or sent to a model.

Counsellors never need the numbers themselves: a caseworker asks again on a verified channel. Masking is
deliberately wide (a false mask costs a retype; a leak cannot be undone) but leaves money amounts, dates and
the short national numbers of offices (1644-6621, 129) alone.

How: the text is normalised first (NFKC turns full-width digits and ＠ into ASCII; every dash variant becomes
"-"; runs of Korean digit words, 공일공..., become digits), keeping a map back to the original characters.
Digits are then read as *runs*: digits joined by at most three separators (space, - . / _ and brackets), so
"010 - 2233 - 4455", "9 0 0 1 0 1-..." and "(010) 2233-4455" are one run each. A run is classified by its
digits (a valid birth date in a 13-digit run is a resident number, whatever the 7th digit; Luhn or 4-4-4-4
grouping makes a card; 82/+82 and the Korean prefixes make a phone) and every run of 10 or more digits that is
not an amount is masked whatever it is. The patterns for passports and the resident number's date check follow
Microsoft Presidio's Korean recognizers (presidio-analyzer, ``kr_passport_recognizer``, ``kr_rrn_recognizer``);
Presidio itself needs spaCy, which is too heavy to pull in for five patterns. The resident number's check digit
is not required: numbers issued since October 2020 have none.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

LABELS = {
    "rrn": "[주민등록번호]",
    "card": "[카드번호]",
    "email": "[이메일]",
    "phone": "[전화번호]",
    "account": "[계좌번호]",
    "passport": "[여권번호]",
}
KIND_ORDER = list(LABELS)

_DASHES = {ord(c): "-" for c in "‐‑‒–—―−﹘﹣－ー"}
_KO_DIGIT = {"공": "0", "영": "0", "일": "1", "이": "2", "삼": "3", "사": "4", "오": "5", "육": "6", "륙": "6"}
_KO_DIGIT |= {"칠": "7", "팔": "8", "구": "9"}
_KO = "공영일이삼사오육륙칠팔구"
# Six or more digit words, or three or more beside real digits ("공일공 3383 3710").
_KO_RUN = re.compile(
    rf"[{_KO}](?:[\s-]{{0,3}}[{_KO}]){{5,}}|(?<=[\d\s-])[{_KO}]{{3,}}(?=[\s\d-])|(?<![가-힣])[{_KO}]{{3,}}(?=[\s-]*\d)"
)
_KO_SHORT = re.compile(rf"[{_KO}]{{3,}}")
_SPOKEN_DASH = re.compile(rf"(?<=[\d{_KO}])\s*다시\s*(?=[\d{_KO}]|$)")
# Digits joined by up to three separators; a dot followed by a space ends a sentence, not a group.
_SEP = r"(?:-+|[\s/_()\[\]]|\.(?!\s)){0,3}"
_RUN = re.compile(rf"(?<![0-9A-Za-z.])\+?(?:\(\s*)?\d(?:{_SEP}\d)*")  # Korean may touch it: 번호는010...
_AMOUNT_AFTER = re.compile(r"\s?(?:원|만|천|억|조|won\b|krw\b|%|달러|\$)", re.IGNORECASE)
_AMOUNT_BEFORE = re.compile(r"(?:₩|\$|krw|won)\s?$", re.IGNORECASE)
_RRN_CONTEXT = re.compile(r"(?i)(주민|앞자리|뒷자리|뒷번호|등록번호|외국인|\brrn\b|resident)")
# What a number is, said just before it: then even part of one is masked (the rest may come next message).
_CONTEXT = (
    ("card", re.compile(r"(?i)(카드|card)")),
    ("phone", re.compile(r"(?i)(전화|연락처|휴대폰|핸드폰|번호는|phone|mobile|number is|\btel\b)")),
    (
        "account",
        re.compile(
            r"(?i)(은행|뱅크|통장|계좌|농협|신한|국민|우리|하나|기업|우체국|새마을|신협|수협|토스|사업자|"
            r"account|bank|shinhan|woori|hana|kakao|toss|\bnh\b|\bkb\b|\bibk\b)"
        ),
    ),
)
# A landline can be the citizen's or an office's: masked unless the text says it is one the citizen calls.
_OFFICE = re.compile(
    r"(?i)(시청|구청|군청|도청|주민센터|복지센터|센터|공단|대표|민원|복지.{0,3}과|상담|문의|안내|"
    r"신청|(에|로|으로)\s?(전화|하면|문의)|전화(했|하|해)|\bcall\b|office|hotline|city hall)"
)
_PERSONAL = re.compile(
    r"(?i)(제 |저의|내 |우리\s?집|집\s?전화|자택|연락처|연락\s?주|문자|\bmy\b|reach me|home|contact)"
)
_PASSPORT = re.compile(r"(?<![A-Za-z0-9])[MSRODGmsrodg](?:\d{3}[A-Za-z]\d{4}|\d{8})(?![0-9])")
_PASSPORT_CONTEXT = re.compile(
    r"(?i)(?:여권|passport)[^\n]{0,20}?(?<![A-Za-z0-9])([A-Za-z]{1,2}[\s-]?\d[0-9A-Za-z]*(?:[\s-]?[0-9A-Za-z]*\d)?)(?![0-9])"
)
_AT = r"(?:\s*@\s*|\s*[(\[]at[)\]]\s*|\s+at\s+|\s*골뱅이\s*)"
_DOT = r"(?:\s*\.\s*|\s*[(\[]dot[)\]]\s*|\s+dot\s+|\s*점\s*|\s*닷\s*)"
_EMAIL_PLAIN = re.compile(r"[A-Za-z0-9._%+-]+\s*@\s*[A-Za-z0-9-]+(?:\s*\.\s*[A-Za-z0-9-]+)*\s*\.\s*[A-Za-z]{2,}")
_EMAIL_HALF = re.compile(
    r"[A-Za-z0-9._%+-]+\s*@\s*$|^\s*@\s*[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+|"
    r"|(?<=email is )[A-Za-z0-9._%+-]{3,}|(?<=메일은 )[A-Za-z0-9._%+-]{3,}|(?<=메일 )[A-Za-z0-9._%+-]{3,}",
    re.IGNORECASE,
)
_EMAIL_SPELLED = re.compile(
    rf"[A-Za-z0-9._%+-]+{_AT}[A-Za-z0-9-]+(?:{_DOT}[A-Za-z0-9-]+)*{_DOT}"
    r"(?:com|net|org|kr|io|me|edu|gov|biz|info|jp|cn|컴)(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_PHONE = re.compile(r"0(?:1[016789]\d{7,8}|2\d{7,8}|[3-6][1-5]\d{7,8}|70\d{8}|50\d{8,9})")


@dataclass(frozen=True)
class Masked:
    text: str
    kinds: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.kinds)


def _normalise(text: str) -> tuple[str, list[int]]:
    """The text to match on, and for each of its characters the index of the original one it came from."""
    chars: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        for c in unicodedata.normalize("NFKC", ch).translate(_DASHES):
            chars.append(c)
            where.append(i)
    norm = "".join(chars)
    # Same length in, same length out: the map stays valid.
    norm = _SPOKEN_DASH.sub(lambda m: "-" * len(m.group(0)), norm)
    norm = _KO_RUN.sub(lambda m: "".join(_KO_DIGIT.get(c, c) for c in m.group(0)), norm)
    return norm, where


def _date(six: str) -> bool:
    month, day = int(six[2:4]), int(six[4:6])
    return 1 <= month <= 12 and 1 <= day <= 31


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _phone(run: str, digits: str) -> bool:
    if run.startswith("+82") or (digits.startswith("82") and len(digits) in (11, 12)):
        digits = "0" + digits[2:]
    return bool(_PHONE.fullmatch(digits))


def _landline(digits: str) -> bool:
    return not digits.startswith(("01", "82"))


def _classify(norm: str, start: int, end: int) -> str | None:
    """The kind of identifier the digit run ``norm[start:end]`` is, or None to leave it."""
    run = norm[start:end]
    digits = re.sub(r"\D", "", run)
    n = len(digits)
    before, after = norm[max(0, start - 20) : start], norm[end : end + 4]
    if n >= 10 and (_AMOUNT_AFTER.match(after) or _AMOUNT_BEFORE.search(before)):
        return None  # 1000000000원: an amount
    if n == 13 and _date(digits[:6]):
        return "rrn"
    if _phone(run, digits):
        near = norm[max(0, start - 20) : end + 12]
        if _landline(digits) and not run.startswith("+") and _OFFICE.search(near) and not _PERSONAL.search(near):
            return None  # the city hall's number the citizen called
        return "phone"
    if n in (15, 16) and (_luhn(digits) or [len(g) for g in re.findall(r"\d+", run)] == [4, 4, 4, 4]):
        return "card"
    if n >= 10:
        return "account"
    # Partial identifiers: a number split across two messages leaves each half in one of them.
    if re.match(r"01[016789]", digits) and n >= 7:
        return "phone"
    if n == 6 and _date(digits) and (re.match(r"\s?-(?!\s?\d)", after) or _RRN_CONTEXT.search(before)):
        return "rrn"
    if n == 7 and digits[0] in "12345678" and _RRN_CONTEXT.search(before):
        return "rrn"
    if n >= 5 or (n == 3 and re.fullmatch(r"01[016789]|0[2-6]\d?", digits) and end >= len(norm.rstrip())):
        for kind, context in _CONTEXT:
            if context.search(before):
                return kind
    return None


_LAST_LABEL = re.compile(r"\[(" + "|".join(re.escape(v[1:-1]) for v in LABELS.values()) + r")\][\s\-.,]*(다시)?\s*$")
_CONTINUED = re.compile(
    rf"^\W{{0,3}}(?:[@A-Za-z]?[0-9A-Za-z.@\-]*\d[0-9A-Za-z.@\-]*|@?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+|[{_KO}]{{3,}})"
)


def _spans(norm: str) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e, _ in found)

    for m in _PASSPORT_CONTEXT.finditer(norm):
        if sum(c.isdigit() for c in m.group(1)) >= 4:
            found.append((m.start(1), m.end(1), "passport"))
    for kind, pattern in (
        ("email", _EMAIL_PLAIN),
        ("email", _EMAIL_SPELLED),
        ("email", _EMAIL_HALF),
        ("passport", _PASSPORT),
    ):
        for m in pattern.finditer(norm):
            if m.end() > m.start() and free(m.start(), m.end()):
                found.append((m.start(), m.end(), kind))
    for m in _RUN.finditer(norm):
        run_kind = _classify(norm, m.start(), m.end())
        if run_kind is not None and free(m.start(), m.end()):
            found.append((m.start(), m.end(), run_kind))
    return sorted(found)


def mask_identifiers(text: str, before: str = "") -> Masked:
    """``text`` with its identifiers replaced by labels. ``before``: the citizen's previous message as stored;
    when it ended in a masked identifier, what this one starts with is taken for the rest of it."""
    norm, where = _normalise(text)
    spans = _spans(norm)
    last = _LAST_LABEL.search(before)
    if last:
        kind = next(k for k, v in LABELS.items() if v[1:-1] == last.group(1))
        words = _KO_SHORT.sub(lambda m: "".join(_KO_DIGIT.get(c, c) for c in m.group(0)), norm)
        head = _CONTINUED.match(words)
        if head and all(head.end() <= s or head.start() >= e for s, e, _ in spans):
            spans = sorted([*spans, (head.start(), head.end(), kind)])
    if not spans:
        return Masked(text=text, kinds=[])
    out: list[str] = []
    cursor = 0
    kinds: set[str] = set()
    for start, end, kind in spans:
        a, b = where[start], where[end - 1] + 1
        if a < cursor:
            continue
        out.append(text[cursor:a])
        out.append(LABELS[kind])
        kinds.add(kind)
        cursor = b
    out.append(text[cursor:])
    return Masked(text="".join(out), kinds=[k for k in KIND_ORDER if k in kinds])
