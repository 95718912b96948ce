"""What an answer says that a citizen would act on, and whether a source says it too.

A model invents exactly these: a phone number to call, a web or e-mail address, an office to visit, a date or
deadline, an age limit, an amount. Each is found in the answer as a :class:`Claim` and compared with what the
cited sources say *in the same kind*: "7세" is not grounded by a "7" somewhere in the source, only by an age 7
there; "bokjiro.go.kr/apply" is not grounded by "www.bokjiro.go.kr". Amounts and plain numbers compare as values
(counselor/chat/numbers.py), so "33만 4,810원" and "334,810 won" are one amount.

What the counselor itself gives without a source — its 24-hour hotlines and the offices every citizen has (a
주민센터, a 구청) — is always grounded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from counselor.chat.numbers import HOTLINES, QUANTITY, numbers_in


class ClaimKind(StrEnum):
    PHONE = "phone"
    URL = "url"
    EMAIL = "email"
    OFFICE = "office"
    DATE = "date"
    AGE = "age"
    AMOUNT = "amount"
    NUMBER = "number"


CONTACTS = frozenset({ClaimKind.PHONE, ClaimKind.URL, ClaimKind.EMAIL})


@dataclass(frozen=True)
class Claim:
    kind: ClaimKind
    text: str
    start: int
    end: int


_PHONE = re.compile(
    r"(?<![\d,])(?:0\d{1,2}\s?[-.)]\s?\d{3,4}\s?[-.]\s?\d{4}|1[5-9]\d{2}\s?-\s?\d{4}|01\d{8,9}|0\d{8,9})(?!,?\d)"
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL_CHARS = r"[^\s<>()\[\]가-힣\"'`,]"
_URL = re.compile(
    rf"(?:https?://|www\.){_URL_CHARS}+"
    r"|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:go\.kr|or\.kr|co\.kr|re\.kr|ac\.kr|kr|com|net|org|info|io)\b"
    rf"(?:/{_URL_CHARS}*)?",
    re.IGNORECASE,
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DATES = [
    # (pattern, group of year, month, day); a group 0 means absent
    (re.compile(r"(?<!\d)(\d{4})\s*[.\-/]\s*(\d{1,2})\s*[.\-/]\s*(\d{1,2})(?!\d)"), (1, 2, 3)),
    (re.compile(r"(?:(\d{4})\s*년\s*)?(?<!\d)(\d{1,2})\s*월(?:\s*(\d{1,2})\s*일)?"), (1, 2, 3)),
    (re.compile(r"(?<!\d)(\d{4})\s*년(?!\s*\d)"), (1, 0, 0)),
    (re.compile(rf"\b{_MONTH}\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?", re.IGNORECASE), (3, 1, 2)),
    (re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b(?:,?\s+(\d{{4}}))?", re.IGNORECASE), (3, 2, 1)),
]
# "3세대" is three generations and "세금" a tax: 세 followed by these is no age ("세부터" is one).
_AGE_KO = r"(?:만\s*)?(?<![\d,.])(\d{1,3})\s*(?:세(?![대금액입율출])|살)"
_AGES = [
    re.compile(rf"(?:만\s*)?(\d{{1,3}})(?:\s*(?:세|살))?\s*[~\-–]\s*{_AGE_KO}"),
    re.compile(_AGE_KO),
    re.compile(r"\bage[sd]?\s+(\d{1,3})(?![\d,.]\d)(?:\s*(?:-|–|to)\s*(\d{1,3}))?", re.IGNORECASE),
    re.compile(r"(?<![\d,.])\b(\d{1,3})\s*(?:years?\s+old|-year-olds?|years?\s+of\s+age)", re.IGNORECASE),
    re.compile(r"(?<![\d,.])\b(\d{1,3})\s+(?:or|and)\s+(?:older|over|above|younger|under)\b", re.IGNORECASE),
    re.compile(
        r"\b(?:under|over|below|above)\s+(?:the\s+age\s+of\s+)?(\d{1,3})\b(?![\d,.]\d|\s*(?:won|%|percent|million))",
        re.IGNORECASE,
    ),
]
_AMOUNT = re.compile(
    rf"(?:{QUANTITY.pattern})\s*(?:원|won\b|KRW\b|%|퍼센트|percent\b)|₩\s*(?:{QUANTITY.pattern})", re.IGNORECASE
)
_NOISE = re.compile(r"\[\d{1,2}\]|^\s*\d+[.)]\s", re.MULTILINE)  # citation marks and list numbering
_WORD_KO = re.compile(r"[가-힣]+")
_JOSA = frozenset("에서는도을를이가은의와과로으까지나만부터께게랑")  # the particles an office's name may carry
_OFFICE_KO = re.compile(
    "센터|공단|공사|지사|지청|구청|시청|군청|도청|사무소|복지관|상담소|보건소|재단|협회|진흥원|관리원|본부|위원회"
    "|복지부|노동부|가족부|교통부|교육부|안전부|보훈부|법무부|재정부|기업부"
)
_OFFICE_EN = re.compile(
    r"\b(?:[A-Z][\w'&-]*\s+(?:(?:of|and|for|the)\s+)?){1,6}"
    r"(?:Center|Centre|Office|Service|Agency|Corporation|Foundation|Administration|Institute|Association|Hall)\b"
    r"|\bMinistry\s+of\s+(?:[A-Z][\w'-]*(?:\s+and\s+|\s+)?){1,4}"
)
# Offices every citizen has, named without a place (pointing there invents nothing), and the offices behind the
# counselor's own hotlines (prompts/replies.yaml); written without spaces, as names are compared.
_KNOWN_OFFICES = re.compile(
    "주민센터|행정복지센터|읍면동주민센터|시군구청|구청|시청|군청|보건소|동사무소|읍사무소|면사무소|보건복지상담센터"
    "|(?:the)?(?:communityservicecenter|communitycenter|districtoffice|cityhall|publichealthcenter)"
    "|(?:the)?(?:healthandwelfarecallcenter|women'semergencyline)"
)


_HOTLINE = re.compile(r"☎\s*(\d[\d-]*\d)")


def _phone_digits(text: str) -> set[str]:
    return {re.sub(r"\D", "", m.group(0)) for m in _PHONE.finditer(text)}


def _short_url(url: str) -> str:
    url = url.lower().rstrip(".,;:!?/")
    return re.sub(r"^(?:https?://)?(?:www\.)?", "", url)


def _office(word: str) -> str | None:
    """The office a Korean word names ("국민연금공단에서도" -> "국민연금공단"), or None."""
    end = max((m.end() for m in _OFFICE_KO.finditer(word)), default=0)
    rest = word[end:]
    if not end or len(rest) > 4 or any(ch not in _JOSA for ch in rest):
        return None  # "센터장" is a person; "공사비" a cost
    core = word[:end]
    return None if _OFFICE_KO.fullmatch(core) else core  # a bare "센터" or "지사" names no particular office


def _date_key(match: re.Match[str], groups: tuple[int, int, int]) -> tuple[int | None, int | None, int | None]:
    def part(n: int) -> str | None:
        return match.group(n) if n else None

    year, month, day = (part(n) for n in groups)
    if month and not month.isdigit():
        month = str(_MONTHS.index(month.lower()[:3]) + 1)
    return (int(year) if year else None, int(month) if month else None, int(day) if day else None)


def claims_in(text: str) -> list[Claim]:
    """Every claim in ``text``, in order; a span belongs to one claim (a phone number is no amount)."""
    clean = _NOISE.sub(lambda m: " " * len(m.group(0)), text)
    taken = [False] * len(clean)
    found: list[Claim] = []

    def add(kind: ClaimKind, start: int, end: int) -> None:
        if start < end and not any(taken[start:end]):
            taken[start:end] = [True] * (end - start)
            found.append(Claim(kind, text[start:end].strip(), start, end))

    for kind, pattern in ((ClaimKind.EMAIL, _EMAIL), (ClaimKind.URL, _URL), (ClaimKind.PHONE, _PHONE)):
        for m in pattern.finditer(clean):
            end = m.end() - (len(m.group(0)) - len(m.group(0).rstrip(".,;:!?")))
            add(kind, m.start(), end)
    for date, _ in _DATES:
        for m in date.finditer(clean):
            add(ClaimKind.DATE, m.start(), m.end())
    for age in _AGES:
        for m in age.finditer(clean):
            add(ClaimKind.AGE, m.start(), m.end())
    for m in _AMOUNT.finditer(clean):
        add(ClaimKind.AMOUNT, m.start(), m.end())
    for m in _WORD_KO.finditer(clean):
        office = _office(m.group(0))
        if office:
            add(ClaimKind.OFFICE, m.start(), m.start() + len(office))
    for m in _OFFICE_EN.finditer(clean):
        add(ClaimKind.OFFICE, m.start(), m.end())
    for m in QUANTITY.finditer(clean):
        add(ClaimKind.NUMBER, m.start(), m.end() - (len(m.group(0)) - len(m.group(0).rstrip(", "))))
    return sorted(found, key=lambda c: c.start)


def _ages(text: str) -> set[int]:
    ages: set[int] = set()
    for pattern in _AGES:
        for m in pattern.finditer(text):
            ages.update(int(g) for g in m.groups() if g)
    return ages


def _dates(text: str) -> set[tuple[int | None, int | None, int | None]]:
    return {_date_key(m, groups) for pattern, groups in _DATES for m in pattern.finditer(text)}


def _amounts(text: str) -> set[float]:
    return {v for m in _AMOUNT.finditer(text) for v in numbers_in(m.group(0))}


@dataclass
class Grounds:
    """What the cited sources say, in the forms claims are compared in. ``allowed``: the citizen's own words
    and the policies' names, which ground values, offices and phone numbers (never a web or e-mail address)
    without being a source."""

    text: str
    urls: list[str] = field(default_factory=list)
    allowed: str = ""

    def __post_init__(self) -> None:
        both = f"{self.text}\n{self.allowed}\n{HOTLINES}"
        self._flat = re.sub(r"\s+", "", self.text)
        self._flat_allowed = re.sub(r"\s+", "", f"{self.allowed}")
        self._lower = self.text.lower()
        self._short = re.sub(r"(?:https?://)?(?:www\.)?", "", self._lower)
        self._url_list = [_short_url(u) for u in self.urls]
        # A policy's name may carry its line ("가족상담전화(1644-6621)"); the citizen's own numbers are masked
        # before any step sees them (guard_input), so the allowed words hold no phone of theirs.
        self._phones = _phone_digits(f"{self.text}\n{self.allowed}") | {
            re.sub(r"\D", "", h) for h in _HOTLINE.findall(HOTLINES)
        }
        self._ages = _ages(both)
        self._dates = _dates(both)
        self._numbers = numbers_in(both)
        self._amounts = _amounts(both) | {v for v in self._numbers if v >= 1000}  # a table's bare amounts

    def grounded(self, claim: Claim) -> bool:
        kind, text = claim.kind, claim.text
        if kind == ClaimKind.PHONE:
            return re.sub(r"\D", "", text) in self._phones
        if kind == ClaimKind.URL:
            short = _short_url(text)
            return short in self._short or any(short in u for u in self._url_list)
        if kind == ClaimKind.EMAIL:
            return text.lower() in self._lower
        if kind == ClaimKind.OFFICE:
            flat = re.sub(r"\s+", "", text).lower()
            known = _KNOWN_OFFICES.fullmatch(flat) is not None
            return known or flat in self._flat.lower() or flat in self._flat_allowed.lower()
        if kind == ClaimKind.DATE:
            return all(self._date_grounded(key) for key in _dates(text))
        if kind == ClaimKind.AGE:
            return _ages(text) <= self._ages
        if kind == ClaimKind.AMOUNT:
            return _amounts(text) <= self._amounts
        return numbers_in(text) <= self._numbers

    def _date_grounded(self, key: tuple[int | None, int | None, int | None]) -> bool:
        # Each part the answer states must be the source's: "3월 31일" is grounded by "2025년 3월 31일", not
        # "2026년 3월 31일" by "3월 31일".
        return any(all(k is None or k == s for k, s in zip(key, known, strict=True)) for known in self._dates)


def ungrounded(text: str, grounds: Grounds) -> list[Claim]:
    return [c for c in claims_in(text) if not grounds.grounded(c)]
