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


class PolicyNames:
    def __init__(self, policies: Iterable[PolicyCriteria]) -> None:
        self._by_core: dict[str, list[PolicyCriteria]] = {}
        for p in policies:
            for title in filter(None, (p.title, p.title_en)):
                key = core(title)
                if len(key) >= MIN_CORE:
                    self._by_core.setdefault(key, []).append(p)
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
