"""Numbers as values, so "33만 4,810원", "334,810원" and "334,810 won" compare equal.

The output guard checks that every amount, percentage, age and date in an answer appears in a cited
source; comparing values rather than strings lets a model write an amount either way.
"""

from __future__ import annotations

import re

_UNITS = {"억": 10**8, "천만": 10**7, "백만": 10**6, "만": 10**4, "천": 10**3}
_WORDS = {"billion": 10**9, "million": 10**6, "thousand": 10**3}
_NUMBER = r"\d[\d,]*(?:\.\d+)?"
_KOREAN_UNIT = r"(?:억|천만|백만|만|천)"
# "1억 2천만", "33만 4,810", "213만", "2,130,000", "1.5 million": one quantity each.
QUANTITY = re.compile(
    rf"(?:{_NUMBER}\s*{_KOREAN_UNIT}\s*)+(?:{_NUMBER}(?!\s*{_KOREAN_UNIT}))?"
    rf"|{_NUMBER}\s*(?:billion|million|thousand)\b"
    rf"|{_NUMBER}",
    re.IGNORECASE,
)
_PIECE = re.compile(rf"({_NUMBER})\s*({_KOREAN_UNIT}|billion|million|thousand)?", re.IGNORECASE)
# The 24-hour lines the counselor itself gives (prompts/replies.yaml): an answer may name them without a source.
HOTLINES = "☎109 ☎112 ☎119 ☎129 ☎1366 ☎1388 ☎1577-0199 (24시간, 24 hours)"
_NOISE = re.compile(r"\[\d+\]|^\s*\d+[.)]\s", re.MULTILINE)  # citation marks and list numbering


def _value(quantity: str) -> float | None:
    total = 0.0
    for number, unit in _PIECE.findall(quantity):
        digits = number.replace(",", "")
        try:
            value = float(digits)
        except ValueError:
            return None
        multiplier = _UNITS.get(unit) or _WORDS.get(unit.lower(), 1) if unit else 1
        total += value * multiplier
    return total


def numbers_in(text: str) -> set[float]:
    found: set[float] = set()
    for match in QUANTITY.finditer(_NOISE.sub(" ", text)):
        value = _value(match.group(0).strip().rstrip(","))
        if value is not None:
            found.add(round(value, 4))
    return found


def ungrounded_numbers(answer: str, sources: str, allowed: str = "") -> set[float]:
    """The values in ``answer`` found neither in ``sources`` nor in ``allowed`` (the citizen's own words), nor
    among the counselor's own hotlines."""
    return numbers_in(answer) - numbers_in(sources) - numbers_in(f"{allowed} {HOTLINES}")
