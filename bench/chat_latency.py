"""Chat latency over real websockets.

    python -m bench.chat_latency e2e [--sessions 50] [--questions 6] [--runs 3] [--think 2 8]
    python -m bench.chat_latency llm [--turns 40] [--runs 3]

``e2e``: a real ``counselor serve`` (extractive answerer, the shipped index, a fresh SQLite database) in its
own process; N concurrent citizen sessions each ask dev-set questions one after another, pausing a random
think time between them as people do (``--think 0 0`` for a closed loop at full speed). Latency is from
sending the message to receiving its answer frame. Figures: medians over runs of each run's p50 / p95.

``llm``: the pipeline on top of an LLM, the LLM being the protocol-level fake Ollama over real HTTP that
streams 40 tokens 20 ms apart. The counselor app, the fake and the websocket client share one process so
one clock times everything: overhead = turn time minus the model's own streaming time; first-token delay
= token frame received minus token sent by the fake.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import uvicorn
import websockets

from bench._results import record
from bench._server import start_server as start
from counselor.evaluation.dataset import load_cases
from counselor.settings import LLMSettings, get_settings
from counselor.testing.fake_llm import FakeLLMServer, free_port, serve


def percentiles(values: list[float]) -> dict[str, float]:
    arr = np.array(values)
    return {q: round(float(np.percentile(arr, p)), 2) for q, p in (("p50", 50), ("p95", 95), ("p99", 99))}


def start_server(db: Path) -> tuple[subprocess.Popen[bytes], int]:
    return start({"COUNSELOR_DATABASE_URL": f"sqlite:///{db}"})


async def citizen(
    url: str, questions: list[str], think: tuple[float, float], out: list[float], errors: list[str]
) -> None:
    async with websockets.connect(url, max_size=2**22) as ws:
        json.loads(await ws.recv())
        await asyncio.sleep(random.uniform(*think))  # sessions do not all start on the same millisecond
        for question in questions:
            started = time.perf_counter()
            await ws.send(json.dumps({"type": "message", "text": question}))
            while True:
                frame = json.loads(await ws.recv())
                if frame["type"] == "error":
                    errors.append(frame["code"])
                    break
                if frame["type"] == "answer":
                    out.append((time.perf_counter() - started) * 1000)
                    break
            await asyncio.sleep(random.uniform(*think))


async def e2e_run(port: int, sessions: int, per: int, think: tuple[float, float], pool: list[str]) -> dict[str, object]:
    latencies: list[float] = []
    errors: list[str] = []
    url = f"ws://127.0.0.1:{port}/ws/chat"
    started = time.perf_counter()
    await asyncio.gather(*(citizen(url, random.sample(pool, per), think, latencies, errors) for _ in range(sessions)))
    seconds = time.perf_counter() - started
    return {**percentiles(latencies), "answers": len(latencies), "errors": len(errors), "seconds": round(seconds, 1)}


def e2e(args: argparse.Namespace) -> None:
    # Crisis and person requests end before retrieval; ordinary questions are the realistic, slower case.
    pool = [c.question for c in load_cases(Path("evals/datasets/dev.jsonl"))]
    think = (float(args.think[0]), float(args.think[1]))
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        proc, port = start_server(Path(tmp) / "bench.sqlite3")
        try:
            asyncio.run(e2e_run(port, 5, 2, (0, 0), pool))  # warm-up
            for n in range(args.runs):
                run = asyncio.run(e2e_run(port, args.sessions, args.questions, think, pool))
                print(f"run {n + 1}: {run}")
                runs.append(run)
        finally:
            proc.terminate()
            proc.wait()
    record(
        "chat_e2e",
        {
            "sessions": args.sessions,
            "questions_per_session": args.questions,
            "think_s": list(think),
            "answerer": "extractive",
            "runs": runs,
            "p50_ms_median": statistics.median(r["p50"] for r in runs),  # type: ignore[misc]
            "p95_ms_median": statistics.median(r["p95"] for r in runs),  # type: ignore[misc]
            "errors": sum(r["errors"] for r in runs),  # type: ignore[misc]
        },
    )


async def llm_run(port: int, fake: FakeLLMServer, turns: int) -> dict[str, float]:
    overheads, first_tokens = [], []
    async with websockets.connect(f"ws://127.0.0.1:{port}/ws/chat") as ws:
        json.loads(await ws.recv())
        for n in range(turns):
            fake.sent_at.clear()
            started = time.perf_counter()
            await ws.send(json.dumps({"type": "message", "text": f"기초연금은 얼마나 받아요? ({n})"}))
            first_seen = None
            while True:
                frame = json.loads(await ws.recv())
                if frame["type"] == "token" and first_seen is None:
                    first_seen = time.perf_counter()
                if frame["type"] == "answer":
                    ended = time.perf_counter()
                    break
            model_s = fake.sent_at[-1] - fake.sent_at[0] + fake.first_token_delay_s
            overheads.append((ended - started - model_s) * 1000)
            if first_seen is not None:
                first_tokens.append((first_seen - fake.sent_at[0]) * 1000)
            await asyncio.sleep(0.6)  # stay under the rate limit of 10 messages in 10 s
    return {
        "overhead_p50_ms": round(statistics.median(overheads), 2),
        "first_token_p50_ms": round(statistics.median(first_tokens), 2),
        "first_token_p95_ms": round(float(np.percentile(first_tokens, 95)), 2),
    }


def llm(args: argparse.Namespace) -> None:
    from counselor.web.app import create_app

    fake = FakeLLMServer(
        reply=" ".join(["기초연금은 월 최대 33만 4,810원까지 지원합니다 [1]."] * 8), token_delay_s=0.02
    )
    runs = []
    with serve(fake) as ollama_url, tempfile.TemporaryDirectory() as tmp:
        settings = get_settings(
            llm="ollama",
            llm_options=LLMSettings(ollama_url=ollama_url),
            database_url=f"sqlite:///{Path(tmp) / 'bench.sqlite3'}",
        )
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        asyncio.run(llm_run(port, fake, 3))  # warm-up
        for n in range(args.runs):
            run = asyncio.run(llm_run(port, fake, args.turns))
            print(f"run {n + 1}: {run}")
            runs.append(run)
        server.should_exit = True
        thread.join(timeout=10)
    record(
        "chat_llm_overhead",
        {
            "turns": args.turns,
            "tokens_per_answer": len(fake.tokens()),
            "token_delay_ms": 20,
            "runs": runs,
            **{f"{k}_median": statistics.median(r[k] for r in runs) for k in runs[0]},
        },
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="bench", required=True)
    p = sub.add_parser("e2e")
    p.add_argument("--sessions", type=int, default=50)
    p.add_argument("--questions", type=int, default=6)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--think", nargs=2, type=float, default=[2.0, 8.0], metavar=("MIN_S", "MAX_S"))
    q = sub.add_parser("llm")
    q.add_argument("--turns", type=int, default=40)
    q.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    e2e(args) if args.bench == "e2e" else llm(args)


if __name__ == "__main__":
    main()
