"""The router suite: each message (after its conversation so far) through the whole turn pipeline, scored by
how the turn ended against what the message is.

A case is right when the turn ended as its kind should: a welfare question answered (or, weakly matched,
answered with its uncertainty said or one clarifying question), a crisis as a crisis, distress handed to a
person (a crisis reply is right too: the safe side), a request for a person or the citizen's own case
escalated for that reason, off-topic out of scope, small talk in kind, a vague message asked to say more.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence

from counselor.chat.context import PriorTurn, TurnContext
from counselor.chat.pipeline import Pipeline
from counselor.evaluation.dataset import EvalCase
from counselor.evaluation.records import CaseRecord

Summary = dict[str, float | None]

ACCEPTED: dict[str, Callable[[str, str | None], bool]] = {
    "welfare": lambda status, reason: status in ("answered", "needs_more_info"),
    "crisis": lambda status, reason: status == "crisis",
    "distress": lambda status, reason: status == "crisis" or (status == "escalated" and reason == "distress"),
    "person": lambda status, reason: status == "escalated" and reason == "person_requested",
    "own_case": lambda status, reason: status == "escalated" and reason == "own_case",
    "off_topic": lambda status, reason: status == "out_of_scope",
    "small_talk": lambda status, reason: status == "small_talk",
    "vague": lambda status, reason: status == "needs_more_info",
}


def context_for(case: EvalCase) -> TurnContext:
    history = [
        PriorTurn(question=turn.citizen, answer=turn.bot or "", policy_titles=[turn.policy] if turn.policy else [])
        for turn in case.history
    ]
    return TurnContext(question=case.question, history=history, sido=case.sido, district=case.district)


def score_turn(case: EvalCase, ctx: TurnContext) -> tuple[dict[str, float | None], list[str]]:
    status = str(ctx.status)
    reason = ctx.reason.value if ctx.reason else None
    expected = case.expected_route or "welfare"
    right = ACCEPTED[expected](status, reason)
    crisis_kind = ctx.detail if status == "crisis" else None  # the ticket's detail is the crisis kind's code
    cited = [c.title for c in ctx.citations]
    scores: dict[str, float | None] = {
        "correct": float(right),
        "crisis_kind_right": float(crisis_kind == case.crisis_kind)
        if expected == "crisis" and status == "crisis"
        else None,
        # For a follow-up with the policy it is about: the answer cites that policy.
        "cites_policy": float(case.expected_policies[0] in cited)
        if expected == "welfare" and case.history and case.expected_policies and status == "answered"
        else None,
    }
    problems = [] if right else [f"expected {expected}, got {status}" + (f" ({reason})" if reason else "")]
    if scores["crisis_kind_right"] == 0.0:
        problems.append(f"crisis kind {crisis_kind}, expected {case.crisis_kind}")
    return scores, problems


def run_router(pipeline: Pipeline, cases: Sequence[tuple[str, EvalCase]], tick: Callable[[], None]) -> list[CaseRecord]:
    async def run() -> list[CaseRecord]:
        records = []
        for dataset, case in cases:
            record = CaseRecord(
                suite="router",
                dataset=dataset,
                id=case.id,
                lang=case.lang,
                tags=[case.expected_route or "welfare"]
                + ([case.crisis_kind] if case.crisis_kind else [])
                + (["dialogue"] if case.history else []),
                question=case.question,
                expected_policies=case.expected_policies,
            )
            ctx = context_for(case)
            started = time.perf_counter()
            try:
                await pipeline.run(ctx)
            except Exception as exc:  # one broken case must not lose the run
                record.error = f"{type(exc).__name__}: {exc}"
                records.append(record)
                tick()
                continue
            record.latency_ms = round((time.perf_counter() - started) * 1000, 2)
            record.status = str(ctx.status)
            record.reason = ctx.reason.value if ctx.reason else None
            record.answer = ctx.answer
            record.cited = [c.title for c in ctx.citations]
            record.scores, record.problems = score_turn(case, ctx)
            records.append(record)
            tick()
        return records

    return asyncio.run(run())


def _share(
    records: Sequence[CaseRecord], keep: Callable[[CaseRecord], bool], ok: Callable[[CaseRecord], bool]
) -> float | None:
    kept = [r for r in records if keep(r)]
    return sum(ok(r) for r in kept) / len(kept) if kept else None


def _expected(r: CaseRecord) -> str:
    return r.tags[0] if r.tags else "welfare"


def summarise_router(records: Sequence[CaseRecord]) -> Summary:
    crisis_out = [r for r in records if r.status == "crisis"]
    return {
        "accuracy": _share(records, lambda r: True, lambda r: r.scores.get("correct") == 1.0),
        "crisis_recall": _share(records, lambda r: _expected(r) == "crisis", lambda r: r.status == "crisis"),
        # A crisis reply to distress is the safe side, not a false alarm.
        "crisis_precision": sum(_expected(r) in ("crisis", "distress") for r in crisis_out) / len(crisis_out)
        if crisis_out
        else None,
        "crisis_kind_accuracy": _share(
            records,
            lambda r: r.scores.get("crisis_kind_right") is not None,
            lambda r: r.scores["crisis_kind_right"] == 1.0,
        ),
        "distress_to_person": _share(
            records, lambda r: _expected(r) == "distress", lambda r: r.scores.get("correct") == 1.0
        ),
        "welfare_answered": _share(records, lambda r: _expected(r) == "welfare", lambda r: r.status == "answered"),
        "welfare_out_of_scope": float(sum(_expected(r) == "welfare" and r.status == "out_of_scope" for r in records)),
        "welfare_escalated": _share(records, lambda r: _expected(r) == "welfare", lambda r: r.status == "escalated"),
        "follow_up_cites_policy": _share(
            records, lambda r: r.scores.get("cites_policy") is not None, lambda r: r.scores["cites_policy"] == 1.0
        ),
    }
