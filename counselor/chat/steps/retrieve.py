"""Retrieve: the hybrid retriever, scoped to the citizen's region when it is known."""

from __future__ import annotations

import os
from typing import Any

import anyio

from counselor.chat.context import TurnContext
from counselor.retrieval.filters import SearchFilter
from counselor.retrieval.hybrid import HybridRetriever, Rankings


class Retrieve:
    name = "retrieve"

    def __init__(self, retriever: HybridRetriever, k: int, concurrency: int | None = None) -> None:
        self.retriever = retriever
        self.k = k
        # A search holds a core for ~40 ms of embedding (the GIL released): one per core keeps every core
        # busy under load, more would only queue inside the engine, and the event loop stays free.
        self._limiter = anyio.CapacityLimiter(concurrency or os.cpu_count() or 1)

    def _search(self, question: str, where: SearchFilter) -> tuple[Rankings, list[Any]]:
        rankings = self.retriever.rankings(question, where)
        return rankings, self.retriever.fuse(rankings, self.k)

    async def __call__(self, ctx: TurnContext) -> dict[str, Any] | None:
        where = SearchFilter(sido=ctx.sido, district=ctx.district)
        rankings, ctx.hits = await anyio.to_thread.run_sync(
            self._search, ctx.standalone or ctx.question, where, limiter=self._limiter
        )
        ctx.signals["dense_top"] = rankings.dense[0][1] if rankings.dense else 0.0
        ctx.signals["keyword_top"] = rankings.keyword[0][1] if rankings.keyword else 0.0
        return {
            "hits": [
                {"policy_id": h.policy_id, "score": h.score, "dense_rank": h.dense_rank, "keyword_rank": h.keyword_rank}
                for h in ctx.hits
            ],
            "region": " ".join(p for p in (ctx.sido, ctx.district) if p) or None,
        }
