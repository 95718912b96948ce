"""Eligibility end to end over ``/ws/chat``: a citizen's one or two messages (a question, then the short answer
to the bot's one question), the facts the service read, and the verdict it gave for the policy, beside the
engine-level suite that hands the engine a profile.

A case is right when the answer's verdict for the expected policy, about the expected person, is the expected
one. A turn that is escalated, called out of scope or answered with another policy is wrong, and each miss is
put down to one cause, in the order the turn meets them: routing (not answered), retrieval (answered, the
expected policy neither cited nor named), facts (the person or a fact read wrong), engine (the facts right,
the verdict not, or the policy cited but without criteria to judge).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from counselor.deps import Deps
from counselor.evaluation.dataset import DatasetError
from counselor.evaluation.facts_metrics import score
from counselor.evaluation.records import CaseRecord
from counselor.jsontypes import JsonObject

Verdict = Literal["eligible", "likely", "not_eligible", "unknown"]
Cause = Literal["routing", "retrieval", "facts", "engine"]


class ChatCase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    lang: Literal["ko", "en"]
    turns: list[str] = Field(min_length=1, max_length=4, description="the citizen's messages, in order")
    policy_id: str
    policy_title: str | None = None
    subject: str = Field(default="self", description="whose eligibility: self, or the relation (mother ...)")
    expected_profile: JsonObject
    expected_verdict: Verdict
    region: str | None = None
    today: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    tags: list[str] = Field(default_factory=list)
    why: str | None = None
    situation: str | None = None


def load_chat_cases(path: Path) -> list[ChatCase]:
    cases: list[ChatCase] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DatasetError(f"{path}: cannot read ({exc.strerror})") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            cases.append(ChatCase.model_validate_json(line))
        except ValidationError as exc:
            raise DatasetError(f"{path}:{number}: {exc.errors()[0]['msg']} ({exc.errors()[0]['loc']})") from exc
    return cases


def _person(facts: JsonObject, subject: str) -> tuple[str, JsonObject]:
    """The profile frame's facts for the person the verdict is about: ``subject`` names the relation (mother)
    or, in the sets written from a brief, is only "other": the one other person the profile holds."""
    others = facts.get("others") or {}
    relation = subject
    if subject == "other" and len(others) == 1:
        relation = next(iter(others))
    if relation != "self" and relation in others:
        return subject, dict(others[relation])
    return "self", {k: v for k, v in facts.items() if k not in ("others", "subject")}


def _with_income(found: JsonObject, expected: JsonObject, median: Callable[[int], int]) -> JsonObject:
    """Income is stored as a band of the median once the household's size is known: the stated amount counts
    as read right when it falls in that band."""
    band = found.pop("income_band", None)
    amount = expected.get("monthly_income")
    size = found.get("household_size") or expected.get("household_size")
    if band is not None and amount is not None and size:
        share = amount / median(int(size))
        low, high = band[0] or 0.0, band[1] if band[1] is not None else float("inf")  # JSON has no infinity
        found["monthly_income"] = amount if (low < share <= high or share == low == 0) else -1
    return found


def _children(facts: JsonObject) -> JsonObject:
    out = dict(facts)
    if "children" in out and out["children"] is not None:
        out["children"] = [{k: v for k, v in c.items() if v is not None} for c in out["children"]]
    return out


def run_chat_eligibility(
    deps: Deps, cases: Sequence[tuple[str, ChatCase]], tick: Callable[[], None]
) -> list[CaseRecord]:
    # One evaluator plays every citizen from one address: the per-address limits (docs/security.md) would
    # refuse it after a few cases, as they would any flood.
    throttled = deps.settings
    unlimited = {"messages_per_address": "1000000 per second", "connect_per_address": "1000000 per second"}
    deps.settings = throttled.model_copy(update={"web": throttled.web.model_copy(update=unlimited)})
    try:
        return _run(deps, cases, tick)
    finally:
        deps.settings = throttled


def _run(deps: Deps, cases: Sequence[tuple[str, ChatCase]], tick: Callable[[], None]) -> list[CaseRecord]:
    from fastapi.testclient import TestClient

    from counselor.web.app import create_app

    records = []
    engine = deps.eligibility
    clock = engine.today
    with TestClient(create_app(deps.settings, deps)) as client:
        for dataset, case in cases:
            if case.today:
                day = date.fromisoformat(case.today)
                engine.today = lambda day=day: day  # type: ignore[misc]
            started = time.perf_counter()
            try:
                record = _one(client, dataset, case, engine.tables.median)
            except Exception as exc:  # one broken case must not lose the run
                record = _record(dataset, case)
                record.error = f"{type(exc).__name__}: {exc}"
            finally:
                engine.today = clock
            record.latency_ms = round((time.perf_counter() - started) * 1000, 2)
            records.append(record)
            tick()
    return records


def _record(dataset: str, case: ChatCase) -> CaseRecord:
    return CaseRecord(
        suite="eligibility_chat",
        dataset=dataset,
        id=case.id,
        lang=case.lang,
        tags=case.tags + (["multi_turn"] if len(case.turns) > 1 else ["single_turn"]) + [f"subject:{case.subject}"],
        question=" ⏎ ".join(case.turns),
        expected_policies=[case.policy_id],
    )


def _frames_until(ws: Any, kinds: tuple[str, ...]) -> list[JsonObject]:
    frames = []
    while True:
        frame = ws.receive_json()
        frames.append(frame)
        if frame["type"] in kinds or frame["type"] == "error":
            return frames


def _one(client: Any, dataset: str, case: ChatCase, median: Callable[[int], int]) -> CaseRecord:
    record = _record(dataset, case)
    query = f"?region={quote(case.region)}" if case.region else ""
    answers = []
    with client.websocket_connect(f"/ws/chat{query}") as ws:
        ws.receive_json()  # the session frame
        for text in case.turns:
            ws.send_json({"type": "message", "text": text})
            answers.append(_frames_until(ws, ("answer",))[-1])
        ws.send_json({"type": "profile", "action": "get"})
        facts = [f for f in _frames_until(ws, ("profile",)) if f["type"] == "profile"][-1].get("facts", {})
    last = answers[-1]
    items = [i for i in last.get("eligibility") or [] if i["policy_id"] == case.policy_id and not i["discovered"]]
    got = items[0]["verdict"] if items else None
    who, person = _person(facts, case.subject)
    # Facts outside the cases' schema (a crisis: 긴급복지's own condition) are not scored either way.
    person.pop("crisis", None)
    expected = {k: v for k, v in case.expected_profile.items() if k != "crisis"}
    found = _children(_with_income(person, expected, median))
    correct, n_found, wanted = score(_children(expected), found)
    facts_right = correct == n_found == wanted and who == case.subject
    right = got == case.expected_verdict
    cause: Cause | None = None
    if not right:
        if last.get("status") != "answered":
            cause = "routing"
        elif not items:
            # The policy cited but no verdict: it has no criteria the engine can judge (coverage, not retrieval).
            cited = {c.get("policy_id") for c in last.get("citations") or []}
            cause = "engine" if case.policy_id in cited else "retrieval"
        else:
            cause = "engine" if facts_right else "facts"
    record.status = last.get("status")
    record.reason = last.get("reason")
    record.answer = last.get("text", "")
    record.cited = [c["title"] for c in last.get("citations") or []]
    record.scores = {
        "correct": float(right),
        "fact_correct": float(correct),
        "fact_found": float(n_found),
        "fact_expected": float(wanted),
        "subject_right": float(who == case.subject),
    }
    if cause is not None:
        record.problems = [f"{cause}: expected {case.expected_verdict}, got {got or 'no verdict'}"]
    if not facts_right:
        record.problems.append(f"facts of {who}: {found} (expected {case.subject}: {case.expected_profile})")
    return record
