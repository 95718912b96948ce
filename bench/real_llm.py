"""A real language model behind the chat service, and what the guards make of it (issue 21).

    bench/setup_llm.sh /work/llm-venv /work/llm/gemma3-270m-q4_k_m.gguf          # once
    python -m bench.real_llm --llm-python /work/llm-venv/bin/python --model /work/llm/gemma3-270m-q4_k_m.gguf
    python -m bench.real_llm --openai-url http://127.0.0.1:8000/v1 --openai-model NAME   # a server already up
    python -m bench.real_llm --ollama-url http://127.0.0.1:11434 --ollama-model NAME     # the Ollama adapter

Starts llama.cpp's server when a model is given (and stops it at the end), then asks the fixed questions of
bench/data/real_llm_questions.jsonl over the real websocket of an in-process counselor app with
``COUNSELOR_LLM=openai`` (or ``ollama``), each in a conversation of its own. Per question and in total: the
model's time to first token and tokens per second, what the output guard did with each draft (accepted,
trimmed, replaced, rejected), every claim the model wrote that no source it was given makes, and whether any
reached the citizen (the answer frame or the streamed tokens), citations of sources not given, language
mismatches, fallbacks and why, and how long after its arrival from the model each token reached the socket.
The same questions go through the extractive answerer in the same run, side by side. One JSON line per run
goes to bench/results/real_llm.jsonl; the per-question detail to bench/results/real_llm_last.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import uvicorn
import websockets

from bench._llm_real import Timed, claims_seen, literal_unmatched
from bench._llm_server import llama_server, llm_python
from bench._results import RESULTS, record
from counselor.chat.answerers.extractive import ExtractiveAnswerer
from counselor.chat.context import TurnContext
from counselor.chat.pipeline import build_pipeline
from counselor.deps import Deps
from counselor.language import detect_language
from counselor.settings import LLMSettings, WebSettings, get_settings
from counselor.testing.fake_llm import free_port

QUESTIONS = Path(__file__).parent / "data" / "real_llm_questions.jsonl"
_MARK = re.compile(r"\[(\d{1,2})\]")


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(int(q * len(ordered)), len(ordered) - 1)], 2)


async def ask(port: int, question: str, timed: Timed) -> dict[str, Any]:
    async with websockets.connect(f"ws://127.0.0.1:{port}/ws/chat", max_size=2**22) as ws:
        session = json.loads(await ws.recv())
        timed.received.clear()
        started = time.perf_counter()
        await ws.send(json.dumps({"type": "message", "text": question}))
        tokens: list[tuple[float, str]] = []
        while True:
            frame = json.loads(await ws.recv())
            if frame["type"] == "token":
                tokens.append((time.perf_counter(), frame["text"]))
            elif frame["type"] == "answer":
                ended = time.perf_counter()
                break
    # How long each token frame took from the model's chunk that let it go to the socket.
    forward = [
        (t - max(r for r in timed.received if r <= t)) * 1000
        for t, _ in tokens
        if timed.received[:1] and timed.received[0] <= t
    ]
    return {
        "conversation": session["session_id"],
        "frame": frame,
        "streamed": "".join(text for _, text in tokens),
        "turn_ms": round((ended - started) * 1000, 1),
        "socket_first_token_ms": round((tokens[0][0] - started) * 1000, 1) if tokens else None,
        "forward_ms": forward,
    }


def judge(deps: Deps, case: dict[str, Any], seen: dict[str, Any]) -> dict[str, Any]:
    """One model turn, read back from its stored audit record."""
    turn = deps.store.turns(seen["conversation"])[-1]
    steps = {s.name: s for s in turn.steps}
    compose = dict(steps["compose"].note) if "compose" in steps else {}
    guard = dict(steps["guard_output"].note) if "guard_output" in steps else {}
    raw = (steps["compose"].raw_output if "compose" in steps else None) or ""
    given = [p for pid in compose.get("sources", []) if (p := deps.policy_texts.get(pid)) is not None]
    frame = seen["frame"]
    invented = claims_seen(raw, given, case["question"])
    # What the model invented that the citizen saw: in the answer frame or in the streamed tokens.
    shown = claims_seen(frame["text"], given, case["question"]) + claims_seen(seen["streamed"], given, case["question"])
    reached = [c for c in invented if any((c.kind, c.text) == (d.kind, d.text) for d in shown)]
    stats = {
        k: compose.get(k)
        for k in (
            "prompt_tokens",
            "source_tokens",
            "first_token_timeout_s",
            "first_token_ms",
            "tokens",
            "stream_s",
            "held_tokens",
            "withheld",
        )
    }
    gen_s = (stats["stream_s"] or 0) - (stats["first_token_ms"] or 0) / 1000
    marks = sorted({int(m) for m in _MARK.findall(raw)})
    return {
        **{k: case[k] for k in ("id", "language", "question", "program")},
        "status": frame["status"],
        "answerer": turn["answerer"],
        "verdict": guard.get("verdict") if raw else None,
        "fallback": compose.get("error"),
        "citations": [c["title"] for c in frame["citations"]],
        "program_cited": case["program"] in [c["title"] for c in frame["citations"]],
        "invented": [f"{c.kind.value} {c.text}" for c in invented],
        "reached_citizen": [f"{c.kind.value} {c.text}" for c in reached],
        "literal_unmatched": literal_unmatched(raw, given),
        "guard_issues": guard.get("issues", []),
        "removed": guard.get("removed", []),
        "citations_not_given": [m for m in marks if not 1 <= m <= len(given)],
        "language_mismatch": bool(raw) and detect_language(raw) != case["language"],
        **stats,
        "tokens_per_s": round(stats["tokens"] / gen_s, 1) if stats["tokens"] and gen_s > 0 else None,
        "turn_ms": seen["turn_ms"],
        "socket_first_token_ms": seen["socket_first_token_ms"],
        "forward_ms_max": round(max(seen["forward_ms"]), 2) if seen["forward_ms"] else None,
        "draft": raw,
        "streamed": seen["streamed"],
        "answer": frame["text"],
    }


async def extractive_side(deps: Deps, cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    s = deps.settings
    extractive = ExtractiveAnswerer(deps.prompts.get("extractive"), s.chat.related_policies)
    pipeline = build_pipeline(
        s, deps.prompts, deps.retriever, deps.policy_texts, extractive, deps.regions, deps.eligibility, deps.router
    )
    out = []
    for case in cases:
        ctx = await pipeline.run(TurnContext(question=case["question"], language=case["language"]))
        titles = [c.title for c in ctx.citations]
        out.append(
            {
                "status": ctx.status,
                "citations": titles,
                "program_cited": case["program"] in titles,
                "facts": list(
                    dict.fromkeys(f"{c.kind.value} {c.text}" for c in claims_seen(ctx.answer, [], "", all_claims=True))
                ),
            }
        )
    return out


def summarise(rows: list[dict[str, Any]], extractive: list[dict[str, Any]], timeout_s: float) -> dict[str, Any]:
    def count(key: str) -> int:
        return sum(len(r[key]) for r in rows)

    forward = [f for r in rows for f in r["_forward"]]
    ttft = [r["first_token_ms"] for r in rows if r["first_token_ms"] is not None]
    tps = [r["tokens_per_s"] for r in rows if r["tokens_per_s"]]
    fallbacks = [r for r in rows if r["fallback"]]
    return {
        "questions": len(rows),
        "invented_written": count("invented"),
        "invented_reached_citizen": count("reached_citizen"),
        "invented_by_kind": dict(Counter(c.split(" ", 1)[0] for r in rows for c in r["invented"])),
        "literal_unmatched_written": count("literal_unmatched"),
        "fallbacks": len(fallbacks),
        "fallback_reasons": dict(
            Counter(re.sub(r"[\d.]+", "N", r["fallback"].split(": ", 1)[-1])[:80] for r in fallbacks)
        ),
        "verdicts": dict(Counter(str(r["verdict"]) for r in rows)),
        "statuses": dict(Counter(r["status"] for r in rows)),
        "citations_not_given": count("citations_not_given"),
        "language_mismatches": sum(r["language_mismatch"] for r in rows),
        "ttft_ms_p50": statistics.median(ttft) if ttft else None,
        "ttft_ms_p95": pct(ttft, 0.95),
        "tokens_per_s": statistics.median(tps) if tps else None,
        "prompt_tokens_p50": statistics.median(r["prompt_tokens"] for r in rows if r["prompt_tokens"])
        if ttft
        else None,
        "turn_ms_p50": statistics.median(r["turn_ms"] for r in rows),
        "turn_ms_max": max(r["turn_ms"] for r in rows),
        "turns_over_limit": sum(r["turn_ms"] > timeout_s * 1000 + 2000 for r in rows),
        "forward_ms_p50": pct(forward, 0.5),
        "forward_ms_p95": pct(forward, 0.95),
        "forward_ms_max": round(max(forward), 2) if forward else None,
        "forward_within_10ms": round(sum(f <= 10 for f in forward) / len(forward), 4) if forward else None,
        "held_tokens": sum(r["held_tokens"] or 0 for r in rows),
        "tokens_streamed": sum(r["tokens"] or 0 for r in rows),
        "program_cited": {
            "model": sum(r["program_cited"] for r in rows),
            "extractive": sum(e["program_cited"] for e in extractive),
        },
        "extractive_statuses": dict(Counter(str(e["status"]) for e in extractive)),
    }


def serve_app(deps: Deps) -> tuple[uvicorn.Server, threading.Thread, int]:
    from counselor.web.app import create_app

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(deps.settings, deps), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    return server, thread, port


def run(args: argparse.Namespace, kind: str, options: LLMSettings, model_name: str) -> None:
    cases = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    cases = cases[: args.limit] if args.limit else cases
    load = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        unthrottled = WebSettings(messages_per_address="1000000 per second", connect_per_address="1000000 per second")
        settings = get_settings(
            llm=kind, llm_options=options, web=unthrottled, database_url=f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        )
        from counselor.chat.answerers.factory import chat_model

        timed = Timed(inner=chat_model(settings, kind))
        deps = Deps(settings=settings, chat_model=timed)
        server, thread, port = serve_app(deps)
        try:
            rows = []
            for case in cases:
                seen = asyncio.run(ask(port, case["question"], timed))
                row = judge(deps, case, seen)
                row["_forward"] = seen["forward_ms"]
                rows.append(row)
                print(
                    f"{case['id']} {row['status']:9} {row['verdict']!s:8} ttft={row['first_token_ms']} "
                    f"inv={len(row['invented'])} reach={len(row['reached_citizen'])} {row['fallback'] or ''}"[:200],
                    flush=True,
                )
            extractive = asyncio.run(extractive_side(deps, cases))
        finally:
            server.should_exit = True
            thread.join(timeout=10)
    summary = summarise(rows, extractive, options.timeout_s)
    for row, other in zip(rows, extractive, strict=True):
        row.pop("_forward")
        row["extractive"] = other
    detail = RESULTS / "real_llm_last.json"
    detail.write_text(json.dumps(rows, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    record(
        "real_llm",
        {
            "model": model_name,
            "answerer": kind,
            "load_average": [round(x, 2) for x in load],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
            "settings": options.model_dump(mode="json", exclude={"openai_api_key"}),
            **summary,
        },
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=os.environ.get("COUNSELOR_LLM_GGUF"), help="a GGUF to serve")
    parser.add_argument("--llm-python", help="the venv python llama-cpp-python is in (bench/setup_llm.sh)")
    parser.add_argument("--openai-url", help="an OpenAI-compatible server already running")
    parser.add_argument("--openai-model", default="default")
    parser.add_argument("--ollama-url", help="an Ollama server: the same bench through the Ollama adapter")
    parser.add_argument("--ollama-model")
    parser.add_argument("--n-ctx", type=int, default=4096)
    parser.add_argument("--chat-format", default="gemma", help="llama-cpp-python's chat format for the model")
    parser.add_argument("--threads", type=int)
    parser.add_argument("--limit", type=int, help="the first N questions only")
    for knob in ("source_tokens", "max_answer_tokens", "first_token_timeout_s", "prompt_tokens_per_s", "timeout_s"):
        parser.add_argument(f"--{knob.replace('_', '-')}", type=float, help=f"COUNSELOR_LLM_{knob.upper()}")
    args = parser.parse_args()
    knobs = {k: v for k in LLMSettings.model_fields if (v := getattr(args, k, None)) is not None}
    if args.ollama_url:
        model = args.ollama_model or "qwen2.5:7b-instruct"
        options = LLMSettings.model_validate({"ollama_url": args.ollama_url, "ollama_model": model, **knobs})
        run(args, "ollama", options, model)
    elif args.openai_url:
        options = LLMSettings.model_validate(
            {"openai_url": args.openai_url, "openai_model": args.openai_model, **knobs}
        )
        run(args, "openai", options, args.openai_model)
    elif args.model:
        with (
            tempfile.TemporaryDirectory() as tmp,
            llama_server(
                llm_python(args.llm_python), Path(args.model), Path(tmp) / "llama.log", args.n_ctx, args.threads
            ) as url,
        ):
            options = LLMSettings.model_validate({"openai_url": url, "openai_model": Path(args.model).stem, **knobs})
            run(args, "openai", options, Path(args.model).name)
    else:
        parser.error("give --model (with --llm-python), --openai-url or --ollama-url")


if __name__ == "__main__":
    main()
