"""Output guard: citations must point at sources, every number must be in a cited source, and nothing may
promise eligibility. A model's answer that fails is replaced by the extractive one; if even that fails, a
caseworker answers."""

from __future__ import annotations

import re
from typing import Any

from counselor.chat.answerers.extractive import ExtractiveAnswerer
from counselor.chat.context import TurnContext
from counselor.chat.frames import Citation, RelatedPolicy
from counselor.chat.numbers import ungrounded_numbers
from counselor.chat.statuses import EscalationReason, TurnStatus
from counselor.prompts import Prompt

_MARK = re.compile(r"\[(\d{1,2})\]")
_CERTAIN = re.compile(
    r"(받으실\s*수\s*있습니다|대상이\s*(십니다|됩니다|맞습니다)|자격이\s*(있습니다|됩니다)|확실히\s*받)"
    r"|\byou\s+(are|'re)\s+(definitely\s+|certainly\s+)?eligible\b|\byou\s+(will\s+)?qualify\b|\byou\s+will\s+(get|receive)\b",
    re.IGNORECASE,
)


def problems(ctx: TurnContext, text: str, written: bool = True) -> tuple[list[str], list[int]]:
    """What is wrong with an answer. ``written``: a model wrote it (quoted sources may say "you will get")."""
    marks = sorted({int(m) for m in _MARK.findall(text)})
    issues = []
    if not marks:
        issues.append("no citation")
    bad = [m for m in marks if not 1 <= m <= len(ctx.sources)]
    if bad:
        issues.append(f"citations without a source: {bad}")
    cited = [ctx.sources[m - 1] for m in marks if 1 <= m <= len(ctx.sources)]
    # Names are not facts: "10년임대" in a policy's title may be said without citing that policy.
    names = " ".join(p.title for p in ctx.sources)
    loose = ungrounded_numbers(text, "\n".join(p.full_text for p in cited), allowed=f"{ctx.question} {names}")
    if loose:
        issues.append(f"numbers in no cited source: {sorted(loose)[:5]}")
    if written and _CERTAIN.search(text):
        issues.append("states eligibility as certain")
    return issues, [m for m in marks if 1 <= m <= len(ctx.sources)]


class GuardOutput:
    name = "guard_output"

    def __init__(self, extractive: ExtractiveAnswerer, replies: Prompt) -> None:
        self.extractive = extractive
        self.replies = replies

    async def __call__(self, ctx: TurnContext) -> dict[str, Any] | None:
        written = not ctx.answerer.startswith(self.extractive.name)
        issues, marks = problems(ctx, ctx.answer, written)
        note: dict[str, Any] = {"issues": issues}
        if issues and written:
            ctx.answer = self.extractive.render(ctx, ctx.sources)
            ctx.answerer = f"{self.extractive.name} (rewritten)"
            issues, marks = problems(ctx, ctx.answer, written=False)
            note["rewritten"] = True
            note["issues_after_rewrite"] = issues
        if issues:
            ctx.stop(
                TurnStatus.ESCALATED,
                self.replies.text("escalated", ctx.language),
                EscalationReason.UNGROUNDED_ANSWER,
                "; ".join(issues),
            )
            return note
        ctx.citations = [self._citation(ctx, n) for n in marks]
        cited = {c.policy_id for c in ctx.citations}
        ctx.related = [
            RelatedPolicy(policy_id=p.policy_id, title=p.title, title_en=p.title_en)
            for p in ctx.sources
            if p.policy_id not in cited
        ][: self.extractive.related]
        return note

    @staticmethod
    def _citation(ctx: TurnContext, number: int) -> Citation:
        policy = ctx.sources[number - 1]
        hit = next((h for h in ctx.hits if h.policy_id == policy.policy_id), None)
        return Citation(
            number=number,
            policy_id=policy.policy_id,
            title=policy.title,
            section=hit.section if hit else "",
            source=policy.source,
            url=policy.url,
        )
