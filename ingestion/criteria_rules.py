"""Proposed eligibility criteria from a policy's 대상 text, by rules: the first draft a reviewer corrects.

Only patterns that say one thing are read (만 65세 이상, 기준 중위소득 50% 이하, 한부모가족, 등록장애인, 임신부,
국가유공자 ...); an age next to a word for a child is the child's age. Where the text offers alternatives
("A 또는 B") the rules cannot tell which conditions pair up, so the whole policy is marked for review.
"""

from __future__ import annotations

import re
from typing import Any

from counselor.policies import PolicyDocument

_CHILD = re.compile(r"아동|자녀|영유아|영아|유아|아이|출생아|신생아|아기|손자녀|청소년 자녀")
_AGE_RANGE = re.compile(r"만?\s*(\d{1,2})\s*세?\s*[~∼-]\s*(?:만\s*)?(\d{1,2})\s*세(\s*이하|\s*미만)?")
_AGE_MIN = re.compile(r"만\s*(\d{1,2})\s*세\s*이상")
_AGE_BELOW = re.compile(r"만\s*(\d{1,2})\s*세\s*미만")
_AGE_MAX = re.compile(r"만\s*(\d{1,2})\s*세\s*이하")
_MONTHS_BELOW = re.compile(r"(\d{1,2})\s*개월\s*미만")
_MEDIAN = re.compile(r"기준\s*중위소득\s*(\d{2,3})\s*%\s*(이하|미만)")
_PENSION = re.compile(r"선정기준액\s*이하")
_RECIPIENTS = [
    (re.compile(r"생계급여\s*수급"), ("livelihood",)),
    (re.compile(r"의료급여\s*수급"), ("medical",)),
    (re.compile(r"주거급여\s*수급"), ("housing",)),
    (re.compile(r"교육급여\s*수급"), ("education",)),
    (
        re.compile(r"기초생활\s*수급|기초생활보장\s*수급|국민기초생활보장\s*수급"),
        ("livelihood", "medical", "housing", "education"),
    ),
    (re.compile(r"차상위"), ("near_poverty",)),
]


def _criterion(fact: str, source: str, **fields: Any) -> dict[str, Any]:
    return {"fact": fact, **fields, "source": source.strip()[:200]}


def _sentence(text: str, match: re.Match[str]) -> str:
    start = max(text.rfind("\n", 0, match.start()), text.rfind(". ", 0, match.start())) + 1
    end_candidates = [i for i in (text.find("\n", match.end()), text.find(". ", match.end())) if i != -1]
    end = min(end_candidates) if end_candidates else len(text)
    return text[start:end].strip(" -·\n")


def propose(doc: PolicyDocument) -> tuple[list[dict[str, Any]], bool]:
    """(criteria, needs review). Empty when the 대상 text says nothing the rules can read."""
    target = "\n".join(s.text for s in doc.sections if s.heading in ("대상", "지원대상", "자격", "선정기준"))
    out: list[dict[str, Any]] = []
    match: re.Match[str] | None
    review = bool(re.search(r"또는|이거나|혹은|중\s*하나", target))
    if not target:
        return out, review
    span = _AGE_RANGE.search(target)
    if span:
        child = bool(_CHILD.search(target[max(0, span.start() - 15) : span.end() + 15]))
        low, high = int(span.group(1)), int(span.group(2))
        if low < high:
            bound = {"below": high} if (span.group(3) or "").strip() == "미만" else {"max": high}
            out.append(_criterion("child_age" if child else "age", _sentence(target, span), min=low, **bound))
    if not any(c["fact"] in ("age", "child_age") for c in out):
        for pattern, key in ((_AGE_MIN, "min"), (_AGE_BELOW, "below"), (_AGE_MAX, "max")):
            match = pattern.search(target)
            if match:
                child = bool(_CHILD.search(target[max(0, match.start() - 15) : match.end() + 15]))
                out.append(
                    _criterion("child_age" if child else "age", _sentence(target, match), **{key: int(match.group(1))})
                )
    match = _MONTHS_BELOW.search(target)
    if match and not any(c["fact"] == "child_age" for c in out):
        out.append(_criterion("child_age", _sentence(target, match), below=int(match.group(1)), unit="months"))
    match = _MEDIAN.search(target)
    if match:
        share = int(match.group(1)) / 100
        out.append(_criterion("income", _sentence(target, match), max=share, of="median_income"))
    elif _PENSION.search(target) and re.search(r"기초연금|장애인연금", doc.meta.title + target):
        match = _PENSION.search(target)
        assert match is not None
        out.append(_criterion("income", _sentence(target, match), max=1.0, of="basic_pension"))
    recipients: list[str] = []
    sources: list[str] = []
    for pattern, kinds in _RECIPIENTS:
        match = pattern.search(target)
        if match:
            recipients += [k for k in kinds if k not in recipients]
            sources.append(_sentence(target, match))
    if recipients and not any(c["fact"] == "income" for c in out):
        out.append(_criterion("recipient", sources[0], any_of=recipients))
    flags: list[tuple[str, str, dict[str, Any]]] = [
        (r"한부모", "household", {"any_of": ["single_parent"]}),
        (r"조손", "household", {"any_of": ["grandparent"]}),
        (r"다태아|쌍둥이|쌍생아", "household", {"any_of": ["multiple_births"]}),
        (r"중증\s*장애|장애(의)?\s*정도가\s*심한", "disability", {"any_of": ["severe"]}),
        (r"등록\s*장애인|장애인\s*(본인|가구)|장애인복지법", "disability", {"any_of": ["mild", "severe"]}),
        (r"국가유공자|보훈대상자|참전유공자|독립유공자|보훈보상대상자", "veteran", {}),
        (r"임신부|임산부|임신\s*중", "pregnant", {}),
        (r"셋째|3자녀|세\s*자녀", "children", {"min": 3}),
    ]
    for flag, fact, fields in flags:
        match = re.search(flag, target)
        if match and not any(c["fact"] == fact for c in out):
            out.append(_criterion(fact, _sentence(target, match), **fields))
    region = doc.meta.region
    if region.sido and out:
        place = " ".join(p for p in (region.sido, region.district) if p)
        where: dict[str, Any] = {"sido": region.sido} | ({"district": region.district} if region.district else {})
        out.append(_criterion("residence", f"{place}에 사는 주민 (지자체 사업)", **where))
    return out, review
