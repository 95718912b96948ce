"""Retrieval metrics over policy-level rankings: recall@k, MRR@10, nDCG@10 and latency percentiles."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence

from pydantic import BaseModel

from counselor.evaluation import summaries
from counselor.evaluation.dataset import EvalCase
from counselor.evaluation.records import CaseRecord
from counselor.policies import SearchHit

Searcher = Callable[[EvalCase, int], list[SearchHit]]


class CaseResult(BaseModel):
    id: str
    lang: str
    tags: list[str]
    question: str
    expected: list[str]
    ranked: list[str]  # titles, best first
    first_relevant: int | None  # 1-based rank of the first relevant policy
    ndcg10: float
    latency_ms: float


def _dcg(gains: Sequence[int]) -> float:
    return sum(g / math.log2(i + 2) for i, g in enumerate(gains))


def score_case(case: EvalCase, hits: list[SearchHit], latency_ms: float) -> CaseResult:
    relevant = [case.matches(h.policy_id, h.title) for h in hits]
    first = next((i + 1 for i, r in enumerate(relevant) if r), None)
    gains = [int(r) for r in relevant[:10]]
    ideal = _dcg([1] * min(len(case.expected_policies), 10))
    return CaseResult(
        id=case.id,
        lang=case.lang,
        tags=case.tags,
        question=case.question,
        expected=case.expected_policies,
        ranked=[h.title for h in hits],
        first_relevant=first,
        ndcg10=_dcg(gains) / ideal if ideal else 0.0,
        latency_ms=latency_ms,
    )


def as_record(result: CaseResult, record: CaseRecord | None = None) -> CaseRecord:
    """The suite's case record of a result (``record``: one already holding the case's own fields)."""
    if record is None:
        record = CaseRecord(
            suite="retrieval", dataset="", id=result.id, lang=result.lang, tags=result.tags, question=result.question
        )
    first = result.first_relevant
    record.ranked = result.ranked
    record.top_correct = first == 1
    record.latency_ms = round(result.latency_ms, 2)
    record.scores = {
        "recall@1": float(first is not None and first <= 1),
        "recall@5": float(first is not None and first <= 5),
        "recall@10": float(first is not None and first <= 10),
        "mrr@10": 1 / first if first and first <= 10 else 0.0,
        "ndcg@10": result.ndcg10,
    }
    return record


def summarise(results: Sequence[CaseResult]) -> dict[str, float | int]:
    """The retrieval suite's summary (summaries.retrieval) of these results, as ``counselor eval retrieval``
    prints it: the count as an integer, latencies to a hundredth of a millisecond."""
    if not results:
        return {"n": 0}
    out: dict[str, float | int] = {"n": len(results)}
    for name, value in summaries.retrieval([as_record(r) for r in results]).items():
        if value is not None:
            out[name] = round(value, 2 if name.startswith("latency") else 4)
    return out


def run(cases: Sequence[EvalCase], search: Searcher, k: int = 10) -> list[CaseResult]:
    results = []
    for case in cases:
        started = time.perf_counter()
        hits = search(case, k)
        results.append(score_case(case, hits, (time.perf_counter() - started) * 1000))
    return results
