"""Fit the confidence model's weights on a dataset: label = the first policy is an expected one.

    python -m bench.confidence_fit [--dataset evals/datasets/dev.jsonl] [--holdout evals/datasets/holdout.jsonl]
    python -m bench.confidence_fit --external PATH/TO/welssisko-train   # fit on its tune split

Logistic regression (Newton's method, a little L2) over the features of counselor/chat/confidence.py.
Prints the weights to paste into WEIGHTS, the AUC, and precision / coverage at a few thresholds on both
sets; writes a JSON line to bench/results/confidence_fit.jsonl.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from bench._results import record
from counselor.chat.confidence import confidence, features
from counselor.deps import build_deps
from counselor.evaluation.dataset import load_cases
from counselor.retrieval.filters import SearchFilter


def collect(path: Path) -> tuple[np.ndarray, np.ndarray]:
    deps = build_deps()
    retriever, settings = deps.retriever, deps.settings.retrieval
    rows, labels = [], []
    for case in load_cases(path):
        rankings = retriever.rankings(case.question, SearchFilter(sido=case.sido, district=case.district))
        hits = retriever.fuse(rankings, settings.k)
        dense_top = rankings.dense[0][1] if rankings.dense else 0.0
        rows.append(features(hits, dense_top, case.lang == "en", settings))
        labels.append(1.0 if hits and case.matches(hits[0].policy_id, hits[0].title) else 0.0)
    return np.array(rows), np.array(labels)


def collect_external(data_dir: Path, split: str) -> tuple[np.ndarray, np.ndarray]:
    """The same features and label on the WelSSISKo questions (bench/welssisko.py: its split, its cache)."""
    from bench.welssisko import DiskQueries, cache_dir, load

    deps = build_deps()
    retriever, settings = deps.retriever, deps.settings.retrieval
    cached = DiskQueries(retriever.embedder, cache_dir())
    retriever.embedder = cached
    rows, labels = [], []
    for q in load(data_dir, split):
        rankings = retriever.rankings(q.question)
        hits = retriever.fuse(rankings, settings.k)
        dense_top = rankings.dense[0][1] if rankings.dense else 0.0
        rows.append(features(hits, dense_top, False, settings))
        labels.append(1.0 if hits and hits[0].title == q.title else 0.0)
    cached.save()
    return np.array(rows), np.array(labels)


def fit(x: np.ndarray, y: np.ndarray, l2: float = 0.1, steps: int = 50) -> np.ndarray:
    w = np.zeros(x.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-x @ w))
        grad = x.T @ (p - y) + l2 * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + l2 * np.eye(x.shape[1])
        w -= np.linalg.solve(hess, grad)
    return w


def auc(scores: np.ndarray, y: np.ndarray) -> float:
    pos, neg = scores[y == 1], scores[y == 0]
    if not len(pos) or not len(neg):
        return float("nan")
    return float((pos[:, None] > neg[None, :]).mean() + 0.5 * (pos[:, None] == neg[None, :]).mean())


def table(name: str, scores: np.ndarray, y: np.ndarray) -> dict[str, object]:
    print(f"{name}: n={len(y)} top-1 correct {y.mean():.3f} AUC {auc(scores, y):.3f}")
    out: dict[str, object] = {"n": len(y), "accuracy": round(float(y.mean()), 4), "auc": round(auc(scores, y), 4)}
    for t in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        kept = scores >= t
        precision = float(y[kept].mean()) if kept.any() else float("nan")
        print(f"  threshold {t:.1f}: answers {kept.mean():.3f} of questions, top-1 right in {precision:.3f} of those")
        out[f"t{t:.1f}"] = {"coverage": round(float(kept.mean()), 4), "precision": round(precision, 4)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dataset", type=Path, default=Path("evals/datasets/dev.jsonl"))
    parser.add_argument("--holdout", type=Path, default=Path("evals/datasets/holdout.jsonl"))
    parser.add_argument("--external", type=Path, help="fit on WelSSISKo's tune split (DATA_DIR) instead")
    args = parser.parse_args()
    x, y = collect_external(args.external, "tune") if args.external else collect(args.dataset)
    print("embedder:", build_deps().embedder.name)
    w = fit(x, y)
    print("WEIGHTS =", tuple(round(float(v), 3) for v in w))
    weights = tuple(float(v) for v in w)
    result: dict[str, object] = {"weights": [round(v, 3) for v in weights]}
    result["dev"] = table("dev", np.array([confidence(list(r), weights) for r in x]), y)
    if args.external:
        dx, dy = collect(args.dataset)
        result["own_dev"] = table("own dev set", np.array([confidence(list(r), weights) for r in dx]), dy)
    if args.holdout.exists():
        hx, hy = collect(args.holdout)
        result["holdout"] = table("holdout", np.array([confidence(list(r), weights) for r in hx]), hy)
    record("confidence_fit", result)


if __name__ == "__main__":
    main()
