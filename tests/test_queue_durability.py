"""The handover flow against a real server killed with SIGKILL after every step: no ticket, claim or message
is lost, and a reconnecting citizen catches up on what it missed."""

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
    ConversationStore.from_url(server.db).accounts.add("lee", "password-lee")
    server.start()
    yield server
    server.stop()


def restart(server: Server) -> None:
    server.kill()
    server.start()


async def frames_after(server: Server, token: str, after: str | None, count: int) -> list[dict[str, Any]]:
    query = f"?after={after}" if after else ""
    async with websockets.connect(f"{server.url}{query}", subprotocols=client_subprotocols(token)) as ws:
        assert json.loads(await ws.recv())["resumed"]
        return [json.loads(await asyncio.wait_for(ws.recv(), 10)) for _ in range(count)]


async def ask(server: Server, token: str | None, text: str) -> tuple[str, dict[str, Any]]:
    async with websockets.connect(server.url, subprotocols=client_subprotocols(token)) as ws:
        session = json.loads(await ws.recv())
        await ws.send(json.dumps({"type": "message", "text": text, "client_id": text}))
        asked = None  # a resumed socket first replays the conversation: wait for the answer to *this* message
        while True:
            frame = json.loads(await asyncio.wait_for(ws.recv(), 30))
            if frame["type"] == "ack" and frame["client_id"] == text:
                asked = frame["message_id"]
            if frame["type"] == "answer" and asked and frame["reply_to"] == asked:
                return session["token"], frame


def test_nothing_is_lost_when_the_server_dies_at_each_step(server: Server) -> None:
    token, escalated = asyncio.run(ask(server, None, "상담원 연결해 주세요"))
    assert escalated["status"] == "escalated"
    restart(server)  # after the escalation
    lee = server.api("POST", "/api/counselor/login", name="lee", password="password-lee").json()["token"]
    tickets = server.api("GET", "/api/tickets", lee).json()
    assert len(tickets) == 1 and tickets[0]["ticket"]["state"] == "waiting"
    ticket = tickets[0]["ticket"]["id"]

    assert server.api("POST", f"/api/tickets/{ticket}/claim", lee).status_code == 200
    restart(server)  # after the claim: still lee's, and the session survives too
    assert server.api("GET", f"/api/tickets/{ticket}", lee).json()["card"]["ticket"]["claimed_by"] == "lee"

    sent = server.api("POST", f"/api/tickets/{ticket}/messages", lee, text="안녕하세요, 상담사입니다.")
    assert sent.status_code == 200
    restart(server)  # after the caseworker's message, before the citizen came back
    missed = asyncio.run(frames_after(server, token, escalated["message_id"], 2))
    assert [f["type"] for f in missed] == ["counselor_joined", "counselor_message"]
    assert missed[1]["text"] == "안녕하세요, 상담사입니다."

    assert server.api("POST", f"/api/tickets/{ticket}/return", lee).status_code == 200
    restart(server)  # after handing back: the bot answers again
    _, answer = asyncio.run(ask(server, token, "기초연금은 얼마나 받아요?"))
    assert answer["status"] == "answered" and "33만 4,810원" in answer["text"], answer
    restart(server)
    store = ConversationStore.from_url(server.db)
    assert store.tickets.get(ticket).state == "returned"  # type: ignore[union-attr]
    roles = [m.role for m in store.messages_after(tickets[0]["ticket"]["conversation_id"])]
    assert roles == ["citizen", "bot", "event", "counselor", "event", "citizen", "bot"]


def test_one_citizen_never_sees_another_citizens_conversation(server: Server) -> None:
    async def scenario() -> None:
        async with websockets.connect(server.url) as a, websockets.connect(server.url) as b:
            session_a, session_b = json.loads(await a.recv()), json.loads(await b.recv())
            await b.send(json.dumps({"type": "message", "text": "상담원 연결해 주세요"}))
            while json.loads(await b.recv())["type"] != "answer":
                pass
            lee = server.api("POST", "/api/counselor/login", name="lee", password="password-lee").json()["token"]
            ticket = server.api("GET", "/api/tickets", lee).json()[0]["ticket"]["id"]
            server.api("POST", f"/api/tickets/{ticket}/claim", lee)
            server.api("POST", f"/api/tickets/{ticket}/messages", lee, text="비밀 이야기")
            with pytest.raises(TimeoutError):
                await asyncio.wait_for(a.recv(), 1.0)  # nothing of B's reaches A
            # A session id is not a key: only the token resumes, and guessing one fails.
            for query, offered in (
                ("", session_b["session_id"]),
                ("", "guess"),
                (f"?session_id={session_b['session_id']}", None),
            ):
                async with websockets.connect(f"{server.url}{query}", subprotocols=client_subprotocols(offered)) as c:
                    first = json.loads(await c.recv())
                    assert first.get("session_id") != session_b["session_id"]
            assert session_a["session_id"] != session_b["session_id"]
            for path in ("/api/tickets", f"/api/tickets/{ticket}"):
                assert server.api("GET", path, session_a["token"]).status_code == 401

    asyncio.run(scenario())


