"""A case's brief as a caseworker reads it: the candidate policies (with a link to each one's text), the facts
the citizen stated with the words they came from, and the computed eligibility verdicts (counselor.eligibility;
no model decides them).

Candidates come from what the conversation already holds: the policies retrieved when the turn escalated, those
the bot's answers cited or gave verdicts for. A crisis or a request for a person ends the turn before anything
is retrieved; for those, the citizen's own words are searched once when the case is opened."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel

from counselor.eligibility.engine import EligibilityEngine, Verdict
from counselor.eligibility.profile import Profile
from counselor.errors import CounselorError
from counselor.labels import FACTS
from counselor.shared_frames import CriterionCheck, EligibilityItem
from counselor.store.payloads import AnswerPayload, Role
from counselor.store.records import StoredMessage, TicketBrief

log = logging.getLogger(__name__)
# The profile's facts in the words the citizen's page uses too (counselor/labels.py), then what only the console
# shows: the crisis fact, and the names eligibility criteria check (counselor/eligibility/criteria.py FactName).
FACT_LABELS = {
    **{name: words["ko"] for name, words in FACTS.items()},
    "crisis": "갑작스러운 위기",
    "child_age": "자녀 나이",
    "income": "소득",
    "household": "가구 형태",
    "residence": "거주지",
    "other": "그 밖의 조건",
}
RELATIONS = {
    "mother": "어머니",
    "father": "아버지",
    "husband": "남편",
    "wife": "아내",
    "son": "아들",
    "daughter": "딸",
    "child": "자녀",
    "grandmother": "할머니",
    "grandfather": "할아버지",
}
MAX_CANDIDATES = 6
Search = Callable[[str, str | None, str | None], list[tuple[str, str]]]  # text, sido, district -> (id, title)


class CandidatePolicy(BaseModel):
    policy_id: str
    title: str
    url: str
    why: Literal["retrieved", "cited", "verdict", "searched"]


class StatedFact(BaseModel):
    name: str
    label: str
    value: str
    words: str  # the words of the citizen's message that state it
    message_id: str | None = None
    person: str = ""  # whose fact: "" for the citizen, else the relation in Korean


class CaseBrief(BaseModel):
    candidates: list[CandidatePolicy]
    facts: list[StatedFact]
    eligibility: list[EligibilityItem]


def policy_url(policy_id: str) -> str:
    return f"/policies/{policy_id}"


def describe(name: str, value: object) -> str:
    if name == "children" and isinstance(value, list):
        ages = [c.get("age_years") if isinstance(c, dict) else None for c in value]
        return f"{len(value)}명" + (f" ({', '.join(f'{a}세' for a in ages if a is not None)})" if any(ages) else "")
    if name == "income_band" and isinstance(value, list | tuple) and len(value) == 2:
        return f"{round(float(value[0]) * 100)}–{round(float(value[1]) * 100)}%"
    if name == "monthly_income" and isinstance(value, int):
        return f"{value:,}원"
    if isinstance(value, bool):
        return "예" if value else "아니요"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def stated_facts(profile: Profile, person: str = "") -> list[StatedFact]:
    facts = []
    for name, value in profile.known().items():
        if name == "others":
            continue
        source = profile.sources.get(name)
        facts.append(
            StatedFact(
                name=name,
                label=FACT_LABELS.get(name, name),
                value=describe(name, value),
                words=(source.words or source.text) if source else "",
                message_id=source.message_id if source else None,
                person=person,
            )
        )
    for relation, other in (profile.others or {}).items():
        facts.extend(stated_facts(other, RELATIONS.get(relation, relation)))
    return facts


def item(verdict: Verdict, discovered: bool) -> EligibilityItem:
    return EligibilityItem(
        policy_id=verdict.policy_id,
        title=verdict.title,
        verdict=verdict.verdict,
        criteria=[CriterionCheck(fact=c.fact, outcome=c.outcome, source=c.source) for c in verdict.criteria],
        discovered=discovered,
        url=policy_url(verdict.policy_id),
    )


class BriefMaker:
    def __init__(self, engine: Callable[[], EligibilityEngine] | None = None, search: Search | None = None) -> None:
        """``engine`` and ``search`` are called when a case is opened (both need the index, which may still be
        loading: a brief without them is still a brief)."""
        self.engine = engine
        self.search = search

    def candidates(self, brief: TicketBrief, transcript: list[StoredMessage]) -> list[CandidatePolicy]:
        found: dict[str, CandidatePolicy] = {}

        def add(policy_id: str, title: str, why: Literal["retrieved", "cited", "verdict", "searched"]) -> None:
            found.setdefault(
                policy_id, CandidatePolicy(policy_id=policy_id, title=title, url=policy_url(policy_id), why=why)
            )

        for c in brief.candidates:
            add(c.policy_id, c.title, "retrieved")
        for message in reversed(transcript):  # the latest answers first
            answer = message.payload.frame if isinstance(message.payload, AnswerPayload) else None
            if message.role != Role.BOT or answer is None:
                continue
            for citation in answer.citations:
                add(citation.policy_id, citation.title, "cited")
            for verdict in answer.eligibility:
                add(verdict.policy_id, verdict.title, "verdict")
        if not found and self.search is not None:
            words = " ".join(m.text for m in transcript if m.role == Role.CITIZEN)[-600:] or brief.question
            try:
                searched = self.search(words, brief.sido, brief.district)[:3]
            except CounselorError as exc:  # the index is missing or loading: the brief goes without
                log.warning("no candidates searched for a brief: %s", exc)
                searched = []
            for policy_id, title in searched:
                add(policy_id, title, "searched")
        return list(found.values())[:MAX_CANDIDATES]

    def make(self, brief: TicketBrief, transcript: list[StoredMessage], profile: Profile) -> CaseBrief:
        candidates = self.candidates(brief, transcript)
        verdicts: list[EligibilityItem] = []
        engine = None
        if self.engine is not None:
            try:
                engine = self.engine()
            except CounselorError as exc:
                log.warning("no verdicts in a brief: %s", exc)
        if engine is not None:
            person = profile.about()
            ids = [c.policy_id for c in candidates]
            verdicts = [item(v, False) for v in engine.all(person, [i for i in ids if i in engine.policies])]
            if person.known():
                verdicts += [item(v, True) for v in engine.discover(person, exclude=ids, limit=3)]
        return CaseBrief(candidates=candidates, facts=stated_facts(profile), eligibility=verdicts)
