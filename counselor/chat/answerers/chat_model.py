"""Answers written by a LangChain chat model (Ollama, any OpenAI-compatible server, or a test model).

Tokens are forwarded as they arrive; the whole text is kept as the raw output for the audit record. A
model that is down, slow to start, slow to finish or silent raises :class:`AnswererError`, and the
pipeline falls back to the extractive answer.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessageChunk
from langchain_core.prompts import ChatPromptTemplate

from counselor.chat.answerers.base import AnswererError, Draft, TokenSink
from counselor.chat.answerers.extractive import clip
from counselor.chat.context import TurnContext
from counselor.chat.sources import PolicyText
from counselor.prompts import Prompt

_LANGUAGE_NAMES = {"ko": "Korean (한국어)", "en": "English"}
SOURCE_CHARS = 1500


def render_sources(sources: list[PolicyText]) -> str:
    blocks = []
    for n, policy in enumerate(sources, start=1):
        sections = "\n".join(f"{heading}: {clip(text, 500)}" for heading, text in policy.sections.items())
        english = f"\nEnglish summary: {policy.english}" if policy.english else ""
        body = (sections + english)[:SOURCE_CHARS]
        blocks.append(f"[{n}] {policy.title} ({policy.region})\n{body}")
    return "\n\n".join(blocks)


def render_history(ctx: TurnContext, turns: int) -> str:
    if not ctx.history or turns == 0:
        return "(none)"
    return "\n".join(f"Citizen: {t.question}\nCounselor: {clip(t.answer, 300)}" for t in ctx.history[-turns:])


class ChatModelAnswerer:
    def __init__(
        self,
        model: BaseChatModel,
        prompt: Prompt,
        name: str,
        *,
        first_token_timeout_s: float = 20.0,
        timeout_s: float = 60.0,
        history_turns: int = 4,
    ) -> None:
        self.model = model
        self.prompt = prompt
        self._name = name
        self.first_token_timeout_s = first_token_timeout_s
        self.timeout_s = timeout_s
        self.history_turns = history_turns
        self._template = ChatPromptTemplate.from_messages(
            [("system", str(prompt.field("system"))), ("human", str(prompt.field("user")))]
        )

    @property
    def name(self) -> str:
        return self._name

    async def compose(self, ctx: TurnContext, sources: list[PolicyText], emit: TokenSink) -> Draft:
        messages = self._template.format_messages(
            language_name=_LANGUAGE_NAMES[ctx.language],
            sources=render_sources(sources),
            history=render_history(ctx, self.history_turns),
            question=ctx.standalone or ctx.question,
        )
        parts: list[str] = []
        started = time.monotonic()
        stream: AsyncIterator[BaseMessageChunk] = self.model.astream(messages)
        try:
            while True:
                elapsed = time.monotonic() - started
                budget = self.timeout_s - elapsed
                if not parts:
                    budget = min(budget, self.first_token_timeout_s)
                if budget <= 0:
                    raise AnswererError(f"{self.name}: no complete answer within {self.timeout_s:g}s")
                try:
                    chunk = await asyncio.wait_for(anext(stream), timeout=budget)
                except StopAsyncIteration:
                    break
                text = chunk.text if isinstance(chunk.text, str) else str(chunk.content)
                if text:
                    parts.append(text)
                    await emit(text)
        except TimeoutError as exc:
            raise AnswererError(f"{self.name}: timed out after {time.monotonic() - started:.1f}s") from exc
        except AnswererError:
            raise
        except Exception as exc:  # connection refused, HTTP errors, bad payloads: all mean "no answer"
            raise AnswererError(f"{self.name}: {type(exc).__name__}: {exc}") from exc
        finally:
            close = getattr(stream, "aclose", None)
            if close is not None:
                await close()
        raw = "".join(parts)
        if not raw.strip():
            raise AnswererError(f"{self.name}: the model returned nothing")
        return Draft(text=raw.strip(), raw=raw, prompts=[self.prompt.label])
