"""Retrieval metrics over policy-level rankings: recall@k, MRR@10, nDCG@10 and latency percentiles."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence

import numpy as np
from pydantic import BaseModel

from counselor.evaluation.dataset import EvalCase
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


def summarise(results: Sequence[CaseResult]) -> dict[str, float | int]:
    n = len(results)
    if n == 0:
        return {"n": 0}

    def recall(k: int) -> float:
        return sum(1 for r in results if r.first_relevant is not None and r.first_relevant <= k) / n

    latencies = np.array([r.latency_ms for r in results])
    return {
        "n": n,
        "recall@1": round(recall(1), 4),
        "recall@5": round(recall(5), 4),
        "recall@10": round(recall(10), 4),
        "mrr@10": round(
            sum(1 / r.first_relevant for r in results if r.first_relevant and r.first_relevant <= 10) / n, 4
        ),
        "ndcg@10": round(sum(r.ndcg10 for r in results) / n, 4),
        "latency_ms_p50": round(float(np.percentile(latencies, 50)), 2),
        "latency_ms_p95": round(float(np.percentile(latencies, 95)), 2),
    }


def run(cases: Sequence[EvalCase], search: Searcher, k: int = 10) -> list[CaseResult]:
    results = []
    for case in cases:
        started = time.perf_counter()
        hits = search(case, k)
        results.append(score_case(case, hits, (time.perf_counter() - started) * 1000))
    return results