async def rate(server: Server, token: str, frame: dict[str, Any]) -> dict[str, Any]:
    """The reply to one rating frame (what a resumed socket replays comes first, and a pong marks the end)."""
    async with websockets.connect(server.url, subprotocols=client_subprotocols(token)) as ws:
        assert json.loads(await ws.recv())["resumed"]
        await ws.send(json.dumps(frame))
        await ws.send(json.dumps({"type": "ping"}))
        frames = []
        while (reply := json.loads(await asyncio.wait_for(ws.recv(), 30)))["type"] != "pong":
            frames.append(reply)
        return frames[-1]


async def replayed_ratings(server: Server, token: str) -> list[dict[str, Any]]:
    async with websockets.connect(server.url, subprotocols=client_subprotocols(token)) as ws:
        assert json.loads(await ws.recv())["resumed"]
        await ws.send(json.dumps({"type": "ping"}))
        frames = []
        while (frame := json.loads(await asyncio.wait_for(ws.recv(), 30)))["type"] != "pong":
            frames.append(frame)
        return [f for f in frames if f["type"] == "feedback_saved"]


def test_notes_audit_entries_and_feedback_survive_the_server_dying(server: Server) -> None:
    ConversationStore.from_url(server.db).accounts.add("boss", "password-boss", "supervisor")
    token, answer = asyncio.run(ask(server, None, "기초연금은 얼마나 받아요?"))
    assert answer["status"] == "answered"
    saved = asyncio.run(rate(server, token, {"type": "feedback", "message_id": answer["message_id"], "helpful": False}))
    assert saved["type"] == "feedback_saved"
    restart(server)  # right after the rating was acknowledged
    assert [(f["message_id"], f["helpful"]) for f in asyncio.run(replayed_ratings(server, token))] == [
        (answer["message_id"], False)
    ]

    asyncio.run(ask(server, token, "상담원 연결해 주세요"))
    lee = server.api("POST", "/api/counselor/login", name="lee", password="password-lee").json()["token"]
    ticket = server.api("GET", "/api/tickets", lee).json()[0]["ticket"]["id"]
    assert server.api("POST", f"/api/tickets/{ticket}/claim", lee).status_code == 200
    assert server.api("POST", f"/api/tickets/{ticket}/notes", lee, text="집주인과 통화 예정").status_code == 200
    restart(server)  # right after the note was acknowledged
    case = server.api("GET", f"/api/tickets/{ticket}", lee).json()
    assert [n["text"] for n in case["notes"]] == ["집주인과 통화 예정"]
    resolved = server.api("POST", f"/api/tickets/{ticket}/resolve", lee, outcome="referred")
    assert resolved.status_code == 200
    restart(server)
    boss = server.api("POST", "/api/counselor/login", name="boss", password="password-boss").json()["token"]
    actions = [e["action"] for e in server.api("GET", f"/api/audit?ticket_id={ticket}", boss).json()]
    assert actions == ["resolve", "open", "note", "claim"]
    ended = next(
        m
        for m in ConversationStore.from_url(server.db).messages_after(case["card"]["ticket"]["conversation_id"])
        if m.role == "event" and m.payload.event == "resolved"
    )
    saved = asyncio.run(rate(server, token, {"type": "satisfaction", "message_id": ended.id, "rating": 4}))
    assert saved["rating"] == 4
    restart(server)
    chats = ConversationStore.from_url(server.db).feedback.rated_chats()
    assert [(c.rating, c.counselor, c.ticket_id) for c in chats] == [(4, "lee", ticket)]
