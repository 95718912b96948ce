"""How ordinary welfare questions written by others are routed: none of WelSSISKo's questions is a crisis or
off-topic, so every one routed to anything but an answer is a false alarm or a wrong refusal.

    python -m bench.router_external --data PATH/TO/welssisko-train [--sample 600] [--seed 7]

The data is read from the path given and never copied into the project (its README: measurement only). Each
question runs through the turn pipeline on its own (no conversation, no region, the extractive answerer) and
the share of each status is written to bench/results/router_external.jsonl.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import time
from collections import Counter
from pathlib import Path

from bench._results import record
from counselor.chat.context import TurnContext
from counselor.deps import build_deps
from counselor.settings import get_settings


def questions(data: Path) -> list[str]:
    train = json.loads((data / "train.json").read_text(encoding="utf-8"))
    return [qa["question"] for item in train["data"] for qa in item["qas"]]


async def route_all(texts: list[str]) -> tuple[Counter[str], list[dict[str, str]], list[float]]:
    settings = get_settings()
    settings.llm = "extractive"
    deps = build_deps(settings)
    pipeline = deps.pipeline
    counts: Counter[str] = Counter()
    wrong: list[dict[str, str]] = []
    times: list[float] = []
    for text in texts:
        ctx = TurnContext(question=text)
        started = time.perf_counter()
        await pipeline.run(ctx)
        times.append((time.perf_counter() - started) * 1000)
        status = str(ctx.status)
        counts[status] += 1
        if status not in ("answered",):
            wrong.append({"question": text, "status": status, "reason": str(ctx.reason or ""), "detail": ctx.detail})
    return counts, wrong, times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, required=True, help="the welssisko-train folder")
    parser.add_argument("--sample", type=int, default=600, help="questions drawn at random; 0: all")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--show", type=Path, help="write the questions not answered here (outside the project)")
    args = parser.parse_args()
    texts = questions(args.data)
    if args.sample:
        texts = random.Random(args.seed).sample(texts, min(args.sample, len(texts)))
    counts, wrong, times = asyncio.run(route_all(texts))
    n = len(texts)
    shares = {status: round(count / n, 4) for status, count in sorted(counts.items())}
    if args.show:
        args.show.write_text("".join(json.dumps(w, ensure_ascii=False) + "\n" for w in wrong), encoding="utf-8")
    times.sort()
    record(
        "router_external",
        {
            "questions": n,
            "sample": args.sample,
            "seed": args.seed,
            "shares": shares,
            "turn_p50_ms": round(times[n // 2], 1),
        },
    )


if __name__ == "__main__":
    main()
