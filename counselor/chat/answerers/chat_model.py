"""Answers written by a LangChain chat model (Ollama, any OpenAI-compatible server, or a test model).

The sources are held to a token budget and the first token is awaited as long as the prompt's size needs
(counselor/chat/answerers/budget.py). Tokens go to the citizen as they arrive, through the stream guard
(a claim no source makes is withheld); the whole text is kept as the raw output for the audit record. A
model that is down, slow to start, slow to finish or silent raises :class:`AnswererError`, and the
pipeline falls back to the extractive answer.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Sequence

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessageChunk
from langchain_core.prompts import ChatPromptTemplate

from counselor.chat.answerers.base import AnswererError, AnswerRequest, Draft, StreamStats, TokenSink
from counselor.chat.answerers.budget import EstimatedTokens, PromptSpeed, TokenCounter, fit_sources
from counselor.chat.answerers.extractive import clip
from counselor.chat.answerers.stream_guard import StreamGuard
from counselor.chat.claims import Grounds
from counselor.chat.context import PriorTurn
from counselor.chat.sources import PolicyText
from counselor.prompts import Prompt

_LANGUAGE_NAMES = {"ko": "Korean (한국어)", "en": "English"}


def render_history(history: Sequence[PriorTurn], turns: int) -> str:
    if not history or turns == 0:
        return "(none)"
    return "\n".join(f"Citizen: {t.question}\nCounselor: {clip(t.answer, 300)}" for t in history[-turns:])


def given_grounds(question: str, sources: Sequence[PolicyText]) -> Grounds:
    """What any source the model was given says. While streaming, the model has not yet said which it cites:
    what any of them says may go out."""
    names = " ".join(f"{p.title} {p.title_en or ''}" for p in sources)
    return Grounds(
        "\n".join(p.full_text for p in sources),
        urls=[p.url for p in sources if p.url],
        allowed=f"{question} {names}",
    )


class ChatModelAnswerer:
    def __init__(
        self,
        model: BaseChatModel,
        prompt: Prompt,
        name: str,
        *,
        timeout_s: float = 60.0,
        history_turns: int = 4,
        speed: PromptSpeed | None = None,
        counter: TokenCounter | None = None,
        source_tokens: int = 1200,
    ) -> None:
        self.model = model
        self.prompt = prompt
        self._name = name
        self.timeout_s = timeout_s
        self.history_turns = history_turns
        self.speed = speed or PromptSpeed(150.0, 3.0, 2.0, 20.0)
        self.counter = counter or EstimatedTokens()
        self.source_tokens = source_tokens
        self._template = ChatPromptTemplate.from_messages(
            [("system", str(prompt.field("system"))), ("human", str(prompt.field("user")))]
        )

    @property
    def name(self) -> str:
        return self._name

    async def compose(self, request: AnswerRequest, emit: TokenSink) -> Draft:
        started = time.monotonic()
        sources = list(request.sources)
        rendered, source_tokens = await fit_sources(sources, self.source_tokens, self.counter)
        messages = self._template.format_messages(
            language_name=_LANGUAGE_NAMES[request.language],
            sources=rendered,
            history=render_history(request.history, self.history_turns),
            question=request.asked,
        )
        prompt_tokens = await self.counter.count("\n".join(str(m.content) for m in messages))
        first_token_s = self.speed.timeout(prompt_tokens)
        guard = StreamGuard(given_grounds(request.question, sources), emit)
        parts: list[str] = []
        first_at: float | None = None
        asked = time.monotonic()
        stream: AsyncIterator[BaseMessageChunk] = self.model.astream(messages)
        try:
            while True:
                elapsed = time.monotonic() - started
                budget = self.timeout_s - elapsed
                if first_at is None:
                    budget = min(budget, first_token_s - (time.monotonic() - asked))
                if budget <= 0:
                    raise TimeoutError
                try:
                    chunk = await asyncio.wait_for(anext(stream), timeout=budget)
                except StopAsyncIteration:
                    break
                text = chunk.text if isinstance(chunk.text, str) else str(chunk.content)
                if text:
                    if first_at is None:
                        first_at = time.monotonic()
                        self.speed.observe(prompt_tokens, first_at - asked)
                    parts.append(text)
                    await guard.feed(text)
        except TimeoutError as exc:
            waited = f"no first token within {first_token_s:.1f}s" if first_at is None else "answer unfinished"
            raise AnswererError(
                f"{self.name}: timed out after {time.monotonic() - started:.1f}s ({waited}; "
                f"prompt {prompt_tokens} tokens)"
            ) from exc
        except Exception as exc:  # connection refused, HTTP errors, bad payloads: all mean "no answer"
            raise AnswererError(f"{self.name}: {type(exc).__name__}: {exc}") from exc
        finally:
            close = getattr(stream, "aclose", None)
            if close is not None:
                await close()
        raw = "".join(parts)
        if not raw.strip():
            raise AnswererError(f"{self.name}: the model returned nothing")
        await guard.close()
        return Draft(
            text=raw.strip(),
            raw=raw,
            prompts=[self.prompt.label],
            stats=StreamStats(
                prompt_tokens=prompt_tokens,
                source_tokens=source_tokens,
                first_token_timeout_s=round(first_token_s, 2),
                first_token_ms=round((first_at - asked) * 1000, 1) if first_at else None,
                tokens=len(parts),
                stream_s=round(time.monotonic() - asked, 3),
                held_tokens=guard.held,
                withheld=[f"{c.kind.value} {c.text}" for c in guard.withheld],
            ),
        )
