"""Pick the answerer from settings. ``auto`` asks Ollama once whether it is there; the embedded default
needs no model, so a fresh machine without an LLM server still answers."""

from __future__ import annotations

import httpx
from langchain_core.language_models import BaseChatModel

from counselor.chat.answerers.base import Answerer
from counselor.chat.answerers.budget import EstimatedTokens, PromptSpeed, ServerTokens, TokenCounter
from counselor.chat.answerers.chat_model import ChatModelAnswerer
from counselor.chat.answerers.extractive import ExtractiveAnswerer
from counselor.errors import ConfigError
from counselor.prompts import PromptLibrary
from counselor.settings import Settings


def ollama_answers(url: str, timeout_s: float) -> bool:
    try:
        return httpx.get(f"{url.rstrip('/')}/api/tags", timeout=timeout_s).status_code == 200
    except httpx.HTTPError:
        return False


def chat_model(settings: Settings, kind: str) -> BaseChatModel:
    options = settings.llm_options
    timeout = {"timeout": options.timeout_s}
    if kind == "ollama":
        from langchain_ollama import ChatOllama

        return ChatOllama(
            base_url=options.ollama_url,
            model=options.ollama_model,
            temperature=options.temperature,
            num_predict=options.max_answer_tokens,
            client_kwargs=timeout,
        )
    if kind == "openai":
        from langchain_openai import ChatOpenAI

        if not options.openai_url:
            raise ConfigError("COUNSELOR_LLM=openai needs COUNSELOR_LLM_OPENAI_URL (an OpenAI-compatible server)")
        return ChatOpenAI(
            base_url=options.openai_url,
            model=options.openai_model,
            api_key=options.openai_api_key,
            temperature=options.temperature,
            # "max_tokens" in the body: the OpenAI client now sends "max_completion_tokens", which llama.cpp's
            # and llama-cpp-python's servers ignore (a small model then writes until its context is full).
            extra_body={"max_tokens": options.max_answer_tokens},
            timeout=options.timeout_s,
            max_retries=0,
        )
    raise ConfigError(f"unknown chat model kind {kind!r}")


def token_counter(settings: Settings, kind: str) -> TokenCounter:
    """The served model's tokenizer where its server has one (an OpenAI-compatible server may be llama.cpp's);
    Ollama has none, so its prompts are estimated."""
    options = settings.llm_options
    if kind == "openai" and options.openai_url and options.count_tokens == "server":
        return ServerTokens(options.openai_url)
    return EstimatedTokens()


def create_answerer(settings: Settings, prompts: PromptLibrary, model: BaseChatModel | None = None) -> Answerer:
    """The configured answerer. ``model`` (tests, benches) overrides the one settings would build."""
    kind = settings.llm
    options = settings.llm_options
    if model is None and kind == "auto":
        kind = "ollama" if ollama_answers(options.ollama_url, options.probe_timeout_s) else "extractive"
    if model is None and kind == "extractive":
        return ExtractiveAnswerer(prompts.get("extractive"), settings.chat.related_policies)
    if model is None:
        model = chat_model(settings, kind)
        label = f"{kind}:{options.ollama_model if kind == 'ollama' else options.openai_model}"
    else:
        label = f"model:{type(model).__name__}"
    speed = PromptSpeed(
        options.prompt_tokens_per_s,
        options.first_token_margin,
        options.first_token_floor_s,
        options.first_token_timeout_s,
    )
    return ChatModelAnswerer(
        model,
        prompts.get("answer"),
        label,
        timeout_s=options.timeout_s,
        history_turns=settings.chat.history_turns,
        speed=speed,
        counter=token_counter(settings, kind),
        source_tokens=options.source_tokens,
    )
