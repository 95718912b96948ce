"""Two `counselor serve` replicas sharing PostgreSQL and Redis: a citizen on replica A escalates, a caseworker
on replica B claims and replies, the citizen gets it live through Redis; then A is killed and the citizen
resumes on B without losing a message."""

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
from tests.backends import REDIS, postgres_schema, redis_prefix


@pytest.fixture
def replicas(small_index: Path, tmp_path: Path) -> Iterator[tuple[Server, Server, str]]:
    prefix = redis_prefix()
    with postgres_schema() as db:
        store = ConversationStore.from_url(db)
        store.accounts.add("lee", "password-lee")
        store.engine.dispose()
        env = {"COUNSELOR_BROKER_URL": REDIS, "COUNSELOR_BROKER_PREFIX": prefix}
        servers = []
        for name in ("a", "b"):
            data = tmp_path / name
            shutil.copytree(small_index, data)
            servers.append(Server(data, db=db, env=env))
        try:
            for server in servers:
                server.start()
            yield servers[0], servers[1], db
        finally:
            for server in servers:
                server.stop()


async def receive(ws: Any, kind: str) -> dict[str, Any]:
    while True:
        frame = json.loads(await asyncio.wait_for(ws.recv(), 15))
        if frame["type"] == kind:
            return frame  # type: ignore[no-any-return]


def test_a_conversation_flows_across_replicas_and_survives_one_dying(replicas: tuple[Server, Server, str]) -> None:
    a, b, db = replicas

    async def scenario() -> None:
        async with websockets.connect(a.url) as citizen:
            session = json.loads(await citizen.recv())
            await citizen.send(json.dumps({"type": "message", "text": "상담원 연결해 주세요", "client_id": "c1"}))
            escalated = await receive(citizen, "answer")
            assert escalated["status"] == "escalated"

            lee = b.api("POST", "/api/counselor/login", name="lee", password="password-lee").json()["token"]
            tickets = b.api("GET", "/api/tickets", lee).json()
            assert len(tickets) == 1 and tickets[0]["ticket"]["conversation_id"] == session["session_id"]
            ticket = tickets[0]["ticket"]["id"]
            assert b.api("POST", f"/api/tickets/{ticket}/claim", lee).status_code == 200
            assert (
                b.api("POST", f"/api/tickets/{ticket}/messages", lee, text="안녕하세요, 상담사입니다.").status_code
                == 200
            )
            # Written on replica B, pushed through Redis to the citizen's socket on replica A.
            assert (await receive(citizen, "counselor_joined"))["counselor"] == "lee"
            live = await receive(citizen, "counselor_message")
            assert live["text"] == "안녕하세요, 상담사입니다."

        a.kill()
        assert b.api("POST", f"/api/tickets/{ticket}/messages", lee, text="아직 계세요?").status_code == 200
        query = f"?after={live['message_id']}"
        async with websockets.connect(f"{b.url}{query}", subprotocols=client_subprotocols(session["token"])) as citizen:
            resumed = json.loads(await citizen.recv())
            assert resumed["resumed"] and resumed["session_id"] == session["session_id"]
            missed = await receive(citizen, "counselor_message")
            assert missed["text"] == "아직 계세요?"
            await citizen.send(json.dumps({"type": "message", "text": "네, 여기 있어요", "client_id": "c2"}))
            ack = await receive(citizen, "ack")
            assert ack["text"] == "네, 여기 있어요"

    asyncio.run(scenario())
    store = ConversationStore.from_url(db)
    roles = [m.role for m in store.messages_after(store.tickets.get(1).conversation_id)]  # type: ignore[union-attr]
    assert roles == ["citizen", "bot", "event", "counselor", "counselor", "citizen"]
    store.engine.dispose()


def test_a_console_on_one_replica_follows_a_citizen_on_the_other(replicas: tuple[Server, Server, str]) -> None:
    a, b, _ = replicas

    async def scenario() -> None:
        lee = b.api("POST", "/api/counselor/login", name="lee", password="password-lee").json()["token"]
        console_url = f"ws://127.0.0.1:{b.port}/ws/counselor"
        async with (
            websockets.connect(console_url, subprotocols=client_subprotocols(lee)) as console,
            websockets.connect(a.url) as citizen,
        ):
            assert (await receive(console, "queue"))["tickets"] == []
            json.loads(await citizen.recv())
            await citizen.send(json.dumps({"type": "message", "text": "죽고 싶어요"}))
            assert (await receive(citizen, "answer"))["status"] == "crisis"
            pushed = await receive(console, "ticket")  # created on A, pushed to B's console through Redis
            assert pushed["ticket"]["priority"] == 0
            await console.send(json.dumps({"type": "claim", "ticket_id": pushed["ticket"]["id"]}))
            assert (await receive(console, "case"))["card"]["ticket"]["claimed_by"] == "lee"
            await receive(citizen, "counselor_joined")
            await citizen.send(json.dumps({"type": "message", "text": "도와주세요"}))
            live = await receive(console, "case_message")  # the citizen writes on A, the console on B sees it
            assert live["message"]["text"] == "도와주세요"
            await console.send(
                json.dumps({"type": "send", "ticket_id": pushed["ticket"]["id"], "text": "곁에 있을게요."})
            )
            assert (await receive(citizen, "counselor_message"))["text"] == "곁에 있을게요."

    asyncio.run(scenario())
