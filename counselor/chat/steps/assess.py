"""Assess: a confidence from retrieval signals; too low means a caseworker should answer (or, for a
question with nothing about welfare in it, that it is out of scope)."""

from __future__ import annotations

from typing import Any

from counselor.chat.confidence import confidence, features, weights_for
from counselor.chat.context import TurnContext
from counselor.chat.safety.intents import has_welfare_words
from counselor.chat.statuses import EscalationReason, TurnStatus
from counselor.prompts import Prompt
from counselor.settings import RetrievalSettings


class Assess:
    name = "assess"

    def __init__(self, replies: Prompt, threshold: float, retrieval: RetrievalSettings, embedder: str) -> None:
        self.weights = weights_for(embedder)
        self.replies = replies
        self.threshold = threshold
        self.retrieval = retrieval

    async def __call__(self, ctx: TurnContext) -> dict[str, Any] | None:
        values = features(ctx.hits, ctx.signals.get("dense_top", 0.0), ctx.language == "en", self.retrieval)
        ctx.confidence = confidence(values, self.weights)
        note = {
            "features": [round(v, 4) for v in values],
            "confidence": round(ctx.confidence, 4),
            "threshold": self.threshold,
        }
        if ctx.hits and ctx.confidence >= self.threshold:
            return note
        if not has_welfare_words(ctx.standalone or ctx.question):
            ctx.stop(TurnStatus.OUT_OF_SCOPE, self.replies.text("out_of_scope", ctx.language))
        elif not ctx.hits:
            ctx.stop(
                TurnStatus.ESCALATED,
                self.replies.text("escalated", ctx.language),
                EscalationReason.NO_MATCH,
                "no policy matched the question",
            )
        else:
            ctx.stop(
                TurnStatus.ESCALATED,
                self.replies.text("escalated", ctx.language),
                EscalationReason.LOW_CONFIDENCE,
                f"confidence {ctx.confidence:.2f} below {self.threshold:.2f}; best match {ctx.hits[0].title}",
            )
        return note
