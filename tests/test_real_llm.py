"""A real model behind the chat model answerer (marker ``llm``): run when COUNSELOR_TEST_LLM_URL names an
OpenAI-compatible server, e.g. llama.cpp's with Gemma 3 270M (bench/setup_llm.sh), skipped otherwise. A small
model invents; whatever it writes, each turn answers within its limits and nothing it invented reaches the
citizen, in the answer or in the streamed tokens."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable

import pytest

from counselor.chat.answerers.budget import ServerTokens
from counselor.chat.answerers.chat_model import given_grounds
from counselor.chat.claims import claims_in
from counselor.chat.context import TurnContext
from counselor.chat.statuses import TurnStatus
from counselor.deps import Deps
from counselor.settings import LLMSettings, Settings

pytestmark = pytest.mark.llm


@pytest.fixture
def llm_url() -> str:
    return os.environ["COUNSELOR_TEST_LLM_URL"]


def test_the_served_tokenizer_counts(llm_url: str) -> None:
    counter = ServerTokens(llm_url, timeout_s=5.0)
    count = asyncio.run(counter.count("기초연금은 월 최대 33만 4,810원까지 지원합니다."))
    assert 0 < count < 40 and counter.route is not None and counter.estimated == 0


@pytest.mark.parametrize(
    "question", ["기초연금은 얼마나 받아요?", "아동수당은 몇 살까지 받아요?", "How do I apply for 기초연금?"]
)
def test_a_real_model_answers_in_time_and_nothing_invented_reaches_the_citizen(
    make_deps: Callable[..., Deps], indexed_settings: Settings, llm_url: str, question: str
) -> None:
    options = LLMSettings(openai_url=llm_url, first_token_timeout_s=30.0, timeout_s=60.0)
    deps = make_deps(indexed_settings.model_copy(update={"llm": "openai", "llm_options": options}))
    tokens: list[str] = []

    async def emit(token: str) -> None:
        tokens.append(token)

    ctx = TurnContext(question=question, emit=emit)
    asyncio.run(deps.pipeline.run(ctx))
    compose = next(s for s in ctx.steps if s.name == "compose")
    assert ctx.status in (TurnStatus.ANSWERED, TurnStatus.ESCALATED) and compose.ms < 62_000
    grounds = given_grounds(ctx.question, ctx.sources)
    for seen in (ctx.answer, "".join(tokens)):
        assert not [c for c in claims_in(seen) if not grounds.grounded(c)], seen
