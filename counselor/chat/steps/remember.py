"""Remember: the facts this message states join the profile of the person they are about (newer wins,
nothing is asked twice). The citizen's own facts and another person's ("우리 엄마가 72세") are kept apart; a
short reply ("네 살이요") answers the bot's last question, about whoever the conversation is about. Income
becomes a band as soon as the household's size is known, and the amount is dropped."""

from __future__ import annotations

import logging
import re

from pydantic import ValidationError

from counselor.chat.context import StepNote, TurnContext
from counselor.chat.safety.intents import asks_something, asks_to_keep
from counselor.eligibility.engine import EligibilityEngine
from counselor.eligibility.facts import RegionDetector, read
from counselor.eligibility.naming import PolicyNames
from counselor.eligibility.people import corrected_relation
from counselor.eligibility.profile import Profile


def banded(profile: Profile, engine: EligibilityEngine) -> Profile:
    size = profile.size()
    if profile.monthly_income is None or size is None:
        return profile
    band = engine.income_band(profile.monthly_income, size)
    return profile.model_copy(update={"income_band": band, "monthly_income": None})


def renamed(profile: Profile, text: str) -> Profile:
    """ "아버지가 아니라 큰아버지세요": what was said of the one is the other's."""
    corrected = corrected_relation(text)
    if corrected is None or profile.others is None or corrected[0] not in profile.others:
        return profile
    wrong, right = corrected
    others = {(right if who == wrong else who): p for who, p in profile.others.items()}
    subject = right if profile.subject == wrong else profile.subject
    return profile.model_copy(update={"others": others, "subject": subject})


log = logging.getLogger(__name__)
# A program said as not used: "아이돌봄도 안 써요", "어린이집은 안 다녀요", "we don't use 아이돌봄".
_NOT_USED_AFTER = re.compile(r"\s*(?:은|는|도|이나|서비스|서비스도|서비스는)?\s*(?:안|않|못|아니)")
_NOT_USED_BEFORE = re.compile(r"(?:\bnot\s+(?:on|using|getting)|\bdon'?t\s+(?:use|get|have)|\bno)\s*$", re.I)


def _named_as_fact(question: str, facts: Profile, names: PolicyNames) -> bool:
    """Whether every place the message names a program is inside the words of a fact it states (the recipient
    fact's "기초수급자") or says the program is not used: then naming it asks nothing about it."""
    spans = names.spans(question)
    if not spans:
        return False
    words = [src.words for src in facts.sources.values() if src.words]
    facts_at = [(i, i + len(w)) for w in words if (i := question.find(w)) >= 0]
    for start, end in spans:
        inside = any(a <= start and end <= b for a, b in facts_at)
        unused = bool(_NOT_USED_AFTER.match(question, end) or _NOT_USED_BEFORE.search(question[:start]))
        if not (inside or unused):
            return False
    return True


class RememberFacts:
    name = "remember"

    def __init__(self, engine: EligibilityEngine, names: PolicyNames, region: RegionDetector | None) -> None:
        self.engine = engine
        self.names = names
        self.region = region

    async def __call__(self, ctx: TurnContext) -> StepNote | None:
        before = renamed(ctx.profile, ctx.question)
        try:
            reading = read(
                ctx.question,
                ctx.reply_to,
                self.region,
                asked=before.asked,
                today=self.engine.today(),
                known=before.about(),
                programs=self.names.spans,
            )
        except ValidationError as exc:
            # Words read as a fact no profile can hold (an age of 300, a "child" of 90): the turn goes on with
            # the facts known before, never a failed turn for the citizen; the log says which reading broke.
            log.warning("facts not read from a message: %s", exc.errors()[0].get("msg"))
            return {"facts": [], "unread": True}
        ctx.without_facts = reading.rest
        subject = reading.subject or before.subject or "self"
        profile = before.merge(reading.own) if subject != "self" else before
        others = dict(profile.others or {})
        for who, facts in reading.others.items():
            if who != subject:
                others[who] = banded(others.get(who, Profile()).merge(facts), self.engine)
        if subject == "self":
            profile = profile.merge(reading.facts)
        else:
            others[subject] = banded(others.get(subject, Profile()).merge(reading.facts), self.engine)
        learned = sorted(set(reading.facts.known()) | set(reading.own.known()))
        # A program named by its title or a name ("아동수당은 몇 살까지 받아요?", "Where do I apply for Daycare Fee
        # Support for Disabled Children?") is answered from that program (Retrieve puts it first, Assess answers
        # from it), not from a longer title holding its words. Where the citizen lives decides a city's
        # program, also when this very message says it ("광양 사는 국가유공자입니다").
        known = profile if profile.sido else before
        place = (known.sido, known.district) if known.sido else (ctx.sido, ctx.district)
        named = self.names.exact(ctx.question, *place)
        if named is None and asks_to_keep(ctx.question):
            # The one program named is one the citizen receives, and they ask whether they still can: that one.
            named = self.names.exact(ctx.question, *place, received=True)
        ctx.named_policy = self.names.title(named) if named is not None else None
        merged = banded(profile, self.engine).model_copy(
            update={"others": others or None, "subject": None if subject == "self" else subject}
        )
        if not learned and not reading.others and merged == ctx.profile:
            return None
        ctx.profile_changed = merged != ctx.profile
        ctx.profile = merged
        ctx.facts_stated = learned
        # Nothing but facts, in a reply or in a question naming a program ("부모급여 문의요. 아이가 26개월이에요"):
        # the route step lets no model's guess of a crisis end such a turn (steps/route.py).
        ctx.only_facts = reading.only_facts and bool(learned) and bool(ctx.history or self.names.spans(ctx.question))
        # "집에서 제가 봐요, 어린이집 안 다녀요" after a verdict on 가정양육수당: the same program's question. So are
        # facts told among other words after an answer ("She's 90 and already has grade 2", "소득은 없으세요 집
        # 한 채 있으시고요", "We get 의료급여 and my son is 4") that ask nothing and name no program: the words
        # besides the facts are no story of their own to search on.
        replying = ctx.only_facts or (bool(learned) and not asks_something(ctx.question))
        said_as_fact = ctx.named_policy is not None and _named_as_fact(ctx.question, reading.facts, self.names)
        if replying and (ctx.named_policy is None or said_as_fact) and ctx.history and ctx.history[-1].policy_titles:
            # A program named in a reply only inside the words of a fact ("기초수급자예요") or as not used
            # ("아이돌봄도 안 써요") is one more fact: the program the conversation is on stays the one asked about.
            # Named otherwise ("부모급여 신청하려고요. 아기 5개월이에요"), it is the program asked about now.
            ctx.named_policy = ctx.history[-1].policy_titles[0]
        return {"facts": learned, "subject": subject, "only_facts": ctx.only_facts}
