"""Short replies: the answer to the one question the bot asked ("네 살이요" when it asked a child's age, "두
명이요" when it asked the household's size), and a correction of what was said ("아 잘못 말했어요, 여섯 살이에요",
"Sorry, I meant she's 73", "둘째예요"), which names no one and is about the fact it restates.

Whose fact a bare age is follows from what is known of the person the conversation is about: a child's age in
months is a child's; a correction of an age already said is that age; with a child known and no age of the
person's own, it is the child's.
"""

from __future__ import annotations

import re

from counselor.eligibility.events import child_age
from counselor.eligibility.profile import Child, Profile

_YES = re.compile(
    r"^\W*(?:아\s*)?(?:네|예|응|맞아요|맞습니다|그렇습니다|그래요|yes|yeah|yep|correct|right|that's\s+right)\b", re.I
)
_NO = re.compile(r"^\W*(?:아니요|아뇨|아니에요|아닙니다|없어요|안\s*받아요|no|nope|not|none)\b", re.IGNORECASE)
_BARE_AGE = re.compile(
    r"(?:만\s*)?(\d{1,3})\s*(살|세|개월|달|주|일|years?|months?|weeks?|days?)?"
    r"(?:\s+and\s+a\s+half)?(?:\s*(?:이요|예요|이에요|요|입니다|old|이|이고|인데|이세요|이십니다|되셨|됐))?"
)
_HALF = re.compile(r"(\d{1,2})\s+and\s+a\s+half", re.IGNORECASE)
_BARE_COUNT = re.compile(r"(\d{1,2})\s*(?:명|분|people|persons?|kids|children)|\b(?:there\s+are\s+)(\d{1,2})\b", re.I)
_KO_COUNT_WORD = re.compile(r"^\s*(하나|둘|셋|넷|다섯|여섯)")
# "둘째예요", "This is our third.", "our third child": the order of the child just born or spoken of.
_ORDER = re.compile(
    r"(둘|셋|넷|다섯)째(?:예요|이에요|요|입니다|를|가|도|는|아이|아기|\s*(?:낳|출산|임신|태어|예정)|\W*$)"
    r"|\b(?:our|my)\s+(second|third|fourth|fifth|2nd|3rd|4th|5th)\b(?!\s+or\s+more)",
    re.IGNORECASE,
)
ORDERS = {"둘": 2, "셋": 3, "넷": 4, "다섯": 5, "second": 2, "third": 3, "fourth": 4, "fifth": 5}
ORDERS |= {"2nd": 2, "3rd": 3, "4th": 4, "5th": 5}
# "He is 3", "she's 72", "my son is 3": the pronoun or person before the number says nothing more.
_PRONOUN = re.compile(
    r"^\W*(?:sorry,?\s*|oh\s+wait,?\s*|i\s+meant,?\s*|actually,?\s*|i\s+got\s+that\s+wrong\W*)*"
    r"(?:he|she|they|it|my\s+\w+)\s*(?:'s|is|are)\s+",
    re.IGNORECASE,
)
_PRONOUN_AGE = re.compile(
    r"\b(?:he|she)(?:'s|\s+is)\s+(?:now\s+|only\s+|just\s+)?(\d{1,3})\b(?:\s+(years?|months?|weeks?|days?))?",
    re.IGNORECASE,
)
_AGE_UNITS = ("살", "세", "year")
_PREGNANCY = re.compile(r"임신|임산부|pregnan", re.IGNORECASE)


def order(text: str) -> tuple[int, tuple[int, int]] | None:
    m = _ORDER.search(text)
    return (ORDERS[(m.group(1) or m.group(2)).lower()], m.span()) if m else None


def _age(text: str, asked: str | None, known: Profile | None) -> dict[str, object]:
    m = _PRONOUN_AGE.search(text) or _BARE_AGE.search(_PRONOUN.sub("", text))
    if m is None or not (m.lastindex and m.group(1)):
        return {}
    rest = _PRONOUN.sub("", text)
    unit = (m.group(2) or "").lower().rstrip("s")
    plain = re.fullmatch(r"\W*(?:만\s*)?\d{1,3}\s*(?:이요|요|입니다|예요|이에요|이세요)?[.!\s]*", rest) is not None
    if not unit and not plain and m.re is not _PRONOUN_AGE:
        return {}
    number = int(m.group(1))
    if (half := _HALF.search(text)) and int(half.group(1)) == number:
        return {"child": Child(age_months=number * 12 + 6)} if asked != "age" else {}
    unit = unit or "살"
    if asked is None and (known is None or not known.known() or _PREGNANCY.search(text)):
        return {}  # nothing asked and nothing to correct: a first message says whose age it is itself
    if unit not in _AGE_UNITS or asked == "child_age":
        return {"child": child_age(number, {"year": "살", "day": "일", "week": "주", "month": "개월"}.get(unit, unit))}
    if asked == "age":
        return {"age": number}
    if asked is not None or known is None or not known.known():
        return {}
    # A correction or an unasked reply: the age already said, or the one child's when only a child's is known.
    kids = known.children or []
    if kids and known.age is None:
        return {"child": Child(age_years=number)}
    if known.age is not None and kids and any(c.age_years is not None for c in kids):
        child_gap = min(abs((c.age_years or 0) - number) for c in kids)
        return {"child": Child(age_years=number)} if child_gap < abs(known.age - number) else {"age": number}
    return {"age": number} if known.age is not None or number >= 18 else {}


def answer(text: str, asked: str | None, known: Profile | None = None) -> dict[str, object]:
    """What a short reply says, given the fact the bot asked for (``asked``, a fact name of the engine) and
    what is known of the person the conversation is about (``known``) for a reply nobody asked for."""
    words = {"하나": 1, "둘": 2, "셋": 3, "넷": 4, "다섯": 5, "여섯": 6}
    out: dict[str, object] = {}
    if asked in (None, "age", "child_age"):
        out |= _age(text, asked, known)
    if asked in ("children", "household", "income"):
        m = _BARE_COUNT.search(text)
        count = int(m.group(1) or m.group(2)) if m else None
        if count is None and (w := _KO_COUNT_WORD.search(text)):
            count = words[w.group(1)]
        if count is not None:
            out["children" if asked == "children" else "household_size"] = count
        elif asked == "children" and _NO.search(text):
            out["children"] = 0
    elif asked in ("pregnant", "veteran", "crisis"):
        if _YES.search(text):
            out[asked] = True
        elif _NO.search(text):
            out[asked] = False
    elif asked == "disability" and _NO.search(text):
        out["disability"] = "none"
    elif asked == "recipient" and _NO.search(text):
        out["recipient"] = []
    return out
