"""Words that name a fact only to deny it ("장애도 없고", "장애인은 아니에요", "수급자는 아니고 차상위도 아니에요",
"no disability", "not on any benefits"). The bare words would read as the fact itself — a disability, a
benefit received — which is a wrong fact, worse than a missing one. A denial is a fact too: no disability is
"none", no benefit an empty list, so the verdict need not ask for them.

Korean states the denial after the words, in the clause's predicate (없다, 아니다, 않다, 안 받다); English
before them (no, not, never, without). A clause ends at punctuation or a connective that starts another one.
"""

from __future__ import annotations

import re

# The first predicate after the words decides: "장애가 있는데 수급자는 아니에요" has 있 for 장애.
_KO_PREDICATE = re.compile(
    r"(없|아니|않|안\s*(?:받|돼|되|했|나와|나오)|못\s*받)|(있|이에요|예요|입니다|이고|인데|이라|이세요|이신|받고|받아|받는)"
)
_KO_REACH = 14
_CLAUSE_END = re.compile(r"[.,!?;\n]|그리고|근데|하지만|는데|지만|으며|\bbut\b|\band\b", re.IGNORECASE)
# "I don't know if my disability counts" is a doubt, not a denial.
_EN_DOUBT = re.compile(r"\b(?:don't|do\s+not|not)\s+(?:know|sure)\b", re.IGNORECASE)
_EN_DENIAL = re.compile(
    r"\b(?:no|not|never|without|neither|nor|none|isn't|aren't|don't|doesn't|didn't|haven't|hasn't)\b|n't\b",
    re.IGNORECASE,
)
_EN_REACH = 30

# The words of receiving a benefit at all; denied ("수급자는 아니고", "차상위도 아니에요", "not on any benefits"),
# they say no benefit is received. The denial itself is read by ``denied``, as for every other fact.
BENEFIT_WORDS = re.compile(
    r"(?:기초\s*(?:생활)?\s*)?수급(?:자|가구|가정)?|차상위(?:계층)?|\bbenefits?\b|\brecipient\b", re.IGNORECASE
)


def denied(text: str, span: tuple[int, int]) -> bool:
    """Whether the words at ``span`` are denied in their own clause."""
    start, end = span
    if "있" in text[start:end]:  # the words say it themselves: "장애가 있는데"
        return False
    after = text[end : end + _KO_REACH]
    if (stop := _CLAUSE_END.search(after)) is not None:
        after = after[: stop.start()]
    if (m := _KO_PREDICATE.search(after)) is not None and m.group(1) is not None:
        return True
    before = text[max(0, start - _EN_REACH) : start]
    clause = _CLAUSE_END.split(before)[-1]
    return bool(_EN_DENIAL.search(clause)) and not _EN_DOUBT.search(clause)
