"""Helpers of bench/real_llm.py: a model wrapper that times each chunk's arrival, and the two checks of what a
model wrote: the guard's own claims (bench.real_llm's "invented") and a plain literal one that shares none of
its patterns, so the guard is not its own only judge."""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage
from langchain_core.outputs import ChatGenerationChunk, ChatResult
from pydantic import Field

from counselor.chat.answerers.chat_model import given_grounds
from counselor.chat.claims import Claim, claims_in
from counselor.chat.numbers import HOTLINES
from counselor.chat.sources import PolicyText


class Timed(BaseChatModel):
    """``inner``, with the moment each streamed chunk arrived from the server (perf_counter)."""

    inner: BaseChatModel
    received: list[float] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return f"timed-{self.inner._llm_type}"

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return self.inner._generate(messages, stop=stop, **kwargs)

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        yield from self.inner._stream(messages, stop=stop, **kwargs)

    async def _astream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[ChatGenerationChunk]:
        async for chunk in self.inner._astream(messages, stop=stop, **kwargs):
            self.received.append(time.perf_counter())
            yield chunk


def claims_seen(text: str, given: list[PolicyText], question: str, all_claims: bool = False) -> list[Claim]:
    """The claims in ``text`` that no source the model was given makes (every claim with ``all_claims``)."""
    grounds = given_grounds(question, given)
    return [c for c in claims_in(text) if all_claims or not grounds.grounded(c)]


_DIGITS = re.compile(r"\d[\d,.\-]*\d|\d")
_ADDRESS = re.compile(r"(?:https?://|www\.)[\w./%?=&-]+|[\w.+-]+@[\w-]+\.[\w.]+", re.IGNORECASE)


def literal_unmatched(text: str, given: list[PolicyText]) -> list[str]:
    """Digit strings and addresses in ``text`` that appear in no given source, compared as plain digits and
    plain lower-case text ("33만 4,810원" and "334,810" are both 334810)."""
    sources = "\n".join(p.full_text for p in given) + HOTLINES
    digits = re.sub(r"\D", "", sources)
    lower = sources.lower()
    text = re.sub(r"\[\d{1,2}\]", " ", text)
    odd = [m.group(0) for m in _DIGITS.finditer(text) if re.sub(r"\D", "", m.group(0)) not in digits]
    odd += [
        a
        for m in _ADDRESS.finditer(text)
        if re.sub(r"^https?://", "", (a := m.group(0)).lower().rstrip(".")) not in lower
    ]
    return odd
