"""A turn: small steps over one context. Any step may stop the turn; every step is timed and recorded."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from functools import partial

from counselor.chat.answerers.base import Answerer
from counselor.chat.answerers.extractive import ExtractiveAnswerer
from counselor.chat.confidence import sure
from counselor.chat.context import ModelOutput, StepRecord, TurnContext
from counselor.chat.routing.router import Router
from counselor.chat.sources import PolicyTexts
from counselor.chat.statuses import TurnStatus
from counselor.chat.steps.assess import Assess
from counselor.chat.steps.base import Step
from counselor.chat.steps.compose import Compose
from counselor.chat.steps.eligibility import CheckEligibility
from counselor.chat.steps.guard_input import GuardInput
from counselor.chat.steps.guard_output import GuardOutput
from counselor.chat.steps.remember import RememberFacts
from counselor.chat.steps.retrieve import Retrieve
from counselor.chat.steps.route import RouteMessage
from counselor.chat.steps.understand import Understand
from counselor.eligibility.catalog import policies_from_chunks
from counselor.eligibility.engine import EligibilityEngine
from counselor.eligibility.naming import PolicyNames
from counselor.eligibility.residence import Residence
from counselor.prompts import Prompt, PromptLibrary
from counselor.retrieval.hybrid import HybridRetriever
from counselor.retrieval.regions import RegionDirectory
from counselor.settings import Settings

log = logging.getLogger(__name__)


class Pipeline:
    def __init__(self, steps: Sequence[Step], replies: Prompt) -> None:
        self.steps = list(steps)
        self.replies = replies

    async def run(self, ctx: TurnContext) -> TurnContext:
        for step in self.steps:
            started = time.perf_counter()
            record = StepRecord(name=step.name, ms=0.0)
            try:
                done = await step(ctx)
                if isinstance(done, ModelOutput):
                    record.note, record.raw_output = dict(done.note), done.raw
                else:
                    record.note = dict(done or {})
            except Exception as exc:  # a bug must not reach the citizen as a traceback
                log.exception("turn step %s failed", step.name)
                record.error = f"{type(exc).__name__}: {exc}"
                ctx.confidence = 0.0
                ctx.stop(TurnStatus.ERROR, self.replies.text("error", ctx.language))
            record.ms = round((time.perf_counter() - started) * 1000, 3)
            record.stopped = ctx.stopped
            ctx.steps.append(record)
            if ctx.stopped:
                break
        if not ctx.stopped:
            ctx.status = TurnStatus.ANSWERED
        if ctx.status == TurnStatus.ANSWERED:
            self._notices(ctx)
        if ctx.masked_kinds:
            ctx.answer = f"{ctx.answer}\n\n{self.replies.text('pii_warning', ctx.language)}"
        return ctx

    def _notices(self, ctx: TurnContext) -> None:
        """What an answer says besides the sources: that the match is uncertain; the hotline for a crisis
        subject the question names (someone asking about 가정폭력 support may be the one in danger)."""
        if ctx.uncertain:
            ctx.answer = f"{self.replies.text('uncertain', ctx.language)}\n\n{ctx.answer}"
        topic = ctx.route.topic if ctx.route else None
        if topic is not None:
            lang = "en" if ctx.language == "en" else "ko"
            ctx.answer = f"{ctx.answer}\n\n{self.replies.field('crisis_topic_note')[lang][topic.value]}"


def build_pipeline(
    settings: Settings,
    prompts: PromptLibrary,
    retriever: HybridRetriever,
    texts: PolicyTexts,
    answerer: Answerer,
    regions: RegionDirectory | None,
    eligibility: EligibilityEngine | None = None,
    router: Router | None = None,
) -> Pipeline:
    replies = prompts.get("replies")
    extractive = ExtractiveAnswerer(prompts.get("extractive"), settings.chat.related_policies)
    steps: list[Step] = [GuardInput(replies, settings.chat.max_message_chars)]
    # One index of programs' names for the steps that look them up (built once: ~0.2 s over 3,032 programs).
    names = PolicyNames(eligibility.programs.values() if eligibility else policies_from_chunks(retriever.index.chunks))
    if eligibility is not None:
        steps.append(RememberFacts(eligibility, names, Residence(regions).of if regions else None))
    if router is None:
        router = Router(
            settings.router,
            lambda text: retriever.embedder.embed_query(retriever.dense_query(text)),
            retriever.embedder.name,
            retriever.embedder.dimension,
        )
    threshold = settings.chat.confidence_threshold
    sure_of = partial(sure, settings=settings.retrieval, embedder=retriever.embedder.name, at=threshold)
    retrieve = Retrieve(retriever, names, settings.retrieval.k, settings.retrieval.concurrency, sure_of)
    steps += [
        RouteMessage(router, replies, retrieve.limiter),
        Understand(replies, regions),
        retrieve,
        Assess(replies, threshold, settings.chat.answer_floor, settings.retrieval, retriever.embedder.name),
        Compose(answerer, extractive, texts),
        GuardOutput(extractive, replies),
    ]
    if eligibility is not None:
        steps.append(CheckEligibility(eligibility, names, prompts.get("eligibility")))
    return Pipeline(steps, replies)
