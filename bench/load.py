"""Load over real websockets: N connected citizen sessions, questions arriving at a target rate (open loop,
Poisson arrivals, each to an idle session), for a fixed time; answers per second, latency percentiles, errors.

    python -m bench.load --sessions 1000 --rate 30 --duration 60                      # SQLite, one process
    python -m bench.load --sessions 1000 --rate 30 --duration 60 --replicas 2 --postgres --redis

The servers use the shipped index under var/ (run `counselor ingest` first) and the extractive answerer; with
--postgres/--redis they share a fresh PostgreSQL schema and a Redis prefix on 127.0.0.1. An answer not back in
10 s counts as an error.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import tempfile
import time
import uuid
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import numpy as np
import websockets

from bench._results import record
from bench._server import start_server as start
from counselor.evaluation.dataset import load_cases

POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
REDIS = "redis://127.0.0.1:6379/0"
TIMEOUT_S = 10.0


class Session:
    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.busy = False


async def ask(session: Session, question: str, latencies: list[float], errors: list[str]) -> None:
    session.busy = True
    started = time.perf_counter()
    try:
        await session.ws.send(json.dumps({"type": "message", "text": question}))
        while True:
            frame = json.loads(await asyncio.wait_for(session.ws.recv(), TIMEOUT_S))
            if frame["type"] == "error":
                errors.append(frame["code"])
                return
            if frame["type"] == "answer":
                latencies.append((time.perf_counter() - started) * 1000)
                return
    except (TimeoutError, websockets.ConnectionClosed) as exc:
        errors.append(type(exc).__name__)
    finally:
        session.busy = False


async def run(urls: list[str], sessions: int, rate: float, duration: float, pool: list[str]) -> dict[str, Any]:
    opened: list[Session] = []
    for i in range(sessions):
        ws = await websockets.connect(urls[i % len(urls)], max_size=2**22, ping_interval=None)
        json.loads(await ws.recv())
        opened.append(Session(ws))
    latencies: list[float] = []
    errors: list[str] = []
    tasks: list[asyncio.Task[None]] = []
    started = time.perf_counter()
    next_at = started
    while next_at - started < duration:
        await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
        idle = [s for s in random.sample(opened, min(20, len(opened))) if not s.busy]
        if idle:
            tasks.append(asyncio.create_task(ask(idle[0], random.choice(pool), latencies, errors)))
        else:
            errors.append("no_idle_session")
        next_at += random.expovariate(rate)
    sent_for = time.perf_counter() - started
    await asyncio.gather(*tasks)
    held = sum(1 for s in opened if s.ws.state.name == "OPEN")
    for s in opened:
        await s.ws.close()
    arr = np.array(latencies) if latencies else np.array([0.0])
    return {
        "asked": len(tasks),
        "answers": len(latencies),
        "answers_per_s": round(len(latencies) / sent_for, 2),
        "p50_ms": round(float(np.percentile(arr, 50)), 1),
        "p95_ms": round(float(np.percentile(arr, 95)), 1),
        "p99_ms": round(float(np.percentile(arr, 99)), 1),
        "errors": len(errors),
        "error_kinds": sorted(set(errors)),
        "sessions_held": held,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=30.0, help="questions per second offered")
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--replicas", type=int, default=1)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--redis", action="store_true")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    pool = [c.question for c in load_cases(Path("evals/datasets/dev.jsonl"))]
    with ExitStack() as stack, tempfile.TemporaryDirectory() as tmp:
        env = {"COUNSELOR_CHAT_RATE_LIMIT_MESSAGES": "1000"}
        if args.postgres:
            import psycopg

            schema = f"load_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(POSTGRES, autocommit=True) as db:
                db.execute(f"CREATE SCHEMA {schema}")

            def drop() -> None:
                with psycopg.connect(POSTGRES, autocommit=True) as db:
                    db.execute(f"DROP SCHEMA {schema} CASCADE")

            stack.callback(drop)
            env["COUNSELOR_DATABASE_URL"] = f"{POSTGRES}?options=-csearch_path%3D{schema}"
        else:
            env["COUNSELOR_DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'load.sqlite3'}"
        if args.redis:
            env["COUNSELOR_BROKER_URL"], env["COUNSELOR_BROKER_PREFIX"] = REDIS, f"load{uuid.uuid4().hex[:6]}:"
        urls = []
        for _ in range(args.replicas):
            proc, port = start(env)
            stack.callback(proc.wait)
            stack.callback(proc.terminate)
            urls.append(f"ws://127.0.0.1:{port}/ws/chat")
        asyncio.run(run(urls, 10, 5, 3, pool))  # warm-up: models loaded, caches filled
        runs = []
        for n in range(args.runs):
            result = asyncio.run(run(urls, args.sessions, args.rate, args.duration, pool))
            print(f"run {n + 1}: {result}", flush=True)
            runs.append(result)
    record(
        "load",
        {
            "sessions": args.sessions,
            "rate_offered": args.rate,
            "duration_s": args.duration,
            "replicas": args.replicas,
            "database": "postgresql" if args.postgres else "sqlite",
            "broker": "redis" if args.redis else "in-process",
            "runs": runs,
            "answers_per_s_median": statistics.median(r["answers_per_s"] for r in runs),
            "p95_ms_median": statistics.median(r["p95_ms"] for r in runs),
        },
    )


if __name__ == "__main__":
    main()
