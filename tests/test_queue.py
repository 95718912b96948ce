"""The caseworker queue: atomic claims, accounts, visibility, and a caseworker's words reaching the citizen
live (in process; the browser flow is tested separately)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession

from counselor.deps import Deps
from counselor.store.accounts import Account, AccountError
from counselor.store.conversations import ConversationStore
from counselor.web.app import create_app
from counselor.web.sockets import client_subprotocols


def test_accounts_hash_passwords_and_expire_sessions(tmp_path: Path) -> None:
    store = ConversationStore.from_url(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    store.accounts.add("kim", "correct horse", "supervisor")
    with pytest.raises(AccountError, match="taken"):
        store.accounts.add("kim", "another password")
    with pytest.raises(AccountError, match="wrong name or password"):
        store.accounts.login("kim", "wrong password")
    with pytest.raises(AccountError, match="wrong name or password"):
        store.accounts.login("nobody", "correct horse")
    account, token = store.accounts.login("kim", "correct horse")
    assert account.supervisor and store.accounts.who(token) == account and store.accounts.who("forged") is None
    with store.engine.connect() as db:
        stored = db.exec_driver_sql("SELECT password_hash FROM counselors").scalar_one()
    assert stored.startswith("$argon2") and "correct horse" not in stored
    store.accounts.session_hours = -1
    _, expired = store.accounts.login("kim", "correct horse")
    assert store.accounts.who(expired) is None
    store.accounts.logout(token)
    assert store.accounts.who(token) is None


@pytest.fixture
def deps(make_deps: Callable[..., Deps]) -> Deps:
    deps = make_deps()
    deps.store.accounts.add("lee", "password-lee")
    deps.store.accounts.add("park", "password-park")
    deps.store.accounts.add("boss", "password-boss", "supervisor")
    return deps


@pytest.fixture
def client(deps: Deps) -> Iterator[TestClient]:
    with TestClient(create_app(deps.settings, deps)) as client:
        yield client


def login(client: TestClient, name: str) -> dict[str, str]:
    response = client.post("/api/counselor/login", json={"name": name, "password": f"password-{name}"})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


def until(ws: WebSocketTestSession, kind: str) -> dict[str, Any]:
    while True:
        frame = ws.receive_json()
        if frame["type"] == kind:
            return frame


def test_a_caseworker_takes_over_and_hands_back(client: TestClient) -> None:
    lee, park, boss = login(client, "lee"), login(client, "park"), login(client, "boss")
    with client.websocket_connect("/ws/chat") as citizen:
        session = citizen.receive_json()
        citizen.send_json({"type": "message", "text": "사람이랑 얘기하고 싶어요"})
        assert until(citizen, "answer")["status"] == "escalated"
        cards = client.get("/api/tickets", headers=lee).json()
        assert len(cards) == 1 and cards[0]["waiting_s"] >= 0 and cards[0]["over_sla"] is False
        ticket = cards[0]["ticket"]["id"]
        assert cards[0]["ticket"]["brief"]["question"] == "사람이랑 얘기하고 싶어요"
        assert client.post(f"/api/tickets/{ticket}/claim", headers=lee).status_code == 200
        assert until(citizen, "counselor_joined")["counselor"] == "lee"
        assert client.post(f"/api/tickets/{ticket}/claim", headers=park).status_code == 409
        assert client.get(f"/api/tickets/{ticket}", headers=park).status_code == 404  # not park's to read
        assert client.get(f"/api/tickets/{ticket}", headers=boss).status_code == 200  # a supervisor may
        sent = client.post(
            f"/api/tickets/{ticket}/messages", headers=lee, json={"text": "안녕하세요, 상담사 이수진입니다."}
        )
        assert sent.status_code == 200
        assert until(citizen, "counselor_message")["text"] == "안녕하세요, 상담사 이수진입니다."
        citizen.send_json({"type": "message", "text": "기초연금 받을 수 있을까요?"})
        assert until(citizen, "ack")  # the bot stays silent while lee has the chat
        case = client.get(f"/api/tickets/{ticket}", headers=lee).json()
        assert [m["role"] for m in case["transcript"]] == ["citizen", "bot", "event", "counselor", "citizen"]
        assert client.post(f"/api/tickets/{ticket}/messages", headers=park, json={"text": "x"}).status_code == 409
        assert client.post(f"/api/tickets/{ticket}/return", headers=lee).status_code == 200
        assert until(citizen, "returned_to_bot")["counselor"] == "lee"
        citizen.send_json({"type": "message", "text": "기초연금은 얼마나 받아요?"})
        assert until(citizen, "answer")["status"] == "answered"
    # A reconnecting citizen replays the caseworker's part too.
    with client.websocket_connect("/ws/chat", subprotocols=client_subprotocols(session["token"])) as again:
        again.receive_json()
        kinds = [again.receive_json()["type"] for _ in range(8)]
    assert kinds == [
        "ack",
        "answer",
        "counselor_joined",
        "counselor_message",
        "ack",
        "returned_to_bot",
        "ack",
        "answer",
    ]


@pytest.mark.parametrize("written", ["before the read", "after the read"])
def test_a_caseworker_message_sent_while_the_citizen_reconnects_arrives_once(
    client: TestClient, deps: Deps, monkeypatch: pytest.MonkeyPatch, written: str
) -> None:
    """While a resuming citizen's socket reads what they missed: a message stored just before that read is in
    the replay and in the live events, one stored just after only in the live events. Either way: once."""
    lee = login(client, "lee")
    with client.websocket_connect("/ws/chat") as citizen:
        token = citizen.receive_json()["token"]
        citizen.send_json({"type": "message", "text": "사람이랑 얘기하고 싶어요"})
        last = until(citizen, "answer")["message_id"]
    ticket = client.get("/api/tickets", headers=lee).json()[0]["ticket"]["id"]
    assert client.post(f"/api/tickets/{ticket}/claim", headers=lee).status_code == 200

    read_missed = deps.store.messages_after

    def caseworker_writes_during_the_read(conversation_id: str, after: str | None) -> Any:
        monkeypatch.setattr(deps.store, "messages_after", read_missed)
        if written == "after the read":
            missed = read_missed(conversation_id, after)
        anyio.from_thread.run(deps.counselors.send, Account(name="lee", role="counselor"), ticket, "지금 답장해요")
        if written == "before the read":
            missed = read_missed(conversation_id, after)
        return missed

    monkeypatch.setattr(deps.store, "messages_after", caseworker_writes_during_the_read)
    with client.websocket_connect(f"/ws/chat?after={last}", subprotocols=client_subprotocols(token)) as again:
        frames = [again.receive_json()]
        for _ in range(20):  # bounded: a lost message must fail the test, not hang it
            again.send_json({"type": "ping"})
            while (frame := again.receive_json())["type"] != "pong":
                frames.append(frame)
            if any(f["type"] == "counselor_message" for f in frames):
                again.send_json({"type": "ping"})  # anything sent twice would come before this pong
                while (frame := again.receive_json())["type"] != "pong":
                    frames.append(frame)
                break
    texts = [f["text"] for f in frames if f["type"] == "counselor_message"]
    assert texts == ["지금 답장해요"]


def test_resolving_closes_the_case_with_a_note(client: TestClient) -> None:
    lee = login(client, "lee")
    with client.websocket_connect("/ws/chat") as citizen:
        citizen.receive_json()
        citizen.send_json({"type": "message", "text": "상담원 연결해 주세요"})
        until(citizen, "answer")
        ticket = client.get("/api/tickets", headers=lee).json()[0]["ticket"]["id"]
        client.post(f"/api/tickets/{ticket}/claim", headers=lee)
        resolved = client.post(
            f"/api/tickets/{ticket}/resolve", headers=lee, json={"note": "안내 완료", "tags": ["pension"]}
        )
        assert resolved.json()["ticket"]["state"] == "resolved" and resolved.json()["ticket"]["tags"] == ["pension"]
        assert until(citizen, "resolved")["counselor"] == "lee"
    assert client.get("/api/tickets", headers=lee).json() == []
    assert client.get("/api/tickets/history", headers=lee).json()[0]["ticket"]["note"] == "안내 완료"


def test_nothing_without_a_caseworker_token(client: TestClient) -> None:
    with client.websocket_connect("/ws/chat") as citizen:
        token = citizen.receive_json()["token"]
    for headers in ({}, {"Authorization": "Bearer forged"}, {"Authorization": f"Bearer {token}"}):
        assert client.get("/api/tickets", headers=headers).status_code == 401
        assert client.get("/api/tickets/1", headers=headers).status_code == 401
    assert client.post("/api/counselor/login", json={"name": "lee", "password": "nope"}).status_code == 401
    with client.websocket_connect("/ws/counselor", subprotocols=client_subprotocols("forged")) as ws:
        assert ws.receive_json()["code"] == "unauthorised"


def test_the_console_socket_sees_new_tickets_and_claims(client: TestClient) -> None:
    token = login(client, "lee")["Authorization"].removeprefix("Bearer ")
    with client.websocket_connect("/ws/counselor", subprotocols=client_subprotocols(token)) as console:
        assert console.receive_json() == {"type": "queue", "tickets": []}
        with client.websocket_connect("/ws/chat") as citizen:
            citizen.receive_json()
            citizen.send_json({"type": "message", "text": "죽고 싶어요"})
            assert until(citizen, "answer")["status"] == "crisis"
            pushed = console.receive_json()
            assert pushed["type"] == "ticket" and pushed["ticket"]["priority"] == 0
            ticket = pushed["ticket"]["id"]
            console.send_json({"type": "claim", "ticket_id": ticket})
            case = until(console, "case")
            assert case["card"]["ticket"]["claimed_by"] == "lee" and case["transcript"][0]["role"] == "citizen"
            assert until(citizen, "counselor_joined")
            citizen.send_json({"type": "message", "text": "도와주세요"})
            live = until(console, "case_message")
            assert live["message"]["text"] == "도와주세요" and live["ticket_id"] == ticket
            console.send_json({"type": "send", "ticket_id": ticket, "text": "지금 곁에 있을게요."})
            assert until(console, "sent")["message"]["text"] == "지금 곁에 있을게요."
            assert until(citizen, "counselor_message")["text"] == "지금 곁에 있을게요."
            console.send_json({"type": "claim", "ticket_id": 999})
            assert until(console, "error")["code"] == "not_found"
            console.send_text("not json")
            assert until(console, "error")["code"] == "bad_frame"


def test_office_hours_say_when_a_caseworker_is_next_in() -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from counselor.queue.hours import OfficeHours
    from counselor.settings import QueueSettings

    hours = OfficeHours(QueueSettings(office_hours="09:00-18:00", office_days=[0, 1, 2, 3, 4]))
    seoul = ZoneInfo("Asia/Seoul")
    monday_noon = datetime(2026, 11, 23, 12, 0, tzinfo=seoul)
    friday_night = datetime(2026, 11, 27, 19, 30, tzinfo=seoul)
    assert hours.is_open(monday_noon) and not hours.is_open(friday_night)
    assert hours.next_open(friday_night) == datetime(2026, 11, 30, 9, 0, tzinfo=seoul)  # Monday morning
    assert hours.next_open(datetime(2026, 11, 24, 7, 0, tzinfo=seoul)) == datetime(2026, 11, 24, 9, 0, tzinfo=seoul)
