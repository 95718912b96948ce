"""Search latency of `counselor search` (in process, index loaded), over real questions.

    python -m bench.search_latency [--runs 5] [--dataset evals/datasets/dev.jsonl]

Each run times every question once (after one warm-up pass; the question cache is off, so every question is
embedded); the figures are the medians over runs of each run's p50 / p95 / p99. Writes a JSON line to
bench/results/search_latency.jsonl (COUNSELOR_QUERY_ENGINE picks the question engine).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np

from bench._results import record
from counselor.deps import build_deps
from counselor.evaluation.dataset import load_cases
from counselor.retrieval.filters import SearchFilter
from counselor.settings import get_settings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dataset", type=Path, action="append")
    args = parser.parse_args()
    datasets = args.dataset or [Path("evals/datasets/dev.jsonl")]
    cases = [c for d in datasets for c in load_cases(d)]
    settings = get_settings()
    # No question cache: the warm-up asks every question once, and the timed runs would measure its hits.
    settings.retrieval = settings.retrieval.model_copy(update={"query_cache": 0})
    deps = build_deps(settings)
    retriever = deps.retriever
    for case in cases:  # warm-up: model, kiwi, Chroma pages, filter masks
        retriever.search(case.question, where=SearchFilter(sido=case.sido, district=case.district))
    per_run = []
    for _ in range(args.runs):
        times = []
        for case in cases:
            started = time.perf_counter()
            retriever.search(case.question, where=SearchFilter(sido=case.sido, district=case.district))
            times.append((time.perf_counter() - started) * 1000)
        per_run.append({p: float(np.percentile(times, p)) for p in (50, 95, 99)})
    record(
        "search_latency",
        {
            "embedder": deps.index.manifest.embedder,
            "query_engine": deps.query_engine,
            "query_cache": 0,
            "chunks": deps.index.manifest.chunk_count,
            "queries": len(cases),
            "runs": args.runs,
            **{f"p{p}_ms_median": round(statistics.median(r[p] for r in per_run), 2) for p in (50, 95, 99)},
            "p50_ms_runs": [round(r[50], 2) for r in per_run],
        },
    )


if __name__ == "__main__":
    main()
