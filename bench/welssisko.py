"""Retrieval and answers on questions written by others: the WelSSISKo training set (measurement only).

    python -m bench.welssisko retrieval DATA_DIR [--split tune|untouched] [--mode all|dense|keyword|hybrid]
    python -m bench.welssisko answers DATA_DIR [--split tune|untouched] [--sample 600]

DATA_DIR is the folder with ``train.json`` and ``contexts.json`` (the shared welssisko-train data, given by path). The
set is read from there on every run and never copied into the project (its README: measure and tune only).

The split, fixed once: a context (one booklet service and all of its questions, so no service is on both
sides) is in the untouched slice when sha256(f"welssisko-split-16:{context_index}") read as an integer,
modulo 100, is below 20; the rest is the tune split. Choices are made on the tune split; the untouched slice
is scored once, at the end. Contexts without a 2024 service name (``title_2024``) are left out, as the
README says.

Question vectors are cached under /tmp (``COUNSELOR_BENCH_CACHE``, default /tmp/counselor-welssisko), keyed
by the embedder and the exact text, so a second run does not embed 3,000 questions again.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import itertools
import json
import os
import random
import statistics
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from bench._results import record
from counselor.chat.context import TurnContext
from counselor.deps import Deps, build_deps
from counselor.evaluation.answers import fact_found
from counselor.evaluation.answers import span_found as gold_span_found
from counselor.policies import SearchHit
from counselor.retrieval.embedders import Embedder, Vectors
from counselor.retrieval.filters import SearchFilter
from counselor.retrieval.hybrid import HybridRetriever, Rankings
from counselor.settings import get_settings

SPLIT_SEED = "welssisko-split-16"
UNTOUCHED_PERCENT = 20


@dataclass(frozen=True)
class Question:
    qid: str
    context: int
    question: str
    title: str  # the 2024 booklet's 사업명 of the question's service
    span: str  # the gold answer, a span of the service's text


def split_of(context_index: int) -> str:
    digest = hashlib.sha256(f"{SPLIT_SEED}:{context_index}".encode()).hexdigest()
    return "untouched" if int(digest, 16) % 100 < UNTOUCHED_PERCENT else "tune"


def load(data_dir: Path, split: str) -> list[Question]:
    data = json.loads((data_dir / "train.json").read_text(encoding="utf-8"))["data"]
    names = {c["context_index"]: c["title_2024"] for c in json.loads((data_dir / "contexts.json").read_text())}
    out = []
    for index, entry in enumerate(data):
        title = names.get(index)
        if not title or split_of(index) != split:
            continue
        for qa in entry["qas"]:
            span = qa["answers"][0]["text"] if qa.get("answers") else ""
            out.append(Question(str(qa["id"]), index, qa["question"].strip(), title, span.strip()))
    return out


class DiskQueries:
    """Question vectors cached in one .npz under /tmp; documents pass straight through."""

    def __init__(self, inner: Embedder, folder: Path) -> None:
        self.inner = inner
        self.path = folder / f"{inner.name}.npz"
        self._vectors: dict[str, Vectors] = {}
        if self.path.is_file():
            with np.load(self.path) as data:
                self._vectors = dict(zip(data["keys"].tolist(), data["vectors"], strict=True))
        self._dirty = False

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    def embed_documents(self, texts: list[str]) -> Vectors:
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> Vectors:
        key = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if key not in self._vectors:
            self._vectors[key] = self.inner.embed_query(text)
            self._dirty = True
        return self._vectors[key]

    def save(self) -> None:
        if not self._dirty:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = list(self._vectors)
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez(tmp, keys=np.array(keys), vectors=np.stack([self._vectors[k] for k in keys]))
        tmp.replace(self.path)


def cache_dir() -> Path:
    return Path(os.environ.get("COUNSELOR_BENCH_CACHE", "/tmp/counselor-welssisko"))


def span_in(span: str, reply: str) -> bool:
    """The gold span in the reply, punctuation aside (counselor.evaluation.answers.span_found)."""
    return gold_span_found(span, reply)


def first_rank(hits: list[SearchHit], title: str) -> int | None:
    return next((i + 1 for i, h in enumerate(hits) if h.title == title), None)


def summary(ranks: list[int | None]) -> dict[str, float]:
    n = len(ranks)
    out: dict[str, float] = {"n": n}
    for k in (1, 5, 10):
        out[f"recall@{k}"] = round(sum(1 for r in ranks if r is not None and r <= k) / n, 4)
    out["mrr@10"] = round(sum(1 / r for r in ranks if r is not None and r <= 10) / n, 4)
    return out


def only(r: Rankings, mode: str) -> Rankings:
    if mode == "dense":
        return replace(r, keyword=[], titles=[])
    if mode == "keyword":
        return replace(r, dense=[], english=[], titles=[])
    return r


def retrieval(
    deps: Deps, questions: list[Question], modes: list[str], region: str | None, sweep: bool = False
) -> dict[str, object]:
    retriever: HybridRetriever = deps.retriever
    cached = DiskQueries(retriever.embedder, cache_dir())
    retriever.embedder = cached
    started = time.perf_counter()
    # A citizen of a city asking a national question still expects the national program first.
    parts = region.split() if region else []
    where = SearchFilter(sido=parts[0], district=parts[1] if len(parts) > 1 else None) if parts else None
    rankings = []
    for i, q in enumerate(questions):
        rankings.append(retriever.rankings(q.question, where))
        if i % 500 == 499:
            print(f"  {i + 1} questions, {time.perf_counter() - started:.0f} s", flush=True)
    cached.save()
    print(f"rankings of {len(questions)} questions in {time.perf_counter() - started:.1f} s")
    result: dict[str, object] = {}
    if sweep:
        base = retriever.settings
        grid = []
        for kw, title, rrf_k in itertools.product((0.5, 0.75, 1.0), (0.0, 0.25, 0.5, 1.0), (10, 20)):
            retriever.settings = base.model_copy(update={"keyword_weight": kw, "title_weight": title, "rrf_k": rrf_k})
            s = summary([first_rank(retriever.fuse(r, 10), q.title) for q, r in zip(questions, rankings, strict=True)])
            grid.append({"keyword_weight": kw, "title_weight": title, "rrf_k": rrf_k, **s})
            print(json.dumps(grid[-1]))
        retriever.settings = base
        result["sweep"] = grid
    for mode in modes:
        ms, ranks = [], []
        for q, r in zip(questions, rankings, strict=True):
            t0 = time.perf_counter()
            hits = retriever.fuse(only(r, mode), 10)
            ms.append((time.perf_counter() - t0) * 1000)
            ranks.append(first_rank(hits, q.title))
        s = summary(ranks)
        s["fuse_ms_p50"] = round(statistics.median(ms), 3)
        result[mode] = s
        print(mode, json.dumps(s))
    return result


async def _answers(deps: Deps, questions: list[Question], misses: list[dict[str, str]] | None) -> dict[str, object]:
    statuses: dict[str, int] = {}
    answered = span_found = strict = cited = cited_first = 0
    for q in questions:
        ctx = TurnContext(question=q.question)
        await deps.pipeline.run(ctx)
        status = str(ctx.status.value if ctx.status else "none")
        statuses[status] = statuses.get(status, 0) + 1
        if status != "answered":
            continue
        answered += 1
        strict += fact_found(q.span, ctx.answer)
        found = span_in(q.span, ctx.answer)
        span_found += found
        if not found and misses is not None:
            misses.append({"q": q.question, "span": q.span, "title": q.title, "answer": ctx.answer})
        titles = [s.title for s in ctx.sources]
        cited += q.title in titles
        cited_first += bool(titles) and titles[0] == q.title
    n = len(questions)
    return {
        "n": n,
        "statuses": statuses,
        "answered": round(answered / n, 4),
        "span_in_answered": round(span_found / max(answered, 1), 4),
        "span_in_answered_strict": round(strict / max(answered, 1), 4),
        "right_policy_cited_in_answered": round(cited / max(answered, 1), 4),
        "right_policy_first_in_answered": round(cited_first / max(answered, 1), 4),
    }


def answers(deps: Deps, questions: list[Question], split: str) -> dict[str, object]:
    cached = DiskQueries(deps.retriever.embedder, cache_dir())
    deps.retriever.embedder = cached
    # Misses of the tune split go to /tmp for reading; the untouched slice is scored, never read.
    misses: list[dict[str, str]] | None = [] if split == "tune" else None
    try:
        return asyncio.run(_answers(deps, questions, misses))
    finally:
        cached.save()
        if misses is not None:
            path = cache_dir() / "answer_misses.jsonl"
            path.write_text("".join(json.dumps(m, ensure_ascii=False) + "\n" for m in misses), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=("retrieval", "answers"))
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--split", choices=("tune", "untouched"), default="tune")
    parser.add_argument("--mode", choices=("all", "dense", "keyword", "hybrid"), default="all")
    parser.add_argument("--region", help="retrieval: search as a citizen of this region, e.g. '전라남도 광양시'")
    parser.add_argument("--sweep", action="store_true", help="retrieval: also sweep the fusion weights")
    parser.add_argument("--sample", type=int, default=0, help="answers: this many questions, drawn with seed 16")
    args = parser.parse_args()
    questions = load(args.data_dir, args.split)
    print(f"{args.split}: {len(questions)} questions, {len({q.context for q in questions})} services", flush=True)
    settings = get_settings()
    if args.what == "answers":
        settings.llm = "extractive"
        if args.sample:
            questions = random.Random(16).sample(questions, min(args.sample, len(questions)))
    started = time.perf_counter()
    deps = build_deps(settings)
    print(f"deps built in {time.perf_counter() - started:.1f} s", flush=True)
    if args.what == "retrieval":
        modes = ["dense", "keyword", "hybrid"] if args.mode == "all" else [args.mode]
        result = retrieval(deps, questions, modes, args.region, args.sweep)
    else:
        result = answers(deps, questions, args.split)
        print(json.dumps(result, ensure_ascii=False))
    record(f"welssisko_{args.what}", {"split": args.split, "region": args.region, **result})


if __name__ == "__main__":
    main()
