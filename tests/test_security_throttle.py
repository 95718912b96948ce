"""The throttle across replicas (issue 18, item 5 "the same across replicas"): two app instances that share
Redis count the same attempts; an unreachable Redis lets attempts through rather than failing every login
and every citizen's socket."""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from counselor.deps import Deps
from counselor.settings import WebSettings
from counselor.store.accounts import AccountError
from counselor.throttle import Throttle
from counselor.web.app import create_app
from counselor.web.fairness import TurnsPerAddress
from counselor.web.sockets import client_subprotocols
from tests.backends import REDIS, redis_prefix

pytestmark = pytest.mark.timeout(120)


def _replicas(make_deps: Callable[..., Deps], indexed_settings: Any, web: WebSettings) -> tuple[Deps, Deps]:
    """Two Deps over one database and one Redis (a key prefix of the test's own), as two `counselor serve`
    processes of one deployment would be."""
    prefix = redis_prefix()
    settings = indexed_settings.model_copy(update={"web": web, "broker_url": REDIS, "broker_prefix": prefix})
    return make_deps(settings), make_deps(settings)


def test_two_replicas_sharing_redis_share_the_login_count(
    make_deps: Callable[..., Deps], indexed_settings: Any
) -> None:
    a, b = _replicas(make_deps, indexed_settings, WebSettings(login_per_name="4 per minute"))
    a.store.accounts.add("lee", "lee-long-passphrase")
    with TestClient(create_app(a.settings, a)) as on_a, TestClient(create_app(b.settings, b)) as on_b:
        try:
            codes = [
                replica.post("/api/counselor/login", json={"name": "lee", "password": f"guess-{n}"}).status_code
                for n, replica in enumerate([on_a, on_b] * 3)
            ]
        finally:
            on_a.portal.call(a.throttle.reset)  # type: ignore[union-attr]
    # Four tries a minute in all, not four on each replica: the fifth, on A, is refused by what B counted.
    assert codes == [401, 401, 401, 401, 429, 429]


def test_two_replicas_sharing_redis_share_the_socket_count(
    make_deps: Callable[..., Deps], indexed_settings: Any
) -> None:
    a, b = _replicas(make_deps, indexed_settings, WebSettings(connect_per_address="3 per minute"))
    outcomes = []
    with TestClient(create_app(a.settings, a)) as on_a, TestClient(create_app(b.settings, b)) as on_b:
        try:
            for replica in [on_a, on_b] * 3:
                try:
                    with replica.websocket_connect("/ws/chat", subprotocols=client_subprotocols(None)) as ws:
                        outcomes.append(ws.receive_json()["type"])
                except WebSocketDisconnect:
                    outcomes.append("refused")
        finally:
            on_a.portal.call(a.throttle.reset)  # type: ignore[union-attr]
    assert outcomes == ["session", "session", "session", "refused", "refused", "refused"]


def test_an_unreachable_redis_lets_attempts_through() -> None:
    """coredis raised its own ConnectionError, which is no builtin ConnectionError: every login and every
    citizen's socket failed with a 500 while Redis restarted."""
    throttle = Throttle("redis://127.0.0.1:9/0")  # the discard port: nothing listens there

    async def tries() -> list[bool]:
        return [await throttle.hit("1 per minute", "login-name", "lee") for _ in range(3)]

    assert asyncio.run(tries()) == [True, True, True]


def test_argon2_runs_at_a_lower_cpu_priority_than_the_chat(
    client_deps: tuple[TestClient, Deps], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A login flood verified back to back at the chat's priority and took the cores from citizens' answers
    (median 52 -> 650 ms); verification now gets a small share of the CPU the chat wants."""
    client, deps = client_deps
    deps.store.accounts.add("lee", "lee-long-passphrase")
    seen: list[int] = []
    login = deps.store.accounts.login

    def watched(name: str, password: str) -> Any:
        seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
        return login(name, password)

    monkeypatch.setattr(deps.store.accounts, "login", watched)
    right = client.post("/api/counselor/login", json={"name": "lee", "password": "lee-long-passphrase"})
    wrong = client.post("/api/counselor/login", json={"name": "lee", "password": "not-it-at-all"})
    assert (right.status_code, wrong.status_code) == (200, 401)
    chat = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    assert seen == [deps.settings.web.login_nice] * 2 and chat < deps.settings.web.login_nice


def test_logins_beyond_those_allowed_to_wait_are_refused_at_once(
    make_deps: Callable[..., Deps], indexed_settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A flood from many addresses (each under its own limit) piled requests up behind the one hashing
    thread; past ``login_waiting`` they are answered 503 without waiting."""
    web = WebSettings(login_concurrency=1, login_waiting=1, login_per_address="100 per minute")
    deps = make_deps(indexed_settings.model_copy(update={"web": web}))

    def slow(name: str, password: str) -> Any:
        time.sleep(0.5)
        raise AccountError("wrong name or password")

    monkeypatch.setattr(deps.store.accounts, "login", slow)
    app = create_app(deps.settings, deps)

    async def four() -> list[int]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            calls = [client.post("/api/counselor/login", json={"name": f"n{n}", "password": "x"}) for n in range(4)]
            return sorted(r.status_code for r in await asyncio.gather(*calls))

    assert asyncio.run(four()) == [401, 401, 503, 503]


@pytest.fixture
def client_deps(make_deps: Callable[..., Deps]) -> Iterator[tuple[TestClient, Deps]]:
    deps = make_deps()
    with TestClient(create_app(deps.settings, deps)) as client:
        yield client, deps


def test_one_addresss_turns_wait_for_each_other_not_for_everyone(
    make_deps: Callable[..., Deps], indexed_settings: Any
) -> None:
    """A flood's sockets each sent one message and left at the ack: its 30 turns of the minute ran at once
    and every citizen's answer waited behind them. At most ``turns_per_address`` run at once now."""
    web = WebSettings(turns_per_address=1)
    deps = make_deps(indexed_settings.model_copy(update={"web": web}))
    real, running, peak = deps.chat.handle, [0], [0]

    async def watched(conversation_id: str, frame: Any, send: Any) -> Any:
        running[0] += 1
        peak[0] = max(peak[0], running[0])
        try:
            await asyncio.sleep(0.3)
            return await real(conversation_id, frame, send)
        finally:
            running[0] -= 1

    deps.chat.handle = watched  # type: ignore[method-assign]
    app = create_app(deps.settings, deps)
    with (
        TestClient(app) as client,
        client.websocket_connect("/ws/chat") as one,
        client.websocket_connect("/ws/chat") as two,
    ):
        for ws in (one, two):
            ws.receive_json()
            ws.send_json({"type": "message", "text": "기초연금 얼마예요?"})
        for ws in (one, two):
            while ws.receive_json()["type"] != "answer":
                pass
    assert peak == [1]


def test_an_addresss_gate_is_forgotten_when_its_turns_end() -> None:
    turns = TurnsPerAddress(2)
    running, peak = [0], [0]

    async def one() -> None:
        async with turns.turn("10.0.0.1"):
            running[0] += 1
            peak[0] = max(peak[0], running[0])
            await asyncio.sleep(0.05)
            running[0] -= 1

    async def five() -> int:
        await asyncio.gather(*(one() for _ in range(5)))
        return turns.waiting("10.0.0.1")

    assert asyncio.run(five()) == 0 and peak == [2]
