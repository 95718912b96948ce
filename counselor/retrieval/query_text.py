"""What a question says beyond its phrasing: generic wording removed, and the program names it spells out.

Both are measured levers (docs/retrieval.md, ``python -m bench.welssisko_levers``), not rules for one example:
- ``clean_query`` drops wording that every question shares ("이 서비스", "어떻게 되나요", "알려주세요"); a
  small model otherwise spends part of the vector on it and drifts toward whatever text is phrased alike.
- ``title_matches`` finds the program names a question contains, a name inside a longer matched name losing
  to it: "장애아동수당 얼마" names 장애아동수당, not 아동수당; "아동수당은 몇 살까지" names 아동수당.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

_GENERIC = re.compile(
    r"(이|그|해당|위|본)\s*(복지\s*)?(서비스|제도|사업|프로그램|정책)(의|을|를|은|는|에서|에|이|가)?"
    r"|(에\s*대해(서)?|에\s*대하여|관련(해서)?)\s*(알려\s*주(세요|시겠어요|실\s*수\s*있나요)|궁금(해요|합니다))"
    r"|알려\s*주(세요|시겠어요|실\s*수\s*있나요)|궁금(해요|합니다)"
    r"|(은|는)?\s*(어떻게\s*되나요|무엇인가요|뭔가요|있나요|있을까요)\s*\??$",
)
MIN_NAME_CHARS = 3  # two-letter names (e.g. "바우처") appear inside ordinary questions


def clean_query(text: str) -> str:
    cleaned = " ".join(_GENERIC.sub(" ", text).split())
    return cleaned if len(cleaned) >= 4 else text  # never clean a question into nothing


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@functools.lru_cache(maxsize=16384)  # a few thousand titles, asked about on every search
def name_variants(title: str) -> frozenset[str]:
    """The title, the title without its bracketed part, and the bracketed alias: "통합문화이용권(문화누리카드)"
    is asked about as 문화누리카드 as often as by its full name."""
    squashed = _squash(title)
    variants = {squashed}
    outer = _squash(re.sub(r"\([^)]*\)", "", title))
    variants.add(outer)
    variants.update(_squash(m) for m in re.findall(r"\(([^)]*)\)", title))
    return frozenset(v for v in variants if len(v) >= MIN_NAME_CHARS)


class NameIndex:
    """Every title's names keyed by their first two letters, so a question is matched by looking up each of
    its letter pairs (about 0.05 ms) instead of testing 3,000 titles' names one by one (about 10 ms)."""

    def __init__(self, titles: Iterable[str]) -> None:
        self._by_start: dict[str, list[tuple[str, str]]] = {}
        for title in titles:
            for name in name_variants(title):
                self._by_start.setdefault(name[:2], []).append((name, title))

    def matches(self, text: str) -> list[str]:
        """Titles whose name appears in ``text``, dropping any whose matched name lies inside another match."""
        question = _squash(text)
        found: dict[str, str] = {}  # title -> the longest of its names in the question
        for i in range(len(question) - 1):
            for name, title in self._by_start.get(question[i : i + 2], ()):
                if question.startswith(name, i) and len(name) > len(found.get(title, "")):
                    found[title] = name
        names = set(found.values())
        return [t for t, name in found.items() if not any(name != other and name in other for other in names)]


def title_matches(text: str, titles: Iterable[str]) -> list[str]:
    """Titles whose name appears in ``text``, dropping any whose matched name lies inside another match."""
    return NameIndex(titles).matches(text)
