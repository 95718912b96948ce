"""Input guard: size, identifiers, language and injection, before anything is searched or sent to a model.
What the message is (a crisis among others) is the Route step's to say."""

from __future__ import annotations

from counselor.chat.context import StepNote, TurnContext
from counselor.chat.safety.intents import looks_like_injection
from counselor.chat.safety.pii import mask_identifiers
from counselor.language import detect_language
from counselor.prompts import Prompt


class GuardInput:
    name = "guard_input"

    def __init__(self, replies: Prompt, max_chars: int) -> None:
        self.replies = replies
        self.max_chars = max_chars

    async def __call__(self, ctx: TurnContext) -> StepNote:
        # The service masks before storing; masking again is idempotent and covers the CLI's path.
        masked = mask_identifiers(ctx.question[: self.max_chars])
        ctx.question = masked.text
        ctx.masked_kinds = sorted(set(ctx.masked_kinds) | set(masked.kinds))
        ctx.language = detect_language(ctx.question)
        ctx.prompts.append(self.replies.label)
        ctx.injection = looks_like_injection(ctx.question)
        return {"masked": ctx.masked_kinds, "injection": ctx.injection, "language": ctx.language}
