"""Remember: the facts this message states about the citizen join their profile (newer wins, nothing is
asked twice). Income becomes a band as soon as the household's size is known, and the amount is dropped."""

from __future__ import annotations

from typing import Any

from counselor.chat.context import TurnContext
from counselor.eligibility.engine import EligibilityEngine
from counselor.eligibility.facts import RegionDetector, extract
from counselor.eligibility.profile import Profile


def banded(profile: Profile, engine: EligibilityEngine) -> Profile:
    size = profile.size()
    if profile.monthly_income is None or size is None:
        return profile
    band = engine.income_band(profile.monthly_income, size)
    return profile.model_copy(update={"income_band": band, "monthly_income": None})


class RememberFacts:
    name = "remember"

    def __init__(self, engine: EligibilityEngine, region: RegionDetector | None) -> None:
        self.engine = engine
        self.region = region

    async def __call__(self, ctx: TurnContext) -> dict[str, Any] | None:
        stated = extract(ctx.question, ctx.reply_to, self.region)
        learned = sorted(stated.known())
        if not learned:
            return None
        merged = banded(ctx.profile.merge(stated), self.engine)
        ctx.profile_changed = merged != ctx.profile
        ctx.profile = merged
        return {"facts": learned}
