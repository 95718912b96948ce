from __future__ import annotations

from typing import Any, Protocol

from counselor.chat.context import TurnContext


class Step(Protocol):
    """One step of a turn. Returns what is worth keeping in the audit record (or None)."""

    name: str

    async def __call__(self, ctx: TurnContext) -> dict[str, Any] | None: ...
