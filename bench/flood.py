"""A bounded flood against a real `counselor serve` on loopback: logins with wrong passwords and anonymous
sockets that each send a message, from other loopback addresses (127.0.0.2, 127.0.0.3) than the citizen being
measured (127.0.0.1), as an attacker and a citizen would come from different addresses. Chat latency is
measured (three citizens, 127.0.1.1-3, after six warm-up questions) idle, then while the flood runs; issue
18's bar is a flood p95 within 2x the idle p95.

    python -m bench.flood [--duration 20] [--runs 3] [--login-workers 8] [--socket-workers 8]

The flood runs in a process of its own (an attacker is not in the citizen's event loop; before, the flood's
client work delayed the measuring client's own reads), on the same cores. ``--runs`` repeats idle then flood
back to back on one server, each run with fresh questions and fresh flood addresses (127.0.2.n for logins,
127.0.3.n for sockets, so one run's limits do not carry into the next); the summary is the median ratio.

Uses the shipped index under var/ (`counselor ingest` first), the extractive answerer, a scratch SQLite
database and the service's default limits. Loopback only; each phase lasts --duration seconds.
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
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import websockets

from bench._results import record
from bench._server import start_server
from counselor.evaluation.dataset import load_cases
from counselor.store.conversations import ConversationStore

DEFAULT_LIMITS = {
    "COUNSELOR_WEB__MESSAGES_PER_ADDRESS": "30 per minute",
    "COUNSELOR_WEB__CONNECT_PER_ADDRESS": "60 per minute",
}


def p95(values: list[float]) -> float:
    return round(statistics.quantiles(values, n=20)[-1], 1) if len(values) >= 2 else float("nan")


async def measure(port: int, questions: list[str], gap_s: float, citizens: int = 3) -> list[float]:
    """``citizens`` citizens, each from its own address (127.0.1.n) and conversation, one question at a time
    ``gap_s`` apart (under the conversation's limit); the questions are dealt out between them."""
    runs = [_citizen(port, questions[n::citizens], gap_s, f"127.0.1.{n + 1}") for n in range(citizens)]
    return [ms for run in await asyncio.gather(*runs) for ms in run]


async def _citizen(port: int, questions: list[str], gap_s: float, address: str) -> list[float]:
    latencies = []
    async with websockets.connect(f"ws://127.0.0.1:{port}/ws/chat", local_addr=(address, 0)) as ws:
        json.loads(await ws.recv())
        for question in questions:
            started = time.perf_counter()
            await ws.send(json.dumps({"type": "message", "text": question}))
            while (frame := json.loads(await asyncio.wait_for(ws.recv(), 30)))["type"] not in ("answer", "error"):
                pass
            if frame["type"] == "answer":
                latencies.append((time.perf_counter() - started) * 1000)
            await asyncio.sleep(gap_s)
    return latencies


async def login_flood(port: int, until: Callable[[], float], counts: dict[str, int], address: str) -> None:
    transport = httpx.AsyncHTTPTransport(local_address=address)
    async with httpx.AsyncClient(transport=transport, timeout=30) as client:
        while time.monotonic() < until():
            name = random.choice(["lee", f"user{random.randrange(10_000)}"])
            try:
                response = await client.post(
                    f"http://127.0.0.1:{port}/api/counselor/login", json={"name": name, "password": "wrong-guess-123"}
                )
                key = f"login_{response.status_code}"
            except httpx.HTTPError as exc:  # a login left waiting past the client's timeout is an outcome too
                key = f"login_{type(exc).__name__}"
            counts[key] = counts.get(key, 0) + 1


async def socket_flood(port: int, until: Callable[[], float], counts: dict[str, int], address: str) -> None:
    while time.monotonic() < until():
        try:
            async with websockets.connect(f"ws://127.0.0.1:{port}/ws/chat", local_addr=(address, 0)) as ws:
                first = json.loads(await ws.recv())
                counts[f"socket_{first['type']}"] = counts.get(f"socket_{first['type']}", 0) + 1
                if first["type"] == "session":
                    await ws.send(json.dumps({"type": "message", "text": "기초연금 얼마예요?"}))
                    reply = json.loads(await asyncio.wait_for(ws.recv(), 30))
                    key = f"message_{reply.get('code', reply['type'])}"
                    counts[key] = counts.get(key, 0) + 1
        except websockets.InvalidStatus:
            counts["socket_refused"] = counts.get("socket_refused", 0) + 1
        except (websockets.ConnectionClosed, OSError, TimeoutError):
            counts["socket_closed"] = counts.get("socket_closed", 0) + 1


async def flood(port: int, args: argparse.Namespace, run: int, stop: Any) -> dict[str, int]:
    """Floods until ``stop`` is set (the measuring ends), at most three times ``--duration``: bounded."""
    counts: dict[str, int] = {}
    until = time.monotonic() + 3 * args.duration

    async def watch() -> None:
        nonlocal until
        while time.monotonic() < until and not stop.is_set():
            await asyncio.sleep(0.1)
        until = time.monotonic()

    logins = [login_flood(port, lambda: until, counts, f"127.0.2.{run + 1}") for _ in range(args.login_workers)]
    sockets = [socket_flood(port, lambda: until, counts, f"127.0.3.{run + 1}") for _ in range(args.socket_workers)]
    await asyncio.gather(watch(), *logins, *sockets)
    return dict(sorted(counts.items()))


def flood_process(port: int, args: argparse.Namespace, run: int, stop: Any, out: Any) -> None:
    out.put("flooding")
    out.put(asyncio.run(flood(port, args, run, stop)))


async def one_run(
    port: int, args: argparse.Namespace, idle_q: list[str], flood_q: list[str], run: int
) -> dict[str, Any]:
    idle = await measure(port, idle_q, args.gap)
    context = multiprocessing.get_context("spawn")
    out, stop = context.Queue(), context.Event()
    attacker = context.Process(target=flood_process, args=(port, args, run, stop, out))
    attacker.start()
    await asyncio.to_thread(out.get, True, 120)  # imported and about to flood
    await asyncio.sleep(0.5)
    during = await measure(port, flood_q, args.gap)
    stop.set()
    outcome = await asyncio.to_thread(out.get, True, 120)
    attacker.join(timeout=30)
    return {
        "idle_p95_ms": p95(idle),
        "idle_median_ms": round(statistics.median(idle), 1),
        "flood_p95_ms": p95(during),
        "flood_median_ms": round(statistics.median(during), 1),
        "p95_ratio": round(p95(during) / p95(idle), 2),
        "answers": [len(idle), len(during)],
        "flood": outcome,
    }


async def run(port: int, args: argparse.Namespace, questions: list[str], per_phase: int) -> dict[str, Any]:
    await measure(port, questions[:6], 0.2, citizens=1)  # warm-up: first turns load the index and engines
    runs = []
    for n in range(args.runs):
        start = 6 + 2 * n * per_phase
        idle_q, flood_q = questions[start : start + per_phase], questions[start + per_phase : start + 2 * per_phase]
        runs.append(await one_run(port, args, idle_q, flood_q, n))
    summary = {
        key: round(statistics.median(r[key] for r in runs), 2)
        for key in ("idle_p95_ms", "idle_median_ms", "flood_p95_ms", "flood_median_ms", "p95_ratio")
    }
    return {**summary, "runs": runs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of flood (and of idle measuring)")
    parser.add_argument("--login-workers", type=int, default=8)
    parser.add_argument("--socket-workers", type=int, default=8)
    parser.add_argument("--runs", type=int, default=3, help="idle-then-flood pairs on one server")
    parser.add_argument("--gap", type=float, default=1.1, help="seconds between the measured citizen's questions")
    args = parser.parse_args()
    pool = [c.question for c in load_cases(Path("evals/datasets/dev.jsonl"))]
    random.Random(18).shuffle(pool)
    per_phase = 3 * max(int(args.duration / (args.gap + 0.2)), 5)
    if 6 + 2 * per_phase * args.runs > len(pool):
        parser.error(f"{len(pool)} questions are too few for {args.runs} runs of {args.duration} s")
    load = os.getloadavg()[0]  # the host is shared: the figures mean little without it
    with tempfile.TemporaryDirectory() as scratch:
        db = Path(scratch) / "flood.sqlite3"
        store = ConversationStore.from_url(f"sqlite:///{db}")
        store.accounts.add("lee", "lee-long-passphrase")
        store.engine.dispose()
        proc, port = start_server({"COUNSELOR_DATABASE_URL": f"sqlite:///{db}", **DEFAULT_LIMITS})
        try:
            figures = asyncio.run(run(port, args, pool, per_phase))
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        store = ConversationStore.from_url(f"sqlite:///{db}")
        with store.engine.connect() as conn:
            figures["conversations_stored"] = conn.exec_driver_sql("SELECT count(*) FROM conversations").scalar()
    figures |= {
        "load_before": load,
        "load_after": os.getloadavg()[0],
        "duration_s": args.duration,
        "login_workers": args.login_workers,
        "socket_workers": args.socket_workers,
    }
    print(json.dumps(record("flood", figures), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
