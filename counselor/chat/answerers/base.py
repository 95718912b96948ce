"""The answerer interface. Every answerer gets an :class:`AnswerRequest` (the question, its language, the
conversation so far and the numbered sources: what it may read of the turn, and nothing it could change) and
returns a draft whose ``[n]`` marks point into those sources; the output guard checks the draft before anyone
sees it as final."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Literal, Protocol

from pydantic import BaseModel

from counselor.chat.context import PriorTurn, TurnContext
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


@dataclass(frozen=True)
class AnswerRequest:
    """What an answerer reads of a turn. Frozen, and built afresh from the turn each time: an answerer writes
    only its :class:`Draft`, never the turn's context."""

    question: str  # as the citizen wrote it, identifiers masked
    standalone: str  # the question as it reads on its own ("그럼 신청은?" -> "기초연금 신청은?"); may be empty
    language: Literal["ko", "en"]
    history: tuple[PriorTurn, ...]
    sources: tuple[PolicyText, ...]  # numbered from 1: the answer's [n] marks point here

    @property
    def asked(self) -> str:
        """The question to answer: the one that reads on its own when Understand wrote one."""
        return self.standalone or self.question

    @classmethod
    def of(cls, ctx: TurnContext) -> AnswerRequest:
        return cls(
            question=ctx.question,
            standalone=ctx.standalone,
            language=ctx.language,
            history=tuple(ctx.history),
            sources=tuple(ctx.sources),
        )


@dataclass
class Draft:
    text: str
    raw: str | None = None  # the model's output exactly as it came, for the audit record
    prompts: list[str] = field(default_factory=list)  # name@version of each prompt used
    stats: StreamStats | None = None  # a model's; None for the extractive answerer


class Answerer(Protocol):
    @property
    def name(self) -> str: ...

    async def compose(self, request: AnswerRequest, emit: TokenSink) -> Draft: ...


class AnswererError(UpstreamError):
    """The answerer could not produce a draft (server down, timeout, empty output)."""
