"""Against a real ``counselor serve`` on a loopback port, with the ``websockets`` client: a conversation,
resume after reconnect, and a server killed with SIGKILL mid-conversation losing no acknowledged message
and no ticket."""

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


@pytest.fixture
def server(small_index: Path, tmp_path: Path) -> Iterator[Server]:
    data = tmp_path / "data"
    shutil.copytree(small_index, data)
    server = Server(data)
    server.start()
    yield server
    server.stop()


async def receive_until(ws: Any, kind: str) -> list[dict[str, Any]]:
    frames = []
    while True:
        frame = json.loads(await asyncio.wait_for(ws.recv(), timeout=30))
        frames.append(frame)
        if frame["type"] in (kind, "error"):
            return frames


def test_a_conversation_survives_reconnects_and_a_killed_server(server: Server) -> None:
    async def scenario() -> None:
        async with websockets.connect(server.url) as ws:
            session = json.loads(await ws.recv())
            await ws.send(json.dumps({"type": "message", "text": "기초연금은 얼마나 받아요?", "client_id": "m1"}))
            first = (await receive_until(ws, "answer"))[-1]
            assert first["status"] == "answered" and first["citations"][0]["policy_id"] == "nat-pension"
        # Reconnect: the follow-up still knows what "그럼" points at.
        async with websockets.connect(
            f"{server.url}?after={first['message_id']}", subprotocols=client_subprotocols(session["token"])
        ) as ws:
            assert json.loads(await ws.recv())["resumed"]
            await ws.send(json.dumps({"type": "message", "text": "그럼 신청은 어디서 해요?", "client_id": "m2"}))
            second = (await receive_until(ws, "answer"))[-1]
            assert second["citations"][0]["policy_id"] == "nat-pension" and "주민센터" in second["text"]
            # Killed right after acknowledging a message, before answering it.
            await ws.send(json.dumps({"type": "message", "text": "아동수당은 얼마예요?", "client_id": "m3"}))
            ack = (await receive_until(ws, "ack"))[-1]
            server.kill()
        server.start()
        async with websockets.connect(
            f"{server.url}?after={second['message_id']}", subprotocols=client_subprotocols(session["token"])
        ) as ws:
            resumed = json.loads(await ws.recv())
            assert resumed["session_id"] == session["session_id"] and resumed["last_message_id"] == ack["message_id"]
            replayed = json.loads(await ws.recv())
            assert replayed["type"] == "ack" and replayed["message_id"] == ack["message_id"]
            # The client retries what got no answer; the stored message is reused, and answered once.
            await ws.send(json.dumps({"type": "message", "text": "아동수당은 얼마예요?", "client_id": "m3"}))
            frames = await receive_until(ws, "answer")
            assert frames[0]["duplicate"] and frames[-1]["citations"][0]["policy_id"] == "nat-child"
            await ws.send(json.dumps({"type": "message", "text": "사람이랑 얘기하고 싶어요"}))
            escalated = (await receive_until(ws, "answer"))[-1]
            assert escalated["status"] == "escalated" and escalated["queue_position"] == 1
            server.kill()

    asyncio.run(scenario())
    store = ConversationStore.from_url(server.db)
    tickets = store.tickets.queue()
    assert [t.reason for t in tickets] == ["person_requested"]
    roles = [m.role for m in store.messages_after(tickets[0].conversation_id)]
    assert roles == ["citizen", "bot", "citizen", "bot", "citizen", "bot", "citizen", "bot"]
