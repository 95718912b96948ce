"""Sweep fusion settings on a dataset without re-embedding: rankings are computed once per case.

    python -m bench.retrieval_sweep evals/datasets/dev.jsonl [--holdout evals/datasets/holdout.jsonl]

Prints recall@1/5 per language for dense only, keyword only, and hybrid over a grid of keyword weights,
RRF constants and expansion switches. The chosen defaults and their figures go to docs/retrieval.md.
"""

from __future__ import annotations

import argparse
import itertools
from dataclasses import replace
from pathlib import Path

from counselor.deps import build_deps
from counselor.evaluation.dataset import EvalCase, load_cases
from counselor.evaluation.retrieval import score_case, summarise
from counselor.language import detect_language
from counselor.retrieval.filters import SearchFilter
from counselor.retrieval.hybrid import HybridRetriever, Rankings


def collect(retriever: HybridRetriever, cases: list[EvalCase]) -> dict[tuple[str, bool], Rankings]:
    """(case id, dense query expanded?) -> rankings; keyword always uses the expanded query."""
    out = {}
    settings = retriever.settings
    for expand_dense in (False, True):
        retriever.settings = settings.model_copy(update={"expand_dense": "always" if expand_dense else "never"})
        for case in cases:
            out[(case.id, expand_dense)] = retriever.rankings(
                case.question, SearchFilter(sido=case.sido, district=case.district)
            )
    retriever.settings = settings
    return out


def evaluate(
    retriever: HybridRetriever,
    cases: list[EvalCase],
    ranks: dict[tuple[str, bool], Rankings],
    expand_dense: bool | str,
    keyword_weight: float,
    rrf_k: int,
    english_weight: float = 1.0,
    mode: str = "hybrid",
) -> dict[str, dict]:
    retriever.settings = retriever.settings.model_copy(
        update={"keyword_weight": keyword_weight, "rrf_k": rrf_k, "english_weight": english_weight}
    )
    results = []
    for case in cases:
        expanded = (
            expand_dense is True
            or expand_dense == "always"
            or (expand_dense == "english" and detect_language(case.question) == "en")
        )
        r = ranks[(case.id, expanded)]
        if mode == "dense":
            r = replace(r, keyword=[], english=[])
        elif mode == "keyword":
            r = replace(r, dense=[], english=[], titles=[])
        elif mode == "no-english":
            r = replace(r, english=[])
        results.append(score_case(case, retriever.fuse(r, 10), 0.0))
    by = {
        "all": results,
        "ko": [r for r in results if r.lang == "ko"],
        "en": [r for r in results if r.lang == "en"],
    }
    return {k: summarise(v) for k, v in by.items()}


def line(name: str, s: dict[str, dict]) -> str:
    cells = [
        f"{k}: R@1 {v['recall@1']:.3f} R@5 {v['recall@5']:.3f} MRR {v['mrr@10']:.3f}" for k, v in s.items() if v["n"]
    ]
    return f"{name:<34} " + " | ".join(cells)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--holdout", type=Path)
    args = parser.parse_args()
    deps = build_deps()
    retriever = deps.retriever
    sets = {"dev": load_cases(args.dataset)}
    if args.holdout:
        sets["holdout"] = load_cases(args.holdout)
    for name, cases in sets.items():
        ranks = collect(retriever, cases)
        print(f"== {name} ({len(cases)} cases)")
        for expand in (False, True):
            print(line(f"dense only, expand={expand}", evaluate(retriever, cases, ranks, expand, 0, 60, mode="dense")))
        print(line("keyword only (expanded)", evaluate(retriever, cases, ranks, True, 1, 60, mode="keyword")))
        grid = itertools.product(("never", "english"), (0.25, 0.5, 0.75), (0.0, 0.5, 1.0, 2.0), (10, 30, 60))
        for expand, weight, en_weight, rrf_k in grid:
            name = f"hybrid exp={expand} kw={weight} en={en_weight} k={rrf_k}"
            print(line(name, evaluate(retriever, cases, ranks, expand, weight, rrf_k, en_weight)))


if __name__ == "__main__":
    main()
