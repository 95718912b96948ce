"""Run each suite's cases and turn them into case records. Turns run concurrently up to ``concurrency``
(searches still take turns inside the retrieve step; an LLM answerer overlaps its waits)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Sequence
from datetime import date

from counselor.chat.context import TurnContext
from counselor.chat.pipeline import Pipeline
from counselor.chat.service import ChatService
from counselor.eligibility.engine import EligibilityEngine
from counselor.eligibility.facts import RegionDetector, extract
from counselor.eligibility.profile import Profile
from counselor.evaluation import retrieval as retrieval_metrics
from counselor.evaluation.answers import citation_scores, fact_recall, language_matches, numeric_groundedness
from counselor.evaluation.dataset import EvalCase
from counselor.evaluation.escalation import held_back
from counselor.evaluation.facts_metrics import score
from counselor.evaluation.judge import Judge
from counselor.evaluation.records import CaseRecord, SuiteName
from counselor.evaluation.safety import as_record, run_safety
from counselor.retrieval.filters import SearchFilter
from counselor.retrieval.hybrid import HybridRetriever

Tick = Callable[[], None]
Labelled = tuple[str, EvalCase]  # (dataset name, case)

# The tags of the safety suite's cases (registry.py gives the escalation suite none of them).
SAFETY_TAGS = frozenset({"crisis", "identifiers", "injection", "person", "out_of_scope", "ordinary"})


def _base(suite: SuiteName, dataset: str, case: EvalCase) -> CaseRecord:
    return CaseRecord(
        suite=suite,
        dataset=dataset,
        id=case.id,
        lang=case.lang,
        tags=case.tags,
        question=case.question,
        expected_policies=case.expected_policies,
        expected_facts=case.expected_facts,
        must_escalate=case.must_escalate,
    )


def run_retrieval(retriever: HybridRetriever, cases: Sequence[Labelled], tick: Tick) -> list[CaseRecord]:
    records = []
    for dataset, case in cases:
        record = _base("retrieval", dataset, case)
        started = time.perf_counter()
        try:
            hits = retriever.search(case.question, 10, SearchFilter(sido=case.sido, district=case.district))
        except Exception as exc:  # one broken case must not lose the run
            record.error = f"{type(exc).__name__}: {exc}"
            records.append(record)
            tick()
            continue
        result = retrieval_metrics.score_case(case, hits, (time.perf_counter() - started) * 1000)
        records.append(retrieval_metrics.as_record(result, record))
        tick()
    return records


def _turn_record(suite: SuiteName, dataset: str, case: EvalCase, ctx: TurnContext, ms: float) -> CaseRecord:
    record = _base(suite, dataset, case)
    cited = [(c.policy_id, c.title) for c in ctx.citations]
    record.status = str(ctx.status)
    record.reason = ctx.reason.value if ctx.reason else None
    record.confidence = round(ctx.confidence, 4) if any(s.name == "assess" for s in ctx.steps) else None
    record.answer = ctx.answer
    record.cited = [title for _, title in dict.fromkeys(cited)]
    record.ranked = [h.title for h in ctx.hits]
    record.top_correct = bool(ctx.hits) and case.matches(ctx.hits[0].policy_id, ctx.hits[0].title)
    record.latency_ms = round(ms, 2)
    if suite == "answers":
        precision, recall = citation_scores(cited, case.expected_policies)
        sources = "\n".join(p.full_text for p in ctx.sources if any(p.policy_id == c[0] for c in cited))
        record.scores = {
            "fact_recall": fact_recall(case.expected_facts, ctx.answer),
            "citation_precision": precision,
            "citation_recall": recall,
            "numeric_groundedness": numeric_groundedness(
                ctx.answer, sources, f"{case.question} {' '.join(p.title for p in ctx.sources)}"
            ),
            "language_match": float(language_matches(ctx.answer, case.lang)),
        }
    else:
        record.scores = {"held_back": float(held_back(record.status)), "must_escalate": float(case.must_escalate)}
    return record


async def _turns(
    pipeline: Pipeline,
    suite: SuiteName,
    cases: Sequence[Labelled],
    tick: Tick,
    concurrency: int,
    judge: Judge | None,
    repeats: int,
) -> list[CaseRecord]:
    gate = asyncio.Semaphore(concurrency)

    async def one(dataset: str, case: EvalCase) -> CaseRecord:
        async with gate:
            started = time.perf_counter()
            ctx = TurnContext(question=case.question, sido=case.sido, district=case.district)
            try:
                await pipeline.run(ctx)
                record = _turn_record(suite, dataset, case, ctx, (time.perf_counter() - started) * 1000)
                if judge is not None and suite == "answers" and record.status == "answered":
                    sources = "\n\n".join(f"[{i}] {p.full_text}" for i, p in enumerate(ctx.sources, start=1))
                    record.judge = await judge.judge(case.question, ctx.answer, sources, repeats)
            except Exception as exc:  # one broken case must not lose the run
                record = _base(suite, dataset, case)
                record.error = f"{type(exc).__name__}: {exc}"
            tick()
            return record

    return list(await asyncio.gather(*(one(d, c) for d, c in cases)))


def run_turns(
    pipeline: Pipeline,
    suite: SuiteName,
    cases: Sequence[Labelled],
    tick: Tick,
    concurrency: int = 1,
    judge: Judge | None = None,
    repeats: int = 1,
) -> list[CaseRecord]:
    return asyncio.run(_turns(pipeline, suite, cases, tick, concurrency, judge, repeats))


def run_safety_suite(chat: ChatService, cases: Sequence[Labelled], tick: Tick) -> list[CaseRecord]:
    results, _ = run_safety(chat, [c for _, c in cases])
    records = []
    for (dataset, case), result in zip(cases, results, strict=True):
        records.append(as_record(result, _base("safety", dataset, case)))
        tick()
    return records


def run_eligibility(engine: EligibilityEngine, cases: Sequence[Labelled], tick: Tick) -> list[CaseRecord]:
    """Each case's profile against its one policy, on the case's own date."""
    records = []
    for dataset, case in cases:
        record = _base("eligibility", dataset, case)
        started = time.perf_counter()
        day = date.fromisoformat(case.today) if case.today else None
        try:
            verdict = engine.verdict(Profile.model_validate(case.profile or {}), case.expected_policies[0], day)
        except (ValueError, IndexError) as exc:
            record.error = f"{type(exc).__name__}: {exc}"
            records.append(record)
            tick()
            continue
        record.latency_ms = round((time.perf_counter() - started) * 1000, 3)
        record.status = verdict.verdict if verdict else "no_criteria"
        record.answer = "; ".join(f"{c.fact} {c.outcome} ({c.source})" for c in verdict.criteria) if verdict else ""
        explained = bool(verdict and verdict.criteria and all(c.source.strip() for c in verdict.criteria))
        record.scores = {"correct": float(record.status == case.expected_verdict), "explained": float(explained)}
        record.problems = [] if record.status == case.expected_verdict else [f"expected {case.expected_verdict}"]
        records.append(record)
        tick()
    return records


def run_facts(region: RegionDetector | None, cases: Sequence[Labelled], tick: Tick) -> list[CaseRecord]:
    records = []
    for dataset, case in cases:
        record = _base("facts", dataset, case)
        started = time.perf_counter()
        found = extract(case.question, region=region).model_dump(exclude={"sources"}, exclude_none=True)
        record.latency_ms = round((time.perf_counter() - started) * 1000, 3)
        correct, got, wanted = score(case.expected_profile or {}, found)
        record.answer = json.dumps(found, ensure_ascii=False)
        record.scores = {"correct": float(correct), "found": float(got), "expected": float(wanted)}
        if correct != got or correct != wanted:
            record.problems = [f"expected {json.dumps(case.expected_profile, ensure_ascii=False)}"]
        records.append(record)
        tick()
    return records
