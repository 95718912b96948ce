"""The answers suite: each case's question through the turn pipeline, scored by the answer metrics."""

from __future__ import annotations

import asyncio
import statistics
import time

from pydantic import BaseModel

from counselor.chat.context import TurnContext
from counselor.chat.pipeline import Pipeline
from counselor.evaluation.answers import citation_scores, fact_recall, language_matches, numeric_groundedness
from counselor.evaluation.dataset import EvalCase


class AnswerResult(BaseModel):
    id: str
    lang: str
    tags: list[str]
    question: str
    status: str
    reason: str | None
    confidence: float
    answer: str
    cited: list[str]
    answerer: str
    fact_recall: float | None
    citation_precision: float | None
    citation_recall: float | None
    numeric_groundedness: float | None
    language_match: bool
    latency_ms: float


def _mean(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(statistics.fmean(present), 4) if present else None


def summarise_answers(results: list[AnswerResult]) -> dict[str, object]:
    answered = [r for r in results if r.status == "answered"]
    return {
        "n": len(results),
        "answered": round(len(answered) / len(results), 4) if results else None,
        # Facts and citations over every case: an escalated answer has no facts, and that counts against it.
        "fact_recall": _mean(
            [r.fact_recall if r.status == "answered" else (0.0 if r.fact_recall is not None else None) for r in results]
        ),
        "fact_recall_answered": _mean([r.fact_recall for r in answered]),
        "citation_precision": _mean([r.citation_precision for r in answered]),
        "citation_recall": _mean([r.citation_recall for r in answered]),
        "numeric_groundedness": _mean([r.numeric_groundedness for r in answered]),
        "language_match": _mean([1.0 if r.language_match else 0.0 for r in answered]),
        "latency_ms_p50": round(statistics.median(r.latency_ms for r in results), 2) if results else None,
    }


async def _one(pipeline: Pipeline, case: EvalCase) -> AnswerResult:
    started = time.perf_counter()
    ctx = TurnContext(question=case.question, sido=case.sido, district=case.district)
    await pipeline.run(ctx)
    latency = (time.perf_counter() - started) * 1000
    cited = [(c.policy_id, c.title) for c in ctx.citations]
    precision, recall = citation_scores(cited, case.expected_policies)
    sources = "\n".join(p.full_text for p in ctx.sources if any(p.policy_id == c[0] for c in cited))
    return AnswerResult(
        id=case.id,
        lang=case.lang,
        tags=case.tags,
        question=case.question,
        status=str(ctx.status),
        reason=ctx.reason.value if ctx.reason else None,
        confidence=round(ctx.confidence, 4),
        answer=ctx.answer,
        cited=[c[1] for c in cited],
        answerer=ctx.answerer,
        fact_recall=fact_recall(case.expected_facts, ctx.answer),
        citation_precision=precision,
        citation_recall=recall,
        numeric_groundedness=numeric_groundedness(
            ctx.answer, sources, f"{case.question} {' '.join(p.title for p in ctx.sources)}"
        ),
        language_match=language_matches(ctx.answer, case.lang),
        latency_ms=round(latency, 2),
    )


def run_answers(pipeline: Pipeline, cases: list[EvalCase]) -> list[AnswerResult]:
    async def run_all() -> list[AnswerResult]:
        return [await _one(pipeline, case) for case in cases]

    return asyncio.run(run_all())
