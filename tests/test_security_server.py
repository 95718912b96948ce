"""Against a real ``counselor serve`` (issue 18): no token, session id or password in any log line over a
full flow, and websocket frames larger than the app needs refused by the server."""

from __future__ import annotations

import asyncio
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import websockets

from counselor.store.conversations import ConversationStore
from counselor.testing.server import Server
from counselor.web.sockets import client_subprotocols

pytestmark = pytest.mark.timeout(180)
PASSWORD = "lee-long-passphrase"


@pytest.fixture
def served(small_index: Path, tmp_path: Path) -> Iterator[tuple[Server, Path]]:
    data = tmp_path / "data"
    shutil.copytree(small_index, data)
    store = ConversationStore.from_url(f"sqlite:///{data / 'counselor.sqlite3'}")
    store.accounts.add("lee", PASSWORD)
    store.engine.dispose()
    log = tmp_path / "server.log"
    server = Server(data, log=log)
    server.start()
    yield server, log
    server.stop()


async def until(ws: Any, kind: str) -> dict[str, Any]:
    while (frame := json.loads(await asyncio.wait_for(ws.recv(), 30)))["type"] != kind:
        pass
    return frame


def test_no_token_session_id_or_password_reaches_the_log(served: tuple[Server, Path]) -> None:
    server, log = served
    secrets: list[str] = [PASSWORD]

    async def flow() -> None:
        async with websockets.connect(server.url) as ws:
            session = await until(ws, "session")
            secrets.extend([session["token"], session["session_id"]])
            await ws.send(json.dumps({"type": "message", "text": "사람이랑 얘기하고 싶어요"}))
            last = (await until(ws, "answer"))["message_id"]
        async with websockets.connect(
            f"{server.url}?after={last}", subprotocols=client_subprotocols(session["token"])
        ) as ws:
            assert (await until(ws, "session"))["resumed"]
        # An old client that still puts the token in the URL: the line is written, the token is not.
        async with websockets.connect(f"{server.url}?token={session['token']}") as ws:
            await until(ws, "session")
        lee = server.api("POST", "/api/counselor/login", name="lee", password=PASSWORD).json()["token"]
        secrets.append(lee)
        assert server.api("GET", "/api/tickets", lee).status_code == 200
        console_url = f"ws://127.0.0.1:{server.port}/ws/counselor"
        async with websockets.connect(console_url, subprotocols=client_subprotocols(lee)) as console:
            assert (await until(console, "queue"))["tickets"]
        async with websockets.connect(f"{console_url}?token={lee}") as console:
            await console.recv()
        assert server.api("POST", "/api/counselor/logout", lee).status_code == 204
        assert server.api("GET", "/api/tickets", lee).status_code == 401

    asyncio.run(flow())
    server.stop()
    written = log.read_text(encoding="utf-8", errors="replace")
    assert "WebSocket /ws/chat" in written and "POST /api/counselor/login" in written  # the log was captured
    leaked = [s for s in secrets if s in written]
    assert leaked == [], f"{len(leaked)} secrets in the server log"


def test_frames_larger_than_the_app_needs_are_refused(served: tuple[Server, Path]) -> None:
    server, _ = served

    async def flow() -> int | None:
        async with websockets.connect(server.url, max_size=None) as ws:
            await until(ws, "session")
            await ws.send(json.dumps({"type": "message", "text": "가" * 1_000_000}))
            try:
                await asyncio.wait_for(ws.recv(), 10)
            except websockets.ConnectionClosed as closed:
                return closed.rcvd.code if closed.rcvd else None
        return None

    assert asyncio.run(flow()) == 1009  # message too big
