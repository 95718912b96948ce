"""The `Step` protocol every step implements."""

from __future__ import annotations

from typing import Protocol

from counselor.chat.context import ModelOutput, StepNote, TurnContext


class Step(Protocol):
    """One step of a turn. Returns what is worth keeping in the audit record (or None); a step that ran a
    model returns its raw output beside the note (``ModelOutput``)."""

    name: str

    async def __call__(self, ctx: TurnContext) -> StepNote | ModelOutput | None: ...
