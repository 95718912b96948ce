"""Route: what the message is (counselor/chat/routing/), and the turns that end here: a crisis, a request
for a person, distress, the citizen's own case, small talk. Off-topic and vague messages are only marked:
Assess decides them once retrieval has had its say."""

from __future__ import annotations

import re
from typing import NamedTuple

import anyio

from counselor.chat.context import NoteDraft, StepNote, TurnContext
from counselor.chat.routing.decide import RouteDecision
from counselor.chat.routing.router import Router
from counselor.chat.routing.routes import Route
from counselor.chat.safety.crisis import CrisisKind
from counselor.chat.safety.intents import asks_for_contact, without_injection
from counselor.chat.statuses import EscalationReason, TurnStatus
from counselor.chat.steps.understand import answers_the_bot, previous_policy
from counselor.eligibility.replies import says_yes_or_no
from counselor.language import Language
from counselor.prompts import Prompt

# Replies this step needs, checked when the pipeline is built: a missing one must not surface in a crisis.
REPLIES = (
    "crisis",
    "distress",
    "person_requested",
    "own_case",
    "small_talk",
    "crisis_topic_note",
    "crisis_other_lines",
    *(f"crisis_{kind.value}" for kind in CrisisKind),
)


class TurnEnd(NamedTuple):
    """How a route other than a crisis ends the turn here."""

    status: TurnStatus
    reply: str  # key in prompts/replies.yaml
    reason: EscalationReason | None
    detail: str
    sure: bool  # a rule or the citizen's own words decided: nothing for retrieval's confidence to say


ENDS: dict[Route, TurnEnd] = {
    Route.PERSON: TurnEnd(
        TurnStatus.ESCALATED,
        "person_requested",
        EscalationReason.PERSON_REQUESTED,
        "the citizen asked for a person",
        True,
    ),
    Route.DISTRESS: TurnEnd(
        TurnStatus.ESCALATED,
        "distress",
        EscalationReason.DISTRESS,
        "distress without a stated danger; read first",
        True,
    ),
    Route.OWN_CASE: TurnEnd(
        TurnStatus.ESCALATED,
        "own_case",
        EscalationReason.OWN_CASE,
        "the citizen asks about their own case (a decision, payment or application)",
        False,
    ),
    Route.SMALL_TALK: TurnEnd(TurnStatus.SMALL_TALK, "small_talk", None, "", True),
}


def crisis_reply(replies: Prompt, kind: CrisisKind, language: Language) -> str:
    """The line for this kind of danger first; then the other lines, in case the danger is another kind."""
    return f"{replies.text(f'crisis_{kind.value}', language)}\n\n{replies.text('crisis_other_lines', language)}"


def _a_reply(decision: RouteDecision, text: str) -> bool:
    """What the model (or the generic-words rule) took for small talk, vague or off topic that a reply can be:
    small talk only when it says yes or no; an off-topic word list's hit stays off topic."""
    if decision.route == Route.SMALL_TALK:
        return says_yes_or_no(text)
    if decision.route == Route.OFF_TOPIC:
        return decision.decided_by == "model"
    return decision.route == Route.VAGUE


class RouteMessage:
    name = "route"

    def __init__(self, router: Router, replies: Prompt, limiter: anyio.CapacityLimiter | None = None) -> None:
        for key in REPLIES:
            replies.field(key)
        self.router = router
        self.replies = replies
        self.limiter = limiter

    async def __call__(self, ctx: TurnContext) -> StepNote | None:
        # An injection attempt's sentences change nothing, the route included.
        text = without_injection(ctx.question) if ctx.injection else ctx.question
        about = previous_policy(ctx.history)
        if answers_the_bot(ctx) and (asked := _question_asked(ctx.history[-1].answer)) is not None:
            # A reply is read as an answer to what the bot asked ("몇 학년이에요? 초등 3학년이요 학교 끝나면 2시인데
            # 제가 6시에 퇴근해요"): alone, a child's hours read as a child left alone.
            about = f"{about} {asked}" if about else asked
        rest = None if ctx.injection else ctx.without_facts
        decision: RouteDecision = await anyio.to_thread.run_sync(
            self.router.decide, text, about, rest, limiter=self.limiter
        )
        personal = set(ctx.facts_stated) - {"sido", "district"}  # a place named is no answer about oneself
        if personal and decision.route in (Route.SMALL_TALK, Route.VAGUE, Route.OFF_TOPIC):
            # "네 살이요", "She's 81": facts about the citizen answer the bot's question; they are never small talk.
            decision = decision.model_copy(update={"route": Route.WELFARE})
        elif answers_the_bot(ctx) and _a_reply(decision, text):
            # "네", "no", "예 광양읍이요", "grade 2 and grade 5" right after the bot asked something: the answer to
            # its question, about the program the conversation is on, not small talk, nothing vague or off topic.
            decision = decision.model_copy(update={"route": Route.WELFARE})
        elif self._contact_asked(decision, text):
            # "담당 부서 전화번호 알려줘요": the program's number, which the answer gives (its 문의 line); a request to
            # talk to someone is the rule's (asks_for_person) or the model's past ``person_over_contact``.
            decision = decision.model_copy(update={"route": Route.WELFARE})
        elif ctx.only_facts and decision.decided_by not in ("rule", "rules_only") and decision.route != Route.WELFARE:
            # Nothing but facts, in a reply ("아 잘못 말했어요, 여섯 살이에요") or around a program's name ("지난주에
            # 낳았어요. 부모급여 신청하려고요"): an eligibility question. The model's guess of a crisis, distress or a
            # case in progress from those words does not end the turn; a crisis word decides by rule, and a message
            # with anything more is not "only facts" (eligibility/replies.py). Its sentences read alone are the
            # model's guess too: what is left of one once its facts are cut can be a stub ("사는데 이번에.").
            decision = decision.model_copy(update={"route": Route.WELFARE, "crisis": None})
        ctx.route = decision
        note: NoteDraft = {
            "route": decision.route.value,
            "by": decision.decided_by,
            "p": {r.value: round(p, 3) for r, p in sorted(decision.probabilities.items(), key=lambda i: -i[1])[:3]},
        }
        lang = ctx.language
        if decision.crisis is not None:
            ctx.confidence = 1.0
            # The kind's code is the ticket's detail; the console shows it in Korean (console.js KINDS).
            ctx.stop(
                TurnStatus.CRISIS,
                crisis_reply(self.replies, decision.crisis, lang),
                EscalationReason.CRISIS,
                decision.crisis.value,
            )
        elif decision.route in ENDS:
            end = ENDS[decision.route]
            if end.sure:
                ctx.confidence = 1.0
            ctx.stop(end.status, self.replies.text(end.reply, lang), end.reason, end.detail)
        return note

    def _contact_asked(self, decision: RouteDecision, text: str) -> bool:
        return (
            decision.route == Route.PERSON
            and decision.decided_by == "model"
            and decision.probabilities.get(Route.PERSON, 0.0) < self.router.settings.person_over_contact
            and asks_for_contact(text)
        )


_QUESTION_END = re.compile(r"(?<=[?？])\s+|\n+")


def _question_asked(answer: str) -> str | None:
    """The last question of the bot's reply, the one a reply answers."""
    asked = [part.strip() for part in _QUESTION_END.split(answer) if part.strip().endswith(("?", "？"))]
    return asked[-1][-200:] if asked else None
