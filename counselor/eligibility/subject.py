"""Whom a program's verdict is about when the citizen speaks of their child: the program decides.

"딸이 열다섯 살이고 저희 집은 차상위예요. 생리용품 바우처 받을 수 있나요?" asks whether the daughter qualifies: the
program judges her own age or disability (9~24세 여성청소년, 장애아동), so she is the person asked about, with the
household's facts (its size, income, benefits) as hers too. "아들이 열 살인데 아동수당 나오나요?" asks whether the
parent gets a payment for a child: the program judges a child's age, so the son is a child of the citizen's
household, even when he is grown ("아들이 열아홉 살이에요. 기본출생수당 …": not a child under 18 any more).
"""

from __future__ import annotations

import re

from counselor.eligibility.conditions import SEX_OF_RELATION
from counselor.eligibility.engine import PolicyCriteria
from counselor.eligibility.profile import Child, Profile

CHILDREN = frozenset({"son", "daughter", "child"})
# The household's facts a child asked about shares; the rest (a partner, other children) are the parent's.
_SHARED = (
    "disability", "recipient", "household_size", "monthly_income", "income_band", "sido", "district", "conditions",
)  # fmt: skip
_WORDS = ((re.compile(r"딸|daughter|girl", re.I), "daughter"), (re.compile(r"아들|son\b|boy", re.I), "son"))


def _relation(profile: Profile) -> str:
    words = profile.sources["children"].words if "children" in profile.sources else ""
    return next((relation for pattern, relation in _WORDS if pattern.search(words)), "child")


def judges_the_child(policy: PolicyCriteria) -> bool:
    """The program judges the person's own age or disability, not a child's age in a household."""
    facts = {c.fact for c in policy.criteria}
    return "disability" in facts or ("age" in facts and not facts & {"child_age", "children"})


def asks_for_the_child(profile: Profile, policy: PolicyCriteria) -> bool:
    """The program judges a child's own age and the one child spoken of has no age yet: the age to ask for is
    the child's ("딸아이 생리대 바우처 문의드려요"), so that the reply is hers and ``for_policy`` moves to her."""
    kids = profile.children or []
    unaged = len(kids) == 1 and kids[0].age_years is None and kids[0].age_months is None
    return profile.age is None and unaged and judges_the_child(policy)


def for_policy(profile: Profile, policy: PolicyCriteria) -> Profile:
    """The profile with the person asked about set for this program (unchanged when nothing moves)."""
    subject = profile.subject or "self"
    kids = profile.children or []
    if subject == "self" and len(kids) == 1 and profile.age is None and judges_the_child(policy):
        child = kids[0]
        years = child.age_years if child.age_years is not None else (child.age_months or 0) // 12
        if child.age_years is None and child.age_months is None:
            return profile
        relation = _relation(profile)
        shared = {k: getattr(profile, k) for k in _SHARED if getattr(profile, k) is not None}
        sources = {k: s for k, s in profile.sources.items() if k in shared} | (
            {"age": profile.sources["children"]} if "children" in profile.sources else {}
        )
        if relation in SEX_OF_RELATION:
            shared["conditions"] = {**(profile.conditions or {}), "female": SEX_OF_RELATION[relation]}
        person = (profile.others or {}).get(relation, Profile()).merge(Profile(age=years, sources=sources, **shared))
        return profile.model_copy(update={"subject": relation, "others": {**(profile.others or {}), relation: person}})
    if subject in CHILDREN and not judges_the_child(policy) and {c.fact for c in policy.criteria} & {"child_age"}:
        person = profile.about()
        if person.age is None or profile.children:
            return profile
        moved = Profile(
            children=[Child(age_years=person.age)],
            sido=person.sido,
            district=person.district,
            sources={"children": person.sources["age"]} if "age" in person.sources else {},
        )
        others = {k: v for k, v in (profile.others or {}).items() if k != subject}
        return profile.merge(moved).model_copy(update={"subject": None, "others": others or None})
    return profile


def for_verdict(person: Profile, subject: str) -> Profile:
    """A child asked about is judged as a child too: a program's child's-age criterion reads their own age."""
    if subject in CHILDREN and person.children is None and person.age is not None:
        return person.model_copy(update={"children": [Child(age_years=person.age)]})
    return person
