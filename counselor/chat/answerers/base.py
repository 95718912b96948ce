"""The answerer interface. Every answerer gets the turn and its numbered sources and returns a draft whose
``[n]`` marks point into those sources; the output guard checks the draft before anyone sees it as final."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol

from pydantic import BaseModel

from counselor.chat.context import TurnContext
from counselor.chat.sources import PolicyText
from counselor.errors import UpstreamError

TokenSink = Callable[[str], Awaitable[None]]


async def discard(_: str) -> None:
    return None


class StreamStats(BaseModel):
    """A model's prompt size and timings, for the audit record (Compose's note)."""

    prompt_tokens: int
    source_tokens: int
    first_token_timeout_s: float
    first_token_ms: float | None  # None: no token came
    tokens: int
    stream_s: float
    held_tokens: int  # tokens the output guard held back until their claim was complete
    withheld: list[str]  # claims the guard never let through: "<kind> <text>"


@dataclass
class Draft:
    text: str
    raw: str | None = None  # the model's output exactly as it came, for the audit record
    prompts: list[str] = field(default_factory=list)  # name@version of each prompt used
    stats: StreamStats | None = None  # a model's; None for the extractive answerer


class Answerer(Protocol):
    @property
    def name(self) -> str: ...

    async def compose(self, ctx: TurnContext, sources: list[PolicyText], emit: TokenSink) -> Draft: ...


class AnswererError(UpstreamError):
    """The answerer could not produce a draft (server down, timeout, empty output)."""
