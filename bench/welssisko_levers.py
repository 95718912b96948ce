"""Retrieval levers measured in numpy on the WelSSISKo tune split (docs/retrieval.md has the figures).

    python -m bench.welssisko_levers DATA_DIR [--split tune]

Embeds, once and cached under /tmp (COUNSELOR_BENCH_CACHE), the document-side vectors the levers need — one
per field of each national policy ("title\\nheading: text", e5-small reads 512 tokens of it), each FAQ
question and each title as a question-side vector — and the questions (raw and cleaned of generic phrasing).
Then scores every combination from the matrices alone: no index is rebuilt for a lever that is not kept.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np

from bench._results import record
from bench.welssisko import DiskQueries, cache_dir, load, summary
from counselor.chat.sources import PolicyTexts
from counselor.deps import build_deps
from counselor.retrieval.embedding_cache import EmbeddingCache
from counselor.retrieval.filters import SearchFilter
from counselor.retrieval.query_text import clean_query, title_matches

Scores = np.ndarray  # questions x policies


def faq_questions(text: str) -> list[str]:
    return [m.strip() for m in re.findall(r"\*\*Q\.\*\*\s*(.*?)\s*(?:\*\*A\.\*\*|$)", text, re.S) if m.strip()]


def policy_max(sims: np.ndarray, owner: np.ndarray, policies: int) -> Scores:
    """Max similarity per policy over its rows (questions x rows -> questions x policies)."""
    out = np.full((sims.shape[0], policies), -1.0, dtype=np.float32)
    for p in range(policies):
        cols = np.flatnonzero(owner == p)
        if len(cols):
            out[:, p] = sims[:, cols].max(axis=1)
    return out


def ranks_of(scores: Scores, gold: np.ndarray) -> list[int | None]:
    """1-based rank of the gold policy in each row (ties: pessimistic), None past 10."""
    gold_score = scores[np.arange(len(gold)), gold]
    rank = (scores > gold_score[:, None]).sum(axis=1) + 1
    return [int(r) if r <= 10 else None for r in rank]


def rrf(parts: list[tuple[Scores, float]], k: int) -> Scores:
    fused = np.zeros_like(parts[0][0])
    for scores, weight in parts:
        if weight == 0:
            continue
        order = np.argsort(-scores, axis=1, kind="stable")
        rank = np.empty_like(order)
        rank[np.arange(len(order))[:, None], order] = np.arange(1, order.shape[1] + 1)
        usable = scores > -1.0  # keyword: a policy with no matching term is not ranked at all
        fused += np.where(usable, weight / (k + rank), 0.0)
    return fused


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--split", choices=("tune", "untouched"), default="tune")
    args = parser.parse_args()
    deps = build_deps()
    retriever, index = deps.retriever, deps.retriever.index
    national = [c for c in index.chunks if c.region_level == "national"]
    titles = sorted({c.title for c in national})
    pid = {t: i for i, t in enumerate(titles)}
    texts = PolicyTexts(index)
    by_title = {c.title: texts.get(c.policy_id) for c in national}
    questions = [q for q in load(args.data_dir, args.split) if q.title in pid]
    gold = np.array([pid[q.title] for q in questions])
    print(f"{len(questions)} questions, {len(titles)} national policies")

    cache = EmbeddingCache(cache_dir() / "documents.sqlite")
    embedder = deps.embedder
    queries = DiskQueries(embedder, cache_dir())

    def docs(rows: list[tuple[int, str]]) -> tuple[np.ndarray, np.ndarray]:
        vecs = cache.embed(embedder, [t for _, t in rows], 32)
        return vecs, np.array([p for p, _ in rows])

    def query_side(rows: list[tuple[int, str]]) -> tuple[np.ndarray, np.ndarray]:
        vecs = np.stack([queries.embed_query(t) for _, t in rows])
        return vecs, np.array([p for p, _ in rows])

    chunk_rows = [(pid[c.title], c) for c in national if c.lang == "ko"]
    row_of = index.row
    matrix = retriever.matrix()
    chunk_vecs = matrix[[row_of[c.chunk_id] for _, c in chunk_rows]]
    chunk_owner = np.array([p for p, _ in chunk_rows])
    field_rows, faq_rows, title_rows = [], [], []
    for t, p in pid.items():
        policy = by_title[t]
        if policy is None:
            continue
        title_rows.append((p, t))
        for heading, text in policy.sections.items():
            if heading == "자주하는 질문":
                for unit in re.split(r"(?=\*\*Q\.\*\*)", text):
                    if unit.strip():
                        field_rows.append((p, f"{t}\n{heading}: {unit.strip()}"))
                faq_rows.extend((p, f"{t} {q}") for q in faq_questions(text))
            else:
                field_rows.append((p, f"{t}\n{heading}: {text}"))
    print(f"fields {len(field_rows)}, FAQ questions {len(faq_rows)}, titles {len(title_rows)}")
    field_vecs, field_owner = docs(field_rows)
    faq_vecs, faq_owner = query_side(faq_rows)
    title_vecs, title_owner = query_side(title_rows)

    variants: dict[str, Callable[[str], str]] = {"raw": lambda s: s, "clean": clean_query}
    results: dict[str, object] = {}
    kw_mask = retriever._mask(SearchFilter(national_only=True))
    chunk_pid = np.array([pid.get(c.title, -1) if c.region_level == "national" else -1 for c in index.chunks])
    for variant, fn in variants.items():
        qtexts = [fn(q.question) for q in questions]
        qv = np.stack([queries.embed_query(t) for t in qtexts])
        queries.save()
        dense_chunks = policy_max(qv @ chunk_vecs.T, chunk_owner, len(titles))
        dense_fields = policy_max(qv @ field_vecs.T, field_owner, len(titles))
        faq = policy_max(qv @ faq_vecs.T, faq_owner, len(titles))
        title = policy_max(qv @ title_vecs.T, title_owner, len(titles))
        keyword = np.full((len(questions), len(titles)), -1.0, dtype=np.float32)
        for i, t in enumerate(qtexts):
            expanded = retriever.expander.expand(t) if retriever.expander else t
            s = index.keyword.scores(retriever.tokenizer.tokens(expanded), kw_mask)
            for j in np.flatnonzero(s > 0):
                p = chunk_pid[j]
                if p >= 0 and s[j] > keyword[i, p]:
                    keyword[i, p] = s[j]
        exact = np.zeros((len(questions), len(titles)), dtype=np.float32)
        for i, t in enumerate(qtexts):
            for title_text in title_matches(t, titles):
                exact[i, pid[title_text]] = 1.0
        exact_scores = np.where(exact > 0, exact, -1.0)
        single: dict[str, Scores] = {
            "dense chunks (shipped)": dense_chunks,
            "dense fields max-sim": dense_fields,
            "dense chunks+fields max": np.maximum(dense_chunks, dense_fields),
            "FAQ questions (query side)": faq,
            "titles (query side)": title,
            "keyword": keyword,
        }
        for name, s in single.items():
            results[f"{variant} | {name}"] = summary(ranks_of(s, gold))
            print(f"{variant:5} | {name:<40} {json.dumps(results[f'{variant} | {name}'])}")
        dense_best = np.maximum(dense_chunks, dense_fields)
        grid = itertools.product((0.0, 0.5, 1.0), (0.0, 0.25, 0.5), (0.0, 0.25, 0.5), (0.3, 0.5, 0.75), (0, 1, 2))
        best: list[tuple[float, str, dict[str, float]]] = []
        for fields, faq_w, title_w, kw_w, exact_w in grid:
            dense = dense_best if fields else dense_chunks
            parts = [(dense, 1.0), (keyword, kw_w), (faq, faq_w), (title, title_w), (exact_scores, exact_w * 0.5)]
            fused = rrf(parts, 10)
            s = summary(ranks_of(fused, gold))
            name = f"hybrid fields={bool(fields)} faq={faq_w} title={title_w} kw={kw_w} exact={exact_w * 0.5}"
            best.append((s["recall@5"] + s["recall@1"], name, s))
            if fields == 0 and faq_w == 0 and title_w == 0 and kw_w == 0.5 and exact_w == 0:
                print(f"{variant:5} | shipped-like {name} {json.dumps(s)}")
                results[f"{variant} | shipped-like hybrid"] = s
        best.sort(key=lambda b: -b[0])
        for _, name, s in best[:8]:
            print(f"{variant:5} | {name} {json.dumps(s)}")
        results[f"{variant} | best hybrid"] = {"setting": best[0][1], **best[0][2]}
    record("welssisko_levers", {"split": args.split, **results})


if __name__ == "__main__":
    main()
