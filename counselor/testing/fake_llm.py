"""Protocol-level fakes of the LLM servers: Ollama's HTTP API (``GET /api/tags``, streaming ``POST
/api/chat``) and, on the same app, an OpenAI-compatible ``POST /v1/chat/completions`` (server-sent events),
as vLLM and llama.cpp's server speak it, with llama.cpp's tokenizer routes (``POST /tokenize``, and
llama-cpp-python's ``POST /extras/tokenize/count``).

``replies`` scripts a model that says something else each time (the n-th request gets the n-th reply, the
last one from then on): a model that invents is played by replies that invent.

It speaks the same NDJSON as Ollama so the real adapter (langchain-ollama, over httpx) is exercised end to
end; the reply, the delay before the first token and between tokens are set per test. ``serve()`` runs it
with uvicorn on a free loopback port in a thread.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import JsonValue


@dataclass
class FakeLLMServer:
    reply: str = "기초연금은 월 최대 33만 4,810원까지 지원합니다 [1]."
    model: str = "qwen2.5:7b-instruct"
    first_token_delay_s: float = 0.0
    token_delay_s: float = 0.0
    replies: list[str] = field(default_factory=list)
    tokenizer: bool = True  # answer the tokenizer routes (one token per two characters)
    requests: list[JsonValue] = field(default_factory=list)  # each request's JSON body
    tokenized: list[str] = field(default_factory=list)
    sent_at: list[float] = field(default_factory=list)  # perf_counter() as each token left

    def current(self) -> str:
        """The reply to the latest request."""
        if not self.replies:
            return self.reply
        return self.replies[min(max(len(self.requests) - 1, 0), len(self.replies) - 1)]

    def tokens(self) -> list[str]:
        words = self.current().split(" ")
        return [w + (" " if i < len(words) - 1 else "") for i, w in enumerate(words)]

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.get("/api/tags")
        def tags() -> dict[str, list[dict[str, str | int]]]:
            return {"models": [{"name": self.model, "model": self.model, "size": 1}]}

        @app.post("/api/chat")
        async def chat(request: Request) -> StreamingResponse:
            body = await request.json()
            self.requests.append(body)
            return StreamingResponse(self._stream(body.get("model", self.model)), media_type="application/x-ndjson")

        @app.post("/v1/chat/completions")
        async def completions(request: Request) -> StreamingResponse:
            body = await request.json()
            self.requests.append(body)
            return StreamingResponse(self._sse(body.get("model", self.model)), media_type="text/event-stream")

        @app.post("/tokenize")
        async def tokenize(request: Request) -> Any:
            return await self._tokenize(request, "content", lambda n: {"tokens": list(range(n))})

        @app.post("/extras/tokenize/count")
        async def count(request: Request) -> Any:
            return await self._tokenize(request, "input", lambda n: {"count": n})

        return app

    async def _tokenize(self, request: Request, key: str, answer: Any) -> Any:
        if not self.tokenizer:
            return JSONResponse({"detail": "Not Found"}, status_code=404)
        text = str((await request.json())[key])
        self.tokenized.append(text)
        return answer((len(text) + 1) // 2)

    async def _sse(self, model: str) -> AsyncIterator[bytes]:
        await asyncio.sleep(self.first_token_delay_s)
        base = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0, "model": model}
        for n, token in enumerate(self.tokens()):
            if n:
                await asyncio.sleep(self.token_delay_s)
            delta = {"role": "assistant", "content": token} if n == 0 else {"content": token}
            chunk = {**base, "choices": [{"index": 0, "delta": delta, "finish_reason": None}]}
            self.sent_at.append(time.perf_counter())
            yield f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode()
        last = {**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
        yield f"data: {json.dumps(last)}\n\ndata: [DONE]\n\n".encode()

    async def _stream(self, model: str) -> AsyncIterator[bytes]:
        await asyncio.sleep(self.first_token_delay_s)
        for n, token in enumerate(self.tokens()):
            if n:
                await asyncio.sleep(self.token_delay_s)
            line = {
                "model": model,
                "created_at": "2026-01-01T00:00:00Z",
                "message": {"role": "assistant", "content": token},
                "done": False,
            }
            self.sent_at.append(time.perf_counter())
            yield (json.dumps(line, ensure_ascii=False) + "\n").encode()
        done = {
            "model": model,
            "created_at": "2026-01-01T00:00:00Z",
            "message": {"role": "assistant", "content": ""},
            "done": True,
            "done_reason": "stop",
            "total_duration": 1,
            "eval_count": len(self.tokens()),
        }
        yield (json.dumps(done) + "\n").encode()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(fake: FakeLLMServer) -> Iterator[str]:
    """Run ``fake`` on a loopback port; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(fake.app(), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the fake Ollama did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=5)
