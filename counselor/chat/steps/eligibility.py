"""Eligibility: after an answer, the computed verdict for the policy it cites, the one question that would
settle it, and other policies the citizen's profile makes them eligible or likely eligible for."""

from __future__ import annotations

from typing import Any

from counselor.chat.context import TurnContext
from counselor.chat.frames import CriterionCheck, EligibilityItem
from counselor.chat.safety.intents import asks_whether_eligible
from counselor.chat.statuses import TurnStatus
from counselor.eligibility.engine import EligibilityEngine, Verdict
from counselor.prompts import Prompt


class CheckEligibility:
    name = "eligibility"

    def __init__(self, engine: EligibilityEngine, lines: Prompt, discover: int = 3) -> None:
        self.engine = engine
        self.lines = lines
        self.discover = discover

    def item(self, verdict: Verdict, discovered: bool) -> EligibilityItem:
        return EligibilityItem(
            policy_id=verdict.policy_id,
            title=verdict.title,
            verdict=verdict.verdict,
            criteria=[CriterionCheck(fact=c.fact, outcome=c.outcome, source=c.source) for c in verdict.criteria],
            discovered=discovered,
        )

    async def __call__(self, ctx: TurnContext) -> dict[str, Any] | None:
        if ctx.status not in (None, TurnStatus.ANSWERED) or not ctx.citations:
            return None
        lang, lines = ctx.language, self.lines
        cited = ctx.citations[0].policy_id
        verdict = self.engine.verdict(ctx.profile, cited)
        told = bool(ctx.profile.known())
        extra: list[str] = []
        if verdict is not None and (told or verdict.verdict != "unknown"):
            ctx.eligibility.append(self.item(verdict, discovered=False))
            label = lines.text("this_policy", lang, verdict=lines.field("verdicts")[verdict.verdict][lang])
            unmet = [c.source for c in verdict.criteria if c.outcome == "not_met"]
            extra.append(label + (" " + lines.text("unmet", lang, criteria="; ".join(unmet)) if unmet else ""))
        if (
            verdict is not None
            and verdict.verdict in ("unknown", "likely")
            and (told or asks_whether_eligible(ctx.question))
        ):
            # Ask only when the answer would change: the fact this policy's verdict is waiting for.
            fact = self.engine.next_question([verdict])
            if fact is not None and fact in lines.field("questions"):
                ctx.asks = fact
                extra.append(lines.field("questions")[fact][lang])
        found: list[Verdict] = []
        if told:
            # Related policies are only named; a verdict on one of them is news, so they are not skipped.
            found = self.engine.discover(ctx.profile, exclude={cited}, limit=self.discover)
            ctx.eligibility.extend(self.item(v, discovered=True) for v in found)
            if found:
                names = [f"{v.title} ({lines.field('verdicts')[v.verdict][lang].split(' (')[0]})" for v in found]
                extra.append(lines.text("discovered", lang) + "\n" + "\n".join(f"- {n}" for n in names))
        if extra:
            ctx.answer = ctx.answer.rstrip() + "\n\n" + "\n".join(extra)
        return {
            "verdict": verdict.verdict if verdict else None,
            "asks": ctx.asks,
            "discovered": [v.policy_id for v in found],
        }
