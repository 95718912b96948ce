"""Compose: the answerer writes from the numbered sources; if it fails, the extractive answer stands in."""

from __future__ import annotations

from counselor.chat.answerers.base import Answerer, AnswererError, AnswerRequest, discard
from counselor.chat.answerers.extractive import ExtractiveAnswerer
from counselor.chat.context import Authorship, ModelOutput, Revision, StepNote, TurnContext
from counselor.chat.sources import PolicyTexts


class Compose:
    name = "compose"
    MAX_SOURCES = 4

    def __init__(self, answerer: Answerer, extractive: ExtractiveAnswerer, texts: PolicyTexts) -> None:
        self.answerer = answerer
        self.extractive = extractive
        self.texts = texts

    async def __call__(self, ctx: TurnContext) -> StepNote | ModelOutput:
        ctx.sources = [p for h in ctx.hits[: self.MAX_SOURCES] if (p := self.texts.get(h.policy_id)) is not None]
        given = [p.policy_id for p in ctx.sources]
        request = AnswerRequest.of(ctx)
        try:
            draft = await self.answerer.compose(request, ctx.emit or discard)
            ctx.written_by = Authorship(self.answerer.name)
        except AnswererError as exc:
            draft = await self.extractive.compose(request, discard)
            ctx.written_by = Authorship(self.extractive.name, Revision.FALLBACK)
            ctx.answer = draft.text
            ctx.prompts.extend(draft.prompts)
            return {"answerer": ctx.answerer, "fallback_from": self.answerer.name, "error": str(exc), "sources": given}
        ctx.answer = draft.text
        ctx.prompts.extend(draft.prompts)
        stats = draft.stats.model_dump() if draft.stats else {}
        return ModelOutput({"answerer": ctx.answerer, "sources": given, **stats}, draft.raw)
