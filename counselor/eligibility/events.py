"""Facts stated as events or as short answers: a birth ("지난주에 낳았어요", "작년 12월에 셋째를 낳았어요", "she was
born in March"), which becomes the child's month of birth, and the reply to the one question the bot asked
("네 살이요" when it asked a child's age, "두 명이요" when it asked the household's size).

Dates: dateparser reads the relative phrase ("지난주", "3주 전", "last month", "December 2025"); the year words it
does not combine with a month in Korean (작년 12월) are read here, and a month later than this one with no year
said is last year's.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from counselor.eligibility.profile import Child

_BIRTH_VERB = re.compile(
    r"낳았|낳은|낳고|출산했|출산한|출산하고|출산\s*했|태어났|태어난|태어나고"
    r"|\bgave\s+birth\b|\b(?:was|were|twins|triplets|baby|son|daughter),?\s+born\b|\bhad\s+(?:twins|triplets|(?:a|one|1|our|my)\s+(?:\w+\s+)?(?:baby|child|son|daughter))\b"
    r"|\bdelivered\b",
    re.IGNORECASE,
)
_JUST = re.compile(
    r"막|방금|얼마\s*전|며칠\s*전|어제|그제|그저께|이번\s*주|이번\s*달|오늘|\bjust\b|\byesterday\b|\bthis\s+(?:week|month)\b|\bnewborn\b"
    r"|\btoday\b"
)
_YEAR_WORDS = {"올해": 0, "금년": 0, "작년": -1, "지난해": -1, "재작년": -2}
_KO_WHEN = re.compile(r"(?:(올해|금년|작년|지난해|재작년|(\d{4})\s*년)\s*)?(\d{1,2})\s*월")
_RELATIVE = re.compile(
    r"지난\s*주|지난\s*달|저번\s*주|저번\s*달|\d+\s*(?:일|주|달|개월|년)\s*전"
    r"|\b(?:last\s+(?:week|month)|\d+\s+(?:days?|weeks?|months?|years?)\s+ago"
    r"|(?:in\s+)?(?:january|february|march|april|may|june|july|august|september|october|november|december)(?:\s+\d{4})?)\b",
    re.IGNORECASE,
)
_SINCE = re.compile(r"\s*지\s*(\d+)\s*(일|주|달|개월|년)\s*(?:이\s*)?(?:됐|되었|됩|지났|지나|넘었|정도|쯤|밖에)")
_NEWBORN = re.compile(r"신생아|갓난아기|\bnewborn\b|\bjust\s+had\s+a\s+baby\b", re.IGNORECASE)


def _when(phrase: str, today: date) -> Child | None:
    """The child born at a relative time ("3주 전", "last month"): its age in months; a named month ("in
    March", "December 2025") gives the month of birth."""
    import dateparser

    if m := re.fullmatch(r"(\d+)\s*(?:년|years?)\s*(?:전|ago)", phrase.strip(), re.IGNORECASE):
        return Child(age_years=int(m.group(1)))
    if m := re.fullmatch(r"(\d+)\s*(일|주|달|개월)\s*전", phrase.strip()):
        n = int(m.group(1))
        if m.group(2) in ("달", "개월"):  # a month named by counting back: that month of birth
            months = today.year * 12 + today.month - 1 - n
            return _born(months // 12, months % 12 + 1, today)
        return Child(age_months=n * (7 if m.group(2) == "주" else 1) // 30)
    if re.fullmatch(r"(?:지난|저번)\s*달|last\s+month", phrase.strip(), re.IGNORECASE):
        months = today.year * 12 + today.month - 2
        return _born(months // 12, months % 12 + 1, today)
    settings = {"RELATIVE_BASE": datetime(today.year, today.month, today.day), "PREFER_DATES_FROM": "past"}
    parsed = dateparser.parse(phrase, languages=["ko", "en"], settings=settings)
    if parsed is None:
        return None
    day = parsed.date()
    if re.search(r"일|주|day|week", phrase, re.IGNORECASE):
        return Child(age_months=max(0, (today - day).days) // 30)
    year = parsed.year - 1 if day > today else parsed.year  # "in March" said in January is last year's
    return _born(year, parsed.month, today)


def birth(text: str, today: date) -> tuple[Child, tuple[int, int]] | None:
    """The child a birth sentence speaks of, with the span of its words."""
    verb = _BIRTH_VERB.search(text)
    if verb is None:
        return _newborn(text)
    before = text[max(0, verb.start() - 40) : verb.start()]
    offset = max(0, verb.start() - 40)
    after = text[verb.end() : verb.end() + 30]
    if m := _KO_WHEN.search(before):
        month = int(m.group(3))
        if not 1 <= month <= 12:
            return None
        if m.group(2):
            year = int(m.group(2))
        elif m.group(1):
            year = today.year + _YEAR_WORDS[m.group(1)]
        else:
            year = today.year if month <= today.month else today.year - 1
        return _born(year, month, today), (offset + m.start(), verb.end())
    # "낳은 지 두 달 됐어요", "태어난 지 3주 지났어요": the time since the birth, after the verb.
    if m := _SINCE.match(after):
        n, unit = int(m.group(1)), m.group(2)
        since = child_age(n, unit) if unit != "년" else Child(age_years=n)
        return since, (verb.start(), verb.end() + m.end())
    for part, base in ((before, offset), (after, verb.end())):
        if m := _RELATIVE.search(part):
            child = _when(m.group(0), today)
            if child is not None:
                span = (min(base + m.start(), verb.start()), max(base + m.end(), verb.end()))
                return child, span
    # "지난주에 낳았어요", "just had a baby": newborn; "광양에서 쌍둥이를 낳았어요" says where, not when.
    if _JUST.search(before) or _JUST.search(after):
        return Child(age_months=0), verb.span()
    return None


# "1955년생", "55년생", "2019년 3월생": a year (and month) of birth.
_BORN_IN = re.compile(
    r"(?<!\d)((?:19|20)\d{2}|\d{2})\s*년\s*(?:(\d{1,2})\s*월\s*)?생|\bborn\s+in\s+((?:19|20)\d{2})\b", re.I
)


def born_in(text: str, today: date) -> tuple[int, int | None, tuple[int, int]] | None:
    """(year, month or None, span) of a year of birth said ("1960년생이에요", "born in 1952")."""
    m = _BORN_IN.search(text)
    if m is None:
        return None
    digits = m.group(1) or m.group(3)
    year = int(digits) if len(digits) == 4 else (1900 if int(digits) > today.year % 100 else 2000) + int(digits)
    month = int(m.group(2)) if m.group(2) and 1 <= int(m.group(2)) <= 12 else None
    return (year, month, m.span()) if today.year - 110 <= year <= today.year else None


def gave_birth(text: str) -> bool:
    """The words say a child was born ("둘째 낳았는데"), whenever it was."""
    return _BIRTH_VERB.search(text) is not None


def _born(year: int, month: int, today: date) -> Child:
    months = (today.year - year) * 12 + (today.month - month)
    return Child(birth=f"{year:04d}-{month:02d}") if months >= 0 else Child(age_months=0)


def _newborn(text: str) -> tuple[Child, tuple[int, int]] | None:
    m = _NEWBORN.search(text)
    return (Child(age_months=0), m.span()) if m else None


def child_age(number: int, unit: str) -> Child:
    """A child's age in the unit said: 3살, 14개월, 두 달, 생후 100일, 3 weeks."""
    unit = unit.lower()
    if unit in ("개월", "달", "month"):
        return Child(age_months=number)
    if unit in ("일", "day"):
        return Child(age_months=number // 30)
    if unit in ("주", "week"):
        return Child(age_months=number * 7 // 30)
    return Child(age_years=number)
