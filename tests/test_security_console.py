"""The console's access rules (issue 18): every event a console socket receives passes the HTTP API's access
check when it is delivered; sessions end when they expire, on logout, and when an account is disabled or
removed, and an open socket ends with them."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession
from starlette.websockets import WebSocketDisconnect

from counselor.deps import Deps
from counselor.settings import QueueSettings
from counselor.store.accounts import AccountError
from counselor.web.app import create_app

pytestmark = pytest.mark.timeout(60)
PASSWORDS = {"lee": "lee-long-passphrase", "park": "park-long-passphrase", "boss": "boss-long-passphrase"}


@pytest.fixture
def deps(make_deps: Callable[..., Deps], indexed_settings: Any) -> Deps:
    settings = indexed_settings.model_copy(update={"queue": QueueSettings(session_hours=1, session_check_s=0.2)})
    deps = make_deps(settings)
    deps.store.accounts.add("lee", PASSWORDS["lee"])
    deps.store.accounts.add("park", PASSWORDS["park"])
    deps.store.accounts.add("boss", PASSWORDS["boss"], "supervisor")
    return deps


@pytest.fixture
def client(deps: Deps) -> Iterator[TestClient]:
    with TestClient(create_app(deps.settings, deps)) as client:
        yield client


def token_of(client: TestClient, name: str) -> str:
    response = client.post("/api/counselor/login", json={"name": name, "password": PASSWORDS[name]})
    assert response.status_code == 200, response.text
    return str(response.json()["token"])


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def console(client: TestClient, token: str) -> Any:
    return client.websocket_connect("/ws/counselor", subprotocols=["counselor", f"token.{token}"])


def until(ws: WebSocketTestSession, kind: str) -> dict[str, Any]:
    while True:
        frame = ws.receive_json()
        if frame["type"] == kind:
            return frame


def drain(ws: WebSocketTestSession) -> list[dict[str, Any]]:
    """Everything the socket received until now: the server's forwarder has had a moment, then a ping's pong
    marks the end."""
    time.sleep(0.3)
    ws.send_json({"type": "ping"})
    frames = []
    while (frame := ws.receive_json())["type"] != "pong":
        frames.append(frame)
    return frames


def test_a_console_stops_receiving_a_case_once_another_caseworker_claims_it(client: TestClient) -> None:
    lee, park = token_of(client, "lee"), token_of(client, "park")
    with client.websocket_connect("/ws/chat") as citizen, console(client, lee) as a:
        citizen.receive_json()
        citizen.send_json({"type": "message", "text": "사람이랑 얘기하고 싶어요"})
        until(citizen, "answer")
        ticket = until(a, "ticket")["ticket"]["id"]
        a.send_json({"type": "open", "ticket_id": ticket})
        assert until(a, "case")["card"]["ticket"]["id"] == ticket
        assert client.post(f"/api/tickets/{ticket}/claim", headers=bearer(park)).status_code == 200
        assert client.get(f"/api/tickets/{ticket}", headers=bearer(lee)).status_code == 404
        until(citizen, "counselor_joined")
        citizen.send_json({"type": "message", "text": "제 사정은 이렇습니다"})
        until(citizen, "ack")
        client.post(f"/api/tickets/{ticket}/messages", headers=bearer(park), json={"text": "박 상담사입니다"})
        until(citizen, "counselor_message")
        client.post(f"/api/tickets/{ticket}/resolve", headers=bearer(park), json={"note": "끝"})
        until(citizen, "resolved")
        seen = drain(a)
    assert [f for f in seen if f["type"] == "case_message"] == []
    assert all("제 사정은" not in str(f) and "박 상담사" not in str(f) for f in seen)
    assert {"type": "ticket_removed", "ticket_id": ticket} in seen


def test_the_owner_and_a_supervisor_still_receive_the_case(client: TestClient) -> None:
    lee, boss = token_of(client, "lee"), token_of(client, "boss")
    with client.websocket_connect("/ws/chat") as citizen, console(client, lee) as a, console(client, boss) as b:
        citizen.receive_json()
        citizen.send_json({"type": "message", "text": "상담원 연결해 주세요"})
        until(citizen, "answer")
        ticket = until(a, "ticket")["ticket"]["id"]
        a.send_json({"type": "claim", "ticket_id": ticket})
        until(a, "case")
        b.send_json({"type": "open", "ticket_id": ticket})
        until(b, "case")
        citizen.send_json({"type": "message", "text": "도와주세요"})
        assert until(a, "case_message")["message"]["text"] == "도와주세요"
        assert until(b, "case_message")["message"]["text"] == "도와주세요"


def test_the_session_length_setting_is_honoured(client: TestClient, deps: Deps) -> None:
    token_of(client, "lee")
    with deps.store.engine.connect() as db:
        expires = db.exec_driver_sql("SELECT expires_at FROM counselor_sessions").scalar_one()
    from datetime import UTC, datetime

    left = datetime.fromisoformat(str(expires)).replace(tzinfo=UTC) - datetime.now(UTC)
    assert 0 < left.total_seconds() <= 3600


def test_logout_ends_the_session_and_closes_its_console(client: TestClient) -> None:
    lee = token_of(client, "lee")
    with console(client, lee) as ws:
        assert ws.receive_json()["type"] == "queue"
        assert client.post("/api/counselor/logout", headers=bearer(lee)).status_code == 204
        with pytest.raises(WebSocketDisconnect) as closed:
            for _ in range(50):  # the socket notices within session_check_s, without any frame from it
                ws.receive_json()
        assert closed.value.code == 4401
    assert client.get("/api/tickets", headers=bearer(lee)).status_code == 401


def test_an_action_after_the_session_ended_is_refused_and_closes(client: TestClient, deps: Deps) -> None:
    lee = token_of(client, "lee")
    with console(client, lee) as ws:
        ws.receive_json()
        deps.store.accounts.logout(lee)
        ws.send_json({"type": "open", "ticket_id": 1})
        with pytest.raises(WebSocketDisconnect) as closed:
            for _ in range(50):
                assert ws.receive_json()["type"] != "case"
        assert closed.value.code == 4401


@pytest.mark.parametrize("how", ["disable", "remove"])
def test_a_disabled_or_removed_account_cannot_log_in_and_its_sockets_close(
    client: TestClient, deps: Deps, how: str
) -> None:
    lee = token_of(client, "lee")
    with console(client, lee) as ws:
        ws.receive_json()
        getattr(deps.store.accounts, how)("lee")
        with pytest.raises(WebSocketDisconnect) as closed:
            for _ in range(50):
                ws.receive_json()
        assert closed.value.code == 4401
    assert client.get("/api/tickets", headers=bearer(lee)).status_code == 401
    refused = client.post("/api/counselor/login", json={"name": "lee", "password": PASSWORDS["lee"]})
    assert refused.status_code == 401
    if how == "disable":
        deps.store.accounts.enable("lee")
        assert token_of(client, "lee")
    else:
        with pytest.raises(AccountError):
            deps.store.accounts.disable("lee")
