"""Understand: the question as it would read on its own (a follow-up joins the policy just discussed), the
region it names, and several problems at once (a caseworker's case)."""

from __future__ import annotations

import re

from counselor.chat.context import NoteDraft, PriorTurn, StepNote, TurnContext
from counselor.chat.routing.routes import Route
from counselor.chat.safety.intents import has_welfare_words, is_question, troubles, without_injection
from counselor.chat.statuses import EscalationReason, TurnStatus
from counselor.prompts import Prompt
from counselor.retrieval.regions import RegionDirectory

# Words that only say *what about* a program (its application, amount, contact) or point back at one.
_ASPECT_OR_POINTER = re.compile(
    r"그럼|그러면|그건|그거|그것|그게|거기|이거|이것|이건|그\s*제도|그\s*지원|그\s*돈|요건|"
    r"신청|어디|어떻게|얼마|금액|대상|자격|조건|서류|방법|절차|문의|전화|번호|언제|기간|해요|하나요|되나요|인가요|은요|는요|"
    r"\b(what|about|how|where|when|who|much|apply|application|amount|documents?|contact|call|phone|it|that|this|"
    r"them|there|then|so|and|for|do|does|can|i|we|to|the|a|is|are|get|need|long|number)\b",
    re.IGNORECASE,
)

MANY_TROUBLES = 3  # kinds of trouble in one message that make it a caseworker's case (evals/escalation.jsonl)
SHORT_WORDS = 5  # a message this short after an answer may be about that answer; retrieval decides (Retrieve)
# Routes whose message may continue the previous answer: a follow-up is never out of scope.
CONTINUING = frozenset({Route.WELFARE, Route.VAGUE, Route.OFF_TOPIC})


def is_follow_up(question: str) -> bool:
    """A question with nothing of its own once aspect words and pointers are gone ("그럼 신청은 어디서
    해요?", "how much is it?"); a question that names something new ("아동수당은요?") is not one."""
    rest = _ASPECT_OR_POINTER.sub(" ", question)
    rest = re.sub(r"[^\w가-힣]|[0-9_]", " ", rest)
    # Particles left behind (은, 서, 요) are single syllables; anything longer names something.
    return not re.search(r"[가-힣]{2,}|[A-Za-z]{3,}", rest)


def answers_the_bot(ctx: TurnContext) -> bool:
    """The message comes right after the bot asked the citizen something: a fact for a verdict (the profile
    remembers which), a clarifying question, or a reply that ends in a question."""
    if not ctx.history:
        return False
    last = ctx.history[-1]
    return (
        ctx.profile.asked is not None
        or last.status == TurnStatus.NEEDS_MORE_INFO
        or last.answer.rstrip().endswith(("?", "？"))
    )


def previous_policy(history: list[PriorTurn]) -> str | None:
    previous = next((t for t in reversed(history) if t.policy_titles), None)
    return previous.policy_titles[0] if previous else None


class Understand:
    name = "understand"

    def __init__(self, replies: Prompt, regions: RegionDirectory | None) -> None:
        self.replies = replies
        self.regions = regions

    async def __call__(self, ctx: TurnContext) -> StepNote | None:
        # An injection attempt changes nothing, including what is searched: its sentences are left out.
        ctx.standalone = without_injection(ctx.question) if ctx.injection else ctx.question
        place = self.regions.detect(ctx.question) if self.regions else None
        if place is not None:
            ctx.sido, ctx.district = place.sido, place.district
        elif ctx.sido is None and (lives := ctx.profile.about()).sido is not None:
            # Where the person asked about lives, read from the words ("광양 사는데", "광양 중마동 사시고"; a
            # place name alone is too bare for the region detector): search that city's programs too.
            ctx.sido, ctx.district = lives.sido, lives.district
        route = ctx.route.route if ctx.route else Route.WELFARE
        policy = previous_policy(ctx.history)
        # "월 150만원 벌어요" after a question about 기초연금 answers the bot's question: it is about that policy.
        facts_only = ctx.profile_changed and not has_welfare_words(ctx.standalone) and not is_question(ctx.standalone)
        if policy is not None and route in CONTINUING and (is_follow_up(ctx.standalone) or facts_only):
            ctx.follow_up = True
            ctx.standalone = f"{policy} {ctx.standalone}"
        elif policy is None and ctx.named_policy is None and route in CONTINUING and answers_the_bot(ctx):
            # "he's 19 months" after "How many months old is your baby?" to "how much is parent benefit", no
            # program cited yet (the bot asked to narrow the question down): the reply completes that question.
            ctx.standalone = f"{ctx.history[-1].question} {ctx.standalone}"
        note: NoteDraft = {"standalone": ctx.standalone, "follow_up": ctx.follow_up}
        kinds = troubles(ctx.standalone)
        if len(kinds) >= MANY_TROUBLES:
            note["troubles"] = kinds
            ctx.stop(
                TurnStatus.ESCALATED,
                self.replies.text("several_problems", ctx.language),
                EscalationReason.SEVERAL_PROBLEMS,
                f"several problems at once: {', '.join(kinds)}",
            )
        return note

    @staticmethod
    def may_continue(ctx: TurnContext) -> str | None:
        """The previous answer's policy when this message may be about it; Retrieve decides (a message that
        names another policy is a new question; so is a long one that retrieval matches confidently)."""
        route = ctx.route.route if ctx.route else Route.WELFARE
        policy = previous_policy(ctx.history)
        if ctx.follow_up or policy is None or route not in CONTINUING:
            return None
        return policy


# Words of policy titles that name no policy of their own ("지원" is in hundreds of titles).
_GENERIC_TITLE_WORDS = frozenset(
    (
        *("지원", "지원금", "사업", "제도", "서비스", "프로그램", "급여", "수당", "바우처", "센터", "운영"),
        *("the", "for", "and", "support", "program", "programme", "service", "services", "benefit", "benefits"),
        *("allowance", "scheme", "voucher", "center", "centre"),
    )
)


def names_policy(message: str, title: str, title_en: str | None = None) -> bool:
    """Whether the message names this policy: a distinctive word of its title (Korean, spaces ignored, or
    English) is in the message. "주거급여는요?" names 주거급여; "우리 엄마도 돼요?" names nothing."""
    squeezed = re.sub(r"\s+", "", message).lower()
    words = re.findall(r"[가-힣]{2,}|[A-Za-z]{3,}", f"{title} {title_en or ''}")
    return any(w.lower() not in _GENERIC_TITLE_WORDS and w.lower() in squeezed for w in words)
