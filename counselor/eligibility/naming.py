"""The policy a question names ("부모급여 받을 수 있나요?", "can I get the basic pension?"), so the verdict is for
the program the citizen asked about even when the answer cites a neighbour (장애아동수당 for 장애인연금).

A title names a policy when its core (the title without its bracketed part and trailing 제도/사업/지원 words)
is in the question, spaces aside; the longest core wins, and a national program wins over a city's own of the
same name unless the citizen lives there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from counselor.eligibility.engine import PolicyCriteria

_BRACKETS = re.compile(r"\([^)]*\)|\[[^]]*]|「[^」]*」")
_TAIL = re.compile(r"(?:지원사업|지원제도|사업|제도|지원|서비스|프로그램)$")
_SPACE = re.compile(r"[\s·'’\-]+")
MIN_CORE = 3  # "수당" or "연금" alone names nothing


def core(title: str) -> str:
    text = _SPACE.sub("", _BRACKETS.sub("", title)).lower()
    while (shorter := _TAIL.sub("", text)) != text and len(shorter) >= MIN_CORE:
        text = shorter
    return text


def cores(title: str) -> set[str]:
    """The title's core, and what its brackets name ("기초생활보장(교육급여)" is also 교육급여)."""
    found = {core(title)} | {core(inner) for inner in re.findall(r"\(([^)]*)\)", title)}
    return {c for c in found if len(c) >= MIN_CORE}


class PolicyNames:
    def __init__(self, policies: Iterable[PolicyCriteria]) -> None:
        self._by_core: dict[str, list[PolicyCriteria]] = {}
        for p in policies:
            for title in filter(None, (p.title, p.title_en)):
                for key in cores(title):
                    self._by_core.setdefault(key, []).append(p)
        # A name shared by several national programs (국민행복카드) names none of them.
        self._by_core = {
            k: ps for k, ps in self._by_core.items() if len({p.policy_id for p in ps if p.sido is None}) <= 1
        }
        self._cores = sorted(self._by_core, key=len, reverse=True)

    def named(self, question: str, sido: str | None = None, district: str | None = None) -> str | None:
        """The policy id the question names, or None."""
        text = _SPACE.sub("", question).lower()
        for key in self._cores:
            if key in text:
                found = self._by_core[key]
                local = [p for p in found if p.sido == sido and (p.district is None or p.district == district)]
                national = [p for p in found if p.sido is None]
                best = (local if sido else []) or national or found
                return best[0].policy_id
        return None


def words_named(question: str, titles: Iterable[tuple[str, str]]) -> str | None:
    """Among candidate policies (id, title), the one whose title holds the most of the question's words
    ("한부모 양육비" → 한부모가족 아동 양육비 지원): at least two words of two syllables or more; ties go to the
    earlier candidate."""
    words = {w for w in re.findall(r"[가-힣]{2,}|[A-Za-z]{4,}", question)}
    best, best_score = None, 1
    for policy_id, title in titles:
        flat = _SPACE.sub("", title).lower()
        score = sum(1 for w in words if _stem(w) in flat)
        if score > best_score:
            best, best_score = policy_id, score
    return best


def _stem(word: str) -> str:
    """The word without a trailing particle (양육비를 → 양육비), lowercased."""
    stem = re.sub(r"(?:은|는|이|가|을|를|도|만|에|의|으로|로|이요|요)$", "", word)
    return (stem if len(stem) >= 2 else word).lower()
