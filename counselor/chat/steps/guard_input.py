"""Input guard: size, identifiers, crisis and injection, before anything is searched or sent to a model."""

from __future__ import annotations

from typing import Any

from counselor.chat.context import TurnContext
from counselor.chat.safety.crisis import detect_crisis
from counselor.chat.safety.intents import looks_like_injection
from counselor.chat.safety.pii import mask_identifiers
from counselor.chat.statuses import EscalationReason, TurnStatus
from counselor.language import detect_language
from counselor.prompts import Prompt


class GuardInput:
    name = "guard_input"

    def __init__(self, replies: Prompt, max_chars: int) -> None:
        self.replies = replies
        self.max_chars = max_chars

    async def __call__(self, ctx: TurnContext) -> dict[str, Any] | None:
        # The service masks before storing; masking again is idempotent and covers the CLI's path.
        masked = mask_identifiers(ctx.question[: self.max_chars])
        ctx.question = masked.text
        ctx.masked_kinds = sorted(set(ctx.masked_kinds) | set(masked.kinds))
        ctx.language = detect_language(ctx.question)
        ctx.prompts.append(self.replies.label)
        crisis = detect_crisis(ctx.question)
        if crisis is not None:
            ctx.confidence = 1.0
            ctx.stop(
                TurnStatus.CRISIS, self.replies.text("crisis", ctx.language), EscalationReason.CRISIS, crisis.value
            )
            return {"crisis": crisis.value}
        ctx.injection = looks_like_injection(ctx.question)
        return {"masked": ctx.masked_kinds, "injection": ctx.injection, "language": ctx.language}
