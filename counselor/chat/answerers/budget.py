"""Prompts sized for the model that reads them.

A small local model reads a prompt at a few hundred tokens a second on a CPU, so the sources it is given are
held to a token budget, counted with the served model's own tokenizer where its server offers one (llama.cpp's
``POST /tokenize``, llama-cpp-python's ``POST /extras/tokenize/count``) and by a conservative estimate where it
does not. How long to wait for the first token follows from the prompt's size and the prompt speed measured on
this server's earlier answers, not from one fixed number: a model that cannot start in time is replaced by the
extractive answer at once.
"""

from __future__ import annotations

import asyncio
import math
import ssl
from typing import Protocol

import httpx

from counselor.chat.answerers.extractive import clip
from counselor.chat.sources import PolicyText

SECTION_CHARS = 500  # one section of a source, before the budget: the first lines say the most
SOURCE_CHARS = 1500  # one source, so that a long first one leaves room for the others


def estimate_tokens(text: str) -> int:
    """An upper bound for the tokenizers of today's small models: one token per three bytes of UTF-8, i.e. one
    per Hangul syllable (Gemma 3 and Qwen 2.5 need fewer) and one per three letters of English (they need about
    one per four)."""
    return math.ceil(len(text.encode("utf-8")) / 3)


class TokenCounter(Protocol):
    async def count(self, text: str) -> int: ...


class EstimatedTokens:
    name = "estimate"

    async def count(self, text: str) -> int:
        return estimate_tokens(text)


class ServerTokens:
    """The served model's tokenizer over HTTP. ``base_url``: the OpenAI-compatible base (``.../v1``). A call
    that fails or waits longer than ``timeout_s`` (the server may be busy answering someone else) is
    estimated instead; a server that speaks neither API is not asked again."""

    name = "server"
    _ROUTES = (("/extras/tokenize/count", "input", "count"), ("/tokenize", "content", "tokens"))

    def __init__(self, base_url: str, timeout_s: float = 0.5) -> None:
        self.root = base_url.rstrip("/").removesuffix("/v1")
        self.timeout_s = timeout_s
        self.route: tuple[str, str, str] | None = None
        self.unsupported = False
        self.estimated = 0  # counts that fell back to the estimate
        self._tls: ssl.SSLContext | None = None  # loading the CA bundle takes 0.1-0.2 s: once, not per call

    async def count(self, text: str) -> int:
        if not self.unsupported:
            try:
                if self._tls is None:
                    self._tls = httpx.create_ssl_context()
                async with httpx.AsyncClient(timeout=self.timeout_s, verify=self._tls) as client:
                    for route in [self.route] if self.route else self._ROUTES:
                        path, field, answer = route
                        response = await client.post(self.root + path, json={field: text})
                        if response.status_code == 200:
                            self.route = route
                            value = response.json()[answer]
                            return len(value) if isinstance(value, list) else int(value)
                    self.unsupported = self.route is None
            except (httpx.HTTPError, ValueError, KeyError, TypeError):
                pass
        self.estimated += 1
        return estimate_tokens(text)


def source_block(number: int, policy: PolicyText) -> str:
    sections = "\n".join(f"{heading}: {clip(text, SECTION_CHARS)}" for heading, text in policy.sections.items())
    english = f"\nEnglish summary: {policy.english}" if policy.english else ""
    return f"[{number}] {policy.title} ({policy.region})\n{(sections + english)[:SOURCE_CHARS]}"


async def fit_sources(sources: list[PolicyText], budget: int, counter: TokenCounter) -> tuple[str, int]:
    """The numbered sources within ``budget`` tokens, and their count. Sources come whole in order while they
    fit; the first that does not is cut to what is left (its first sections say who, what and how), and the
    rest are left out, so every ``[n]`` the model sees is the ``n``-th source."""
    blocks = [source_block(n, p) for n, p in enumerate(sources, start=1)]
    counts = await asyncio.gather(*(counter.count(b) for b in blocks))
    kept: list[str] = []
    used = 0
    for block, tokens in zip(blocks, counts, strict=True):
        left = budget - used
        if tokens <= left:
            kept.append(block)
            used += tokens
            continue
        if left >= 40:  # less than a sentence is no source
            # Cut by the block's own ratio of characters to tokens, with a tenth to spare.
            kept.append(block[: int(len(block) * left / tokens * 0.9)].rstrip() + " …")
            used += left
        break
    return "\n\n".join(kept), used


class PromptSpeed:
    """How long to wait for a model's first token: the prompt's tokens at the server's prompt speed, times a
    margin, between a floor and a ceiling. The speed starts at ``tokens_per_s`` and then is the lower quartile
    of the last ``window`` answers' measured speeds: llama.cpp reuses a prompt's cached prefix, so a question
    on the same sources as the last starts in a fraction of a second, and that must not shorten the wait for
    the next question on other sources."""

    def __init__(self, tokens_per_s: float, margin: float, floor_s: float, ceiling_s: float, window: int = 16) -> None:
        self.tokens_per_s = tokens_per_s
        self.margin = margin
        self.floor_s = floor_s
        self.ceiling_s = ceiling_s
        self.window = window
        self.measured: list[float] = []

    def timeout(self, prompt_tokens: int) -> float:
        return min(max(self.margin * prompt_tokens / self.tokens_per_s, self.floor_s), self.ceiling_s)

    def observe(self, prompt_tokens: int, first_token_s: float) -> None:
        if prompt_tokens <= 0 or first_token_s <= 0:
            return
        self.measured = [*self.measured, prompt_tokens / first_token_s][-self.window :]
        ordered = sorted(self.measured)
        self.tokens_per_s = ordered[(len(ordered) - 1) // 4]
