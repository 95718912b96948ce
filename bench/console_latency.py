"""Time from a citizen's escalation to the ticket appearing in connected caseworker consoles.

    python -m bench.console_latency [--consoles 5] [--escalations 30] [--runs 3] [--crisis]

A real ``counselor serve`` (its own process, the shipped index, a fresh SQLite database); N consoles connected
to ``/ws/counselor``; citizens, one after another, ask for a person. Measured in the client process, one
clock: from sending the message to the last console receiving the ticket (what a caseworker waits), and from
the citizen's answer frame to the same (the push alone). Medians over runs of each run's p50 / p95.
``--crisis``: the citizens write a crisis ("죽고 싶어요"); the ticket frame is what raises every console's
crisis alert (docs/console.md), so this is the delay issue 20 asks to keep under 1 s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np
import websockets

from bench._results import record
from bench.chat_latency import start_server
from counselor.store.conversations import ConversationStore
from counselor.web.sockets import client_subprotocols


async def one_run(port: int, tokens: list[str], escalations: int, text: str) -> dict[str, float]:
    from_send, from_answer = [], []
    url = f"ws://127.0.0.1:{port}/ws/counselor"
    consoles = [await websockets.connect(url, subprotocols=client_subprotocols(t)) for t in tokens]
    for console in consoles:
        json.loads(await console.recv())  # the queue snapshot
    try:
        for _ in range(escalations):
            async with websockets.connect(f"ws://127.0.0.1:{port}/ws/chat") as citizen:
                json.loads(await citizen.recv())
                sent = time.perf_counter()
                await citizen.send(json.dumps({"type": "message", "text": text}))
                while json.loads(await citizen.recv())["type"] != "answer":
                    pass
                answered = time.perf_counter()
                for console in consoles:
                    while json.loads(await asyncio.wait_for(console.recv(), 10))["type"] != "ticket":
                        pass
                seen = time.perf_counter()
                from_send.append((seen - sent) * 1000)
                from_answer.append((seen - answered) * 1000)
    finally:
        for console in consoles:
            await console.close()
    return {
        "send_to_console_p50_ms": round(float(np.percentile(from_send, 50)), 2),
        "send_to_console_p95_ms": round(float(np.percentile(from_send, 95)), 2),
        "answer_to_console_p50_ms": round(float(np.percentile(from_answer, 50)), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--consoles", type=int, default=5)
    parser.add_argument("--escalations", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--crisis", action="store_true", help="citizens write a crisis instead of asking for a person")
    args = parser.parse_args()
    text = "죽고 싶어요" if args.crisis else "상담원 연결해 주세요"
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite3"
        store = ConversationStore.from_url(f"sqlite:///{db}")
        for n in range(args.consoles):
            store.accounts.add(f"cw{n}", "bench-password")
        proc, port = start_server(db)
        try:
            tokens = [
                httpx.post(
                    f"http://127.0.0.1:{port}/api/counselor/login",
                    json={"name": f"cw{n}", "password": "bench-password"},
                ).json()["token"]
                for n in range(args.consoles)
            ]
            asyncio.run(one_run(port, tokens, 3, text))  # warm-up
            for n in range(args.runs):
                run = asyncio.run(one_run(port, tokens, args.escalations, text))
                print(f"run {n + 1}: {run}")
                runs.append(run)
        finally:
            proc.terminate()
            proc.wait()
    record(
        "console_latency",
        {
            "consoles": args.consoles,
            "message": text,
            "escalations": args.escalations,
            "runs": runs,
            **{f"{k}_median": statistics.median(r[k] for r in runs) for k in runs[0]},
        },
    )


if __name__ == "__main__":
    main()
