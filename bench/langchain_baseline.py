"""Retrieval side by side in one run: counselor's hybrid retriever against a plain LangChain tutorial pipeline
over the same knowledge — RecursiveCharacterTextSplitter (1,000 characters, 200 overlap), Chroma, the same
e5-small embedder, ``similarity_search(k=5)`` — on the dev and held-out questions: recall@5 (a chunk of an
expected policy among the five) and latency per query.

    python -m bench.langchain_baseline

The tutorial's chunks are embedded once and kept in the embedding cache (var/cache), like the index's.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from langchain_chroma import Chroma
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_text_splitters import RecursiveCharacterTextSplitter

from bench._results import record
from counselor.deps import build_deps
from counselor.evaluation.dataset import EvalCase, load_cases
from counselor.retrieval.embedders import Embedder
from counselor.retrieval.embedding_cache import EmbeddingCache
from counselor.retrieval.filters import SearchFilter
from ingestion.loaders import discover, load_document


class CachedE5(Embeddings):
    def __init__(self, embedder: Embedder, cache: EmbeddingCache) -> None:
        self.embedder = embedder
        self.cache = cache

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [list(map(float, v)) for v in self.cache.embed(self.embedder, texts)]

    def embed_query(self, text: str) -> list[float]:
        return list(map(float, self.embedder.embed_query(text)))


def documents(roots: Sequence[Path]) -> list[Document]:
    out = []
    for path in discover(list(roots)):
        doc = load_document(path)
        text = "\n\n".join([f"# {doc.meta.title}", *(f"## {s.heading}\n{s.text}" for s in doc.sections)])
        out.append(Document(page_content=text, metadata={"policy_id": doc.meta.policy_id, "title": doc.meta.title}))
    return out


def recall_and_latency(cases: list[EvalCase], search: object) -> tuple[float, float]:
    hits, times = 0, []
    for case in cases:
        started = time.perf_counter()
        found = search(case)  # type: ignore[operator]
        times.append((time.perf_counter() - started) * 1000)
        hits += any(case.matches(pid, title) for pid, title in found)
    return hits / len(cases), statistics.median(times)


def main() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    deps = build_deps()
    cases = [
        c
        for name in ("dev", "holdout")
        for c in load_cases(Path("evals/datasets") / f"{name}.jsonl")
        if c.expected_policies and not c.must_escalate
    ]
    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
    chunks = splitter.split_documents(documents(deps.settings.knowledge_dirs))
    cache = EmbeddingCache(deps.settings.cache_dir / "embeddings.sqlite")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        store = Chroma(
            collection_name="tutorial", embedding_function=CachedE5(deps.embedder, cache), persist_directory=tmp
        )
        for start in range(0, len(chunks), 500):
            store.add_documents(chunks[start : start + 500])
        build_s = time.perf_counter() - started

        def tutorial(case: EvalCase) -> list[tuple[str, str]]:
            return [(d.metadata["policy_id"], d.metadata["title"]) for d in store.similarity_search(case.question, k=5)]

        def ours(case: EvalCase) -> list[tuple[str, str]]:
            hits = deps.retriever.search(case.question, 5, SearchFilter(sido=case.sido, district=case.district))
            return [(h.policy_id, h.title) for h in hits]

        ours(cases[0])
        tutorial(cases[0])
        ours_recall, ours_ms = recall_and_latency(cases, ours)
        tut_recall, tut_ms = recall_and_latency(cases, tutorial)
    cache.close()
    record(
        "langchain_baseline",
        {
            "cases": len(cases),
            "tutorial_chunks": len(chunks),
            "tutorial_build_s": round(build_s, 1),
            "counselor_recall_at_5": round(ours_recall, 4),
            "counselor_ms_p50": round(ours_ms, 1),
            "tutorial_recall_at_5": round(tut_recall, 4),
            "tutorial_ms_p50": round(tut_ms, 1),
        },
    )


if __name__ == "__main__":
    main()
