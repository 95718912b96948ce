"""Which language a citizen wrote in: Korean or English (the two the counselor answers in)."""

from __future__ import annotations

import re
from typing import Literal

Language = Literal["ko", "en"]
_HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")
_LATIN = re.compile(r"[A-Za-z]")


def detect_language(text: str) -> Language:
    """Korean when Hangul carries at least 40% of the text: "기초연금 apply?" is Korean, "I live in 광양시,
    what support?" English. Text with no letters at all counts as Korean, the service's default."""
    hangul = len(_HANGUL.findall(text))
    latin = len(_LATIN.findall(text))
    if hangul == 0 and latin == 0:
        return "ko"
    # A Hangul syllable carries about three Latin letters' worth of sound; weigh them so.
    return "ko" if hangul * 3 >= 0.4 * (hangul * 3 + latin) else "en"
