"""What routing adds to a turn: the router's decision for a question whose vector retrieval computes anyway.

    python -m bench.router_latency [--runs 5] [--dataset evals/training/router_train.jsonl]

In a turn the router asks for the question's vector first and retrieval's own request is a hit in the
question cache, so the cost routing adds is the cache lookup, the rules and the model (a 11 x 384 product).
This bench warms the cache with every question, then times ``Router.decide`` over them; medians over runs of
each run's p50 / p95. Writes a JSON line to bench/results/router_latency.jsonl.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import numpy as np

from bench._results import record
from counselor.deps import build_deps
from counselor.settings import get_settings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dataset", type=Path, default=Path("evals/training/router_train.jsonl"))
    parser.add_argument("--limit", type=int, default=500)
    args = parser.parse_args()
    texts = [json.loads(line)["text"] for line in args.dataset.read_text(encoding="utf-8").splitlines()][: args.limit]
    deps = build_deps(get_settings())
    router = deps.router
    for text in texts:  # the vectors a turn's retrieval would have put in the cache
        router.decide(text)
    per_run = []
    for _ in range(args.runs):
        times = []
        for text in texts:
            started = time.perf_counter()
            router.decide(text)
            times.append((time.perf_counter() - started) * 1000)
        per_run.append({p: float(np.percentile(times, p)) for p in (50, 95)})
    record(
        "router_latency",
        {
            "router": router.status,
            "questions": len(texts),
            "runs": args.runs,
            "p50_ms_median": round(statistics.median(r[50] for r in per_run), 3),
            "p95_ms_median": round(statistics.median(r[95] for r in per_run), 3),
        },
    )


if __name__ == "__main__":
    main()
