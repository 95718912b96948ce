"""Assess: a confidence from retrieval signals, and the safe defaults for what it cannot settle.

- confident enough: answer;
- out of scope only when the router is confident the message is not about welfare, it showed no distress (that
  would have gone to a person already) and retrieval found nothing relevant either;
- too vague to search: ask the citizen to say more;
- a welfare question whose retrieval is weak: the best answer with its uncertainty said, or, when even that is
  too weak, one clarifying question naming the likeliest programs. Only when the citizen was already asked
  and retrieval still finds nothing does a caseworker take it: handing over is for what the knowledge cannot
  answer, not for wording the system has not seen.
"""

from __future__ import annotations

from counselor.chat.answerers.aspects import asked_aspects
from counselor.chat.confidence import confidence, features, weights_for
from counselor.chat.context import NoteDraft, StepNote, TurnContext
from counselor.chat.routing.routes import Route
from counselor.chat.safety.intents import asks_something
from counselor.chat.statuses import EscalationReason, TurnStatus
from counselor.policies import SearchHit
from counselor.prompts import Prompt
from counselor.settings import RetrievalSettings

CANDIDATES = 3  # programs named in a clarifying question


class Assess:
    name = "assess"

    def __init__(
        self, replies: Prompt, threshold: float, floor: float, retrieval: RetrievalSettings, embedder: str
    ) -> None:
        for key in ("out_of_scope", "needs_more_info", "clarify", "escalated", "uncertain"):
            replies.field(key)
        self.weights = weights_for(embedder)
        self.replies = replies
        self.threshold = threshold
        self.floor = floor
        self.retrieval = retrieval

    async def __call__(self, ctx: TurnContext) -> StepNote | None:
        values = features(ctx.hits, ctx.signals.get("dense_top", 0.0), ctx.language == "en", self.retrieval)
        ctx.confidence = confidence(values, self.weights)
        note: NoteDraft = {
            "features": [round(v, 4) for v in values],
            "confidence": round(ctx.confidence, 4),
            "threshold": self.threshold,
        }
        route = ctx.route.route if ctx.route else Route.WELFARE
        by_rule = ctx.route is not None and ctx.route.decided_by in ("rule", "rules_only")
        confident = bool(ctx.hits) and ctx.confidence >= self.threshold
        # For a message the router calls off topic, "relevant" needs a word of it in a policy's text too: dense
        # similarity alone ranks *something* first for any text. Such a word and a confidence we would answer
        # at anyway (the floor) are enough to keep it from "out of scope": a question in dialect ("틀니를 해야
        # 되는디 우째 하믄 되능교") reads as off topic to the model and scores low, yet names the program.
        keyword_top = bool(ctx.hits) and ctx.hits[0].keyword_rank is not None
        relevant = confident and (route != Route.OFF_TOPIC or keyword_top)
        in_scope = relevant or (keyword_top and ctx.confidence >= self.floor)
        lang = ctx.language
        if ctx.named_policy is not None and ctx.hits and ctx.hits[0].title == ctx.named_policy:
            # The citizen named the program ("아동수당 받을 수 있나요?") and retrieval has it: answer from it.
            note["named"] = ctx.named_policy
            return note
        asked_before = bool(ctx.history) and ctx.history[-1].status == TurnStatus.NEEDS_MORE_INFO
        # Off topic by its rule (an off-topic word and no welfare word at all) needs no word of retrieval's.
        off_by_rule = route == Route.OFF_TOPIC and by_rule
        if route == Route.OFF_TOPIC and not ctx.follow_up and (off_by_rule or not in_scope):
            ctx.stop(TurnStatus.OUT_OF_SCOPE, self.replies.text("out_of_scope", lang))
        elif route == Route.VAGUE and not ctx.follow_up and (by_rule or not confident):
            ctx.stop(TurnStatus.NEEDS_MORE_INFO, self.replies.text("needs_more_info", lang))
        elif relevant:
            return note
        elif ctx.hits and (ctx.confidence >= self.floor or ctx.follow_up or _told(ctx)):
            # Facts told and nothing asked ("어머니가 일흔둘이시고 혼자 사세요") are no question the knowledge cannot
            # answer: the best match, its uncertainty said, and the programs those facts fit (eligibility step).
            ctx.uncertain = True
            note["uncertain"] = True
        elif ctx.hits and not asked_before:
            names = "\n".join(f"- {h.title}" for h in _distinct(ctx)[:CANDIDATES])
            ctx.stop(TurnStatus.NEEDS_MORE_INFO, self.replies.text("clarify", lang, candidates=names))
            note["clarify"] = True
        elif not ctx.hits:
            ctx.stop(
                TurnStatus.ESCALATED,
                self.replies.text("escalated", lang),
                EscalationReason.NO_MATCH,
                "no policy matched the question",
            )
        else:
            ctx.stop(
                TurnStatus.ESCALATED,
                self.replies.text("escalated", lang),
                EscalationReason.LOW_CONFIDENCE,
                f"confidence {ctx.confidence:.2f} below {self.floor:.2f} after a clarifying question; "
                f"best match {ctx.hits[0].title}",
            )
        return note


def _told(ctx: TurnContext) -> bool:
    """Facts told and nothing asked: no question mark or asking word, and no aspect ("한 달에 얼마씩 줘요" asks)."""
    return bool(ctx.facts_stated) and not asks_something(ctx.question) and not asked_aspects(ctx.question)


def _distinct(ctx: TurnContext) -> list[SearchHit]:
    seen: dict[str, SearchHit] = {}
    for hit in ctx.hits:
        seen.setdefault(hit.title, hit)
    return list(seen.values())
