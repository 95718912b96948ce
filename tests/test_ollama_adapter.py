"""The Ollama answerer over real HTTP against a protocol-level fake of Ollama's API: streaming, auto-detection,
a slow server, a dead one. Whatever happens, the citizen gets a cited answer or a kind reply."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from counselor.chat.answerers.factory import create_answerer
from counselor.chat.context import TurnContext
from counselor.chat.statuses import TurnStatus
from counselor.deps import Deps
from counselor.errors import ConfigError
from counselor.settings import LLMSettings, Settings
from counselor.testing.fake_llm import FakeLLMServer, free_port, serve


def with_ollama(settings: Settings, url: str, llm: str = "ollama", **options: float) -> Settings:
    llm_options = LLMSettings(ollama_url=url, **options)  # type: ignore[arg-type]
    return settings.model_copy(update={"llm": llm, "llm_options": llm_options})


def turn(deps: Deps, question: str) -> tuple[TurnContext, list[str]]:
    tokens: list[str] = []

    async def emit(token: str) -> None:
        tokens.append(token)

    ctx = TurnContext(question=question, emit=emit)
    asyncio.run(deps.pipeline.run(ctx))
    return ctx, tokens


def test_ollama_streams_a_grounded_answer(make_deps: Callable[..., Deps], indexed_settings: Settings) -> None:
    fake = FakeLLMServer()
    with serve(fake) as url:
        deps = make_deps(with_ollama(indexed_settings, url))
        ctx, tokens = turn(deps, "기초연금은 얼마나 받아요?")
    assert deps.answerer.name == "ollama:qwen2.5:7b-instruct"
    assert ctx.status == TurnStatus.ANSWERED and ctx.answerer.startswith("ollama")
    assert "".join(tokens) == fake.reply and ctx.answer == fake.reply and ctx.citations[0].policy_id == "nat-pension"
    request = fake.requests[0]
    assert request["stream"] is True and request["model"] == "qwen2.5:7b-instruct"
    system, user = request["messages"][0]["content"], request["messages"][1]["content"]
    assert "ONLY the numbered sources" in system and "[1] 기초연금제도" in user and "33만 4,810원" in user


def test_auto_uses_ollama_only_when_it_answers(indexed_settings: Settings, make_deps: Callable[..., Deps]) -> None:
    prompts = make_deps().prompts
    with serve(FakeLLMServer()) as url:
        assert create_answerer(with_ollama(indexed_settings, url, "auto"), prompts).name.startswith("ollama")
    dead = f"http://127.0.0.1:{free_port()}"
    assert create_answerer(with_ollama(indexed_settings, dead, "auto"), prompts).name == "extractive"


def test_an_ungrounded_ollama_answer_is_rewritten(make_deps: Callable[..., Deps], indexed_settings: Settings) -> None:
    with serve(FakeLLMServer(reply="기초연금은 매달 50만 원을 드립니다 [1].")) as url:
        ctx, tokens = turn(make_deps(with_ollama(indexed_settings, url)), "기초연금은 얼마나 받아요?")
    assert tokens and ctx.answerer == "extractive (rewritten)" and "33만 4,810원" in ctx.answer
    assert "50만" not in ctx.answer and ctx.status == TurnStatus.ANSWERED


def test_a_slow_first_token_falls_back(make_deps: Callable[..., Deps], indexed_settings: Settings) -> None:
    with serve(FakeLLMServer(first_token_delay_s=2.0)) as url:
        settings = with_ollama(indexed_settings, url, first_token_timeout_s=0.3)
        ctx, tokens = turn(make_deps(settings), "기초연금은 얼마나 받아요?")
    compose = next(s for s in ctx.steps if s.name == "compose")
    assert not tokens and ctx.answerer == "extractive (fallback)" and "timed out" in compose.note["error"]
    assert ctx.status == TurnStatus.ANSWERED and compose.ms < 1500


def test_a_stalled_stream_falls_back(make_deps: Callable[..., Deps], indexed_settings: Settings) -> None:
    with serve(FakeLLMServer(token_delay_s=0.5)) as url:
        settings = with_ollama(indexed_settings, url, timeout_s=0.8)
        ctx, tokens = turn(make_deps(settings), "기초연금은 얼마나 받아요?")
    assert tokens and ctx.answerer == "extractive (fallback)" and "33만 4,810원" in ctx.answer


def test_a_dead_server_falls_back(make_deps: Callable[..., Deps], indexed_settings: Settings) -> None:
    settings = with_ollama(indexed_settings, f"http://127.0.0.1:{free_port()}")
    ctx, _ = turn(make_deps(settings), "기초연금은 얼마나 받아요?")
    compose = next(s for s in ctx.steps if s.name == "compose")
    assert ctx.status == TurnStatus.ANSWERED and ctx.answerer == "extractive (fallback)" and compose.note["error"]


def test_an_openai_compatible_server_streams_too(make_deps: Callable[..., Deps], indexed_settings: Settings) -> None:
    fake = FakeLLMServer(model="served-model")
    with serve(fake) as url:
        options = LLMSettings(openai_url=f"{url}/v1", openai_model="served-model")
        deps = make_deps(indexed_settings.model_copy(update={"llm": "openai", "llm_options": options}))
        ctx, tokens = turn(deps, "기초연금은 얼마나 받아요?")
    assert deps.answerer.name == "openai:served-model" and ctx.answerer == "openai:served-model"
    assert "".join(tokens) == fake.reply and ctx.citations[0].policy_id == "nat-pension"
    assert fake.requests[0]["stream"] is True and fake.requests[0]["model"] == "served-model"


def test_openai_without_a_url_is_a_configuration_error(
    indexed_settings: Settings, make_deps: Callable[..., Deps]
) -> None:
    with pytest.raises(ConfigError, match="COUNSELOR_LLM_OPENAI_URL"):
        create_answerer(indexed_settings.model_copy(update={"llm": "openai"}), make_deps().prompts)
