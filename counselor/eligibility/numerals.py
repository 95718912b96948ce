"""Number words as digits, so the fact rules read "열다섯 살", "일흔두 세", "생후 백일", "이백오십만 원" and
"seventy-two" the way they read "15살". The original words stay reachable: every span of the normalised text
maps back to the citizen's own words, which each fact keeps.

Korean: kiwipiepy's morphology tells numerals (NR 수사, MM 수 관형사: 세 살, 네 명) from look-alikes (세금, 네 =
yes, 이 = this); hangulpy turns the words into values, native (스물네, 일흔두) and sino-Korean (이백오십만).
English: text2num's ``alpha2digit``. Both load lazily: nothing is built at import time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache
from typing import Any

from counselor.morphology import kiwi as shared_kiwi

# A native or sino numeral somewhere in the text; without one, the morphological pass is skipped.
_MAYBE_KO = re.compile(
    r"한|두|세|네|석|넉|다섯|여섯|일곱|여덟|아홉|열|스물|스무|서른|마흔|쉰|예순|일흔|여든|아흔|하나|둘|셋|넷"
    r"|[일이삼사오육칠팔구십]?[십백천만]"
)
_EN_WORDS = re.compile(
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
    r"|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred)\b",
    re.IGNORECASE,
)
# What a numeral counts: only a numeral before one of these is a quantity ("세 살", "두 명", "한 달", "백 일").
_COUNTERS = frozenset(
    ["살", "세", "명", "달", "개월", "주", "주일", "일", "년", "해", "원", "만", "천", "식구", "가구", "아이", "자녀",
     "아들", "딸", "번", "분", "사람", "가족"]
)  # fmt: skip
_SINO_UNITS = set("십백천만억")
_EN_ONES = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}


def _kiwi() -> Any:
    return shared_kiwi()  # the process's one analyser (counselor/morphology.py)


def kiwi() -> Any:
    """The shared morphological analyser (loaded once, on first use)."""
    return _kiwi()


def warm() -> None:
    """Load the morphological analyser now (it takes seconds) rather than on a citizen's first message."""
    _kiwi().tokenize("세 살")


# Numeral determiners hangulpy does not know: 석 달, 넉 달 (three, four months).
_DETERMINERS = {"석": 3, "넉": 4, "서": 3, "너": 4}


def _value(words: str) -> int | None:
    from hangulpy.hangul_number import hangul_to_number, native_korean_to_number

    compact = words.replace(" ", "")
    if compact in _DETERMINERS:
        return _DETERMINERS[compact]
    for reader in (native_korean_to_number, hangul_to_number):
        try:
            value = reader(compact)
        except ValueError:
            continue
        return int(value) if float(value).is_integer() else None
    return None


def _korean(text: str) -> str:
    if not _MAYBE_KO.search(text):
        return text
    tokens = _kiwi().tokenize(text)
    pieces: list[str] = []
    cursor = 0
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if not _numeral(token):
            i += 1
            continue
        # A run of numeral tokens, touching or one space apart ("일흔 두", "이백" + "오십만").
        j = i + 1
        while j < len(tokens) and _numeral(tokens[j]) and tokens[j].start - _end(tokens[j - 1]) <= 1:
            j += 1
        # "만 스물네 살": 만 (full age) before a native numeral is no part of it; drop leading tokens until the
        # run reads as one number.
        while j - i > 1 and _value(text[tokens[i].start : _end(tokens[j - 1])]) is None:
            i += 1
        token = tokens[i]
        start, end = token.start, _end(tokens[j - 1])
        words = text[start:end]
        nxt = tokens[j].form if j < len(tokens) else ""
        sino = any(ch in _SINO_UNITS for ch in words)
        value = _value(words)
        # "500만", "3천만" are digits with a unit already: numbers_in reads them as they are.
        beside_digit = (start > 0 and text[start - 1].isdigit()) or (end < len(text) and text[end].isdigit())
        # "올해 일흔여덟이에요": a compound native numeral is a number even without a counter after it.
        compound = token.tag == "NR" and len(words.replace(" ", "")) >= 2 and value is not None and value >= 11
        if value is not None and not beside_digit and (nxt in _COUNTERS or (sino and token.tag == "NR") or compound):
            pieces.append(text[cursor:start])
            pieces.append(str(value))
            cursor = end
        i = j
    pieces.append(text[cursor:])
    return "".join(pieces)


def _numeral(token: Any) -> bool:
    """A numeral or a numeral determiner that is a number (세, 네), not 저, 이, 그 or an ordinal (셋째)."""
    return token.tag in ("NR", "MM") and not token.form.endswith("째") and _value(token.form) is not None


def _end(token: Any) -> int:
    return int(token.start + token.len)


def _english(text: str) -> str:
    if not _EN_WORDS.search(text):
        return text
    from text_to_num import alpha2digit

    out: str = alpha2digit(text, "en", threshold=0)
    # "one point five million" comes back as "1.5 1000000"; the amount rules read "1.5 million".
    out = re.sub(r"(\d+(?:\.\d+)?) 1000000\b", r"\1 million", out)
    # "a one-year-old", "four-month-old": hyphenated ages stay words in alpha2digit.
    return re.sub(
        r"\b(one|two|three|four|five|six|seven|eight|nine)(?=-(?:year|month|week)s?-old\b)",
        lambda m: str(_EN_ONES[m.group(1).lower()]),
        out,
        flags=re.IGNORECASE,
    )


@dataclass(frozen=True)
class Normalized:
    """The message with number words as digits, and the way back to the citizen's words."""

    original: str
    text: str

    def words(self, start: int, end: int) -> str:
        """The citizen's words behind ``text[start:end]``."""
        if self.text == self.original:
            return self.original[start:end].strip()
        begin, finish = _back(self._ops, start, True), _back(self._ops, end, False)
        return self.original[begin:finish].strip()

    @property
    def _ops(self) -> list[tuple[str, int, int, int, int]]:
        return _opcodes(self.original, self.text)


@cache
def _opcodes(original: str, text: str) -> list[tuple[str, int, int, int, int]]:
    ops = SequenceMatcher(None, original, text, autojunk=False).get_opcodes()
    return [(str(tag), i1, i2, j1, j2) for tag, i1, i2, j1, j2 in ops]


def _back(ops: list[tuple[str, int, int, int, int]], pos: int, start: bool) -> int:
    for tag, i1, i2, j1, j2 in ops:
        if j1 <= pos < j2 or (not start and j1 < pos <= j2):
            if tag == "equal":
                return i1 + (pos - j1)
            return i1 if start else i2
    return ops[-1][2] if ops else pos


def normalize(text: str) -> Normalized:
    """``text`` with Korean and English number words written as digits."""
    return Normalized(original=text, text=_english(_korean(text)))
