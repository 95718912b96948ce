"""The citizen's socket and the HTTP surface against careless and hostile clients (issue 18): anonymous load,
logins, frames that used to come back ``internal``, headers, origins, and file permissions."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import text
from starlette.testclient import WebSocketTestSession
from starlette.websockets import WebSocketDisconnect

from counselor.deps import Deps
from counselor.settings import WebSettings
from counselor.store.accounts import AccountError, password_problem
from counselor.store.conversations import ConversationStore
from counselor.web.app import create_app
from counselor.web.sockets import client_subprotocols

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def deps(make_deps: Callable[..., Deps], indexed_settings: Any) -> Deps:
    web = WebSettings(messages_per_address="12 per minute", login_per_name="3 per minute")
    return make_deps(indexed_settings.model_copy(update={"web": web}))


@pytest.fixture
def client(deps: Deps) -> Iterator[TestClient]:
    with TestClient(create_app(deps.settings, deps)) as client:
        yield client


def until(ws: WebSocketTestSession, *kinds: str) -> dict[str, Any]:
    while (frame := ws.receive_json())["type"] not in kinds:
        pass
    return frame


def count(deps: Deps, table: str) -> int:
    with deps.store.engine.connect() as db:
        return int(db.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


# --- 6: anonymous load ---------------------------------------------------------------------------


def test_an_idle_socket_writes_nothing_and_its_conversation_is_stored_at_the_first_message(
    client: TestClient, deps: Deps
) -> None:
    for _ in range(20):
        with client.websocket_connect("/ws/chat") as ws:
            assert ws.receive_json()["type"] == "session"
    assert count(deps, "conversations") == 0
    with client.websocket_connect("/ws/chat?region=전라남도 광양시") as ws:
        session = ws.receive_json()
        ws.send_json({"type": "message", "text": "출생수당 있나요?"})
        until(ws, "answer")
    assert count(deps, "conversations") == 1
    assert deps.store.region(session["session_id"]) == ("전라남도", "광양시")
    with client.websocket_connect("/ws/chat", subprotocols=client_subprotocols(session["token"])) as ws:
        assert ws.receive_json()["resumed"] is True


def test_new_conversations_do_not_get_round_the_message_limit(client: TestClient) -> None:
    answered, refused = 0, 0
    for _ in range(8):  # a fresh conversation for every two messages
        with client.websocket_connect("/ws/chat") as ws:
            ws.receive_json()
            for _ in range(2):
                ws.send_json({"type": "message", "text": "기초연금 얼마예요?"})
                frame = until(ws, "answer", "error")
                answered += frame["type"] == "answer"
                refused += frame.get("code") == "rate_limited"
    assert answered == 12 and refused == 4  # messages_per_address = 12 per minute


def test_an_identifier_used_as_client_id_is_not_stored_or_echoed(client: TestClient, deps: Deps) -> None:
    with client.websocket_connect("/ws/chat") as ws:
        ws.receive_json()
        for _ in range(2):  # a retry with the same client_id is still one message
            ws.send_json({"type": "message", "text": "기초연금 얼마예요?", "client_id": "010-2233-4455"})
            ack = until(ws, "ack")
            until(ws, "answer")
        assert "4455" not in ack["client_id"] and ack["duplicate"] is True
    with deps.store.engine.connect() as db:
        rows = [str(r) for r in db.execute(text("SELECT * FROM messages"))]
    assert len(rows) == 2 and not any("4455" in r for r in rows)


# --- 5: logins -----------------------------------------------------------------------------------


def test_logins_are_throttled_per_name_before_any_password_is_checked(client: TestClient, deps: Deps) -> None:
    deps.store.accounts.add("lee", "lee-long-passphrase")
    codes = [
        client.post("/api/counselor/login", json={"name": "lee", "password": f"guess-{n}"}).status_code
        for n in range(6)
    ]
    assert codes == [401, 401, 401, 429, 429, 429]
    right = client.post("/api/counselor/login", json={"name": "lee", "password": "lee-long-passphrase"})
    assert right.status_code == 429 and right.headers["retry-after"]


def test_logins_are_throttled_per_address_across_names(make_deps: Callable[..., Deps], indexed_settings: Any) -> None:
    web = WebSettings(login_per_address="4 per minute")
    deps = make_deps(indexed_settings.model_copy(update={"web": web}))
    with TestClient(create_app(deps.settings, deps)) as client:
        codes = [
            client.post("/api/counselor/login", json={"name": f"user{n}", "password": "x"}).status_code
            for n in range(6)
        ]
    assert codes == [401, 401, 401, 401, 429, 429]


def test_an_unknown_or_disabled_name_costs_a_password_check_like_a_wrong_password(tmp_path: Path) -> None:
    """Timing told which names exist (2 ms against 197 ms): every failure now runs one argon2 verify."""
    store = ConversationStore.from_url(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    store.accounts.add("kim", "kim-long-passphrase")
    store.accounts.add("old", "old-long-passphrase")
    store.accounts.disable("old")
    verified: list[str] = []

    class Counting(PasswordHasher):
        def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
            verified.append(str(hash))
            return super().verify(hash, password)

    store.accounts._hasher = Counting()
    for name in ("kim", "nobody", "old"):
        with pytest.raises(AccountError, match="wrong name or password"):
            store.accounts.login(name, "not the password")
    with pytest.raises(AccountError, match="wrong name or password"):
        store.accounts.login("old", "old-long-passphrase")
    assert len(verified) == 4 and all(h.startswith("$argon2") for h in verified)


@pytest.mark.parametrize("weak", ["password", "password1234", "short-pw", "aaaaaaaaaaaaaaaa", "qwerty123456!"])
def test_weak_passwords_are_refused(tmp_path: Path, weak: str) -> None:
    assert password_problem("kim", weak)
    store = ConversationStore.from_url(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    with pytest.raises(AccountError):
        store.accounts.add("kim", weak)
    assert password_problem("kim", "kim-long-passphrase") is None


# --- 7: smaller items ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ('{"type": "profile", "action": "set", "facts": {"age": ' + "9" * 5000 + "}}", "bad_frame"),
        ('{"type": "message", "text": "\\ud800"}', "bad_frame"),
        ('{"type": "profile", "action": "set", "facts": {"name": "\\udfff"}}', "bad_frame"),
    ],
)
def test_frames_that_came_back_internal_are_bad_frames(client: TestClient, frame: str, code: str) -> None:
    with client.websocket_connect("/ws/chat") as ws:
        ws.receive_json()
        ws.send_text(frame)
        assert ws.receive_json()["code"] == code
        ws.send_json({"type": "ping"})
        assert ws.receive_json()["type"] == "pong"


def test_one_message_limit_checked_before_the_ack(client: TestClient, deps: Deps) -> None:
    limit = deps.settings.chat.max_message_chars
    assert limit + 200 <= deps.settings.retrieval.max_query_chars
    with client.websocket_connect("/ws/chat") as ws:
        ws.receive_json()
        ws.send_json({"type": "message", "text": "기초연금 " * (limit // 5) + "가" * (limit % 5 + 1)})
        assert ws.receive_json()["code"] == "too_long"
        ws.send_json({"type": "message", "text": "기초연금 얼마예요? " + "가" * (limit - 12)})
        assert ws.receive_json()["type"] == "ack"
        assert until(ws, "answer", "error")["type"] == "answer"
        ws.send_json({"type": "message", "text": "그럼 신청은요? " + "나" * (limit - 10)})  # a follow-up
        assert until(ws, "answer", "error")["type"] == "answer"


def test_a_huge_ticket_id_is_a_bad_request_not_a_crash(client: TestClient, deps: Deps) -> None:
    deps.store.accounts.add("lee", "lee-long-passphrase")
    token = client.post("/api/counselor/login", json={"name": "lee", "password": "lee-long-passphrase"}).json()
    headers = {"Authorization": f"Bearer {token['token']}"}
    assert client.get(f"/api/tickets/{2**63}", headers=headers).status_code == 422
    with client.websocket_connect("/ws/counselor", subprotocols=client_subprotocols(token["token"])) as ws:
        ws.receive_json()
        ws.send_json({"type": "open", "ticket_id": 2**63})
        assert ws.receive_json()["code"] == "bad_frame"
        ws.send_json({"type": "ping"})
        assert ws.receive_json() == {"type": "pong"}


def test_an_unknown_region_is_reported_after_the_session_frame(client: TestClient) -> None:
    with client.websocket_connect("/ws/chat?region=아틀란티스") as ws:
        assert ws.receive_json()["type"] == "session"
        assert ws.receive_json()["code"] == "bad_frame"


def test_pages_and_calls_carry_security_headers(client: TestClient) -> None:
    for path in ("/", "/console", "/static/chat.js", "/healthz"):
        headers = client.get(path).headers
        assert "default-src 'self'" in headers["content-security-policy"]
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY" and headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"


@pytest.mark.parametrize("path", ["/ws/chat", "/ws/counselor"])
def test_a_foreign_origin_cannot_open_a_socket(client: TestClient, path: str) -> None:
    foreign = client.websocket_connect(path, headers={"origin": "https://evil.example"})
    with pytest.raises(WebSocketDisconnect) as refused, foreign as ws:
        ws.receive_json()
    assert refused.value.code == 4403
    with client.websocket_connect("/ws/chat", headers={"origin": "http://testserver"}) as ws:
        assert ws.receive_json()["type"] == "session"


def test_database_files_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    store = ConversationStore.from_url(f"sqlite:///{tmp_path / 'db' / 'c.sqlite3'}")
    store.open_conversation()
    for name in os.listdir(tmp_path / "db"):
        mode = stat.S_IMODE((tmp_path / "db" / name).stat().st_mode)
        assert mode & 0o077 == 0, f"{name} is {oct(mode)}"
