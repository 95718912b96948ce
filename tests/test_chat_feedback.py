"""Citizens' feedback (issue 20): 도움이 됐어요 / 아니에요 with an optional reason on a bot answer, one
satisfaction question after a chat with a caseworker, stored with what they rate, replayed on resume, and
read by ``counselor eval feedback``."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession
from typer.testing import CliRunner

from counselor.cli.main import app as cli
from counselor.deps import Deps
from counselor.web.app import create_app
from counselor.web.sockets import client_subprotocols

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def deps(make_deps: Callable[..., Deps]) -> Deps:
    deps = make_deps()
    deps.store.accounts.add("lee", "lee-long-passphrase")
    return deps


@pytest.fixture
def client(deps: Deps) -> Iterator[TestClient]:
    with TestClient(create_app(deps.settings, deps)) as client:
        yield client


def until(ws: WebSocketTestSession, kind: str) -> dict[str, Any]:
    while True:
        frame = ws.receive_json()
        if frame["type"] in (kind, "error"):
            return frame


def ask(ws: WebSocketTestSession, text: str) -> dict[str, Any]:
    ws.send_json({"type": "message", "text": text})
    return until(ws, "answer")


def test_a_citizen_rates_answers_and_the_report_reads_them(client: TestClient, deps: Deps) -> None:
    with client.websocket_connect("/ws/chat") as ws:
        session = until(ws, "session")
        ws.send_json({"type": "feedback", "message_id": "x", "helpful": True})
        assert until(ws, "feedback_saved")["code"] == "bad_frame"  # nothing stored yet: nothing to rate
        pension = ask(ws, "기초연금은 얼마나 받아요?")
        child = ask(ws, "아동수당은 얼마예요?")
        assert pension["status"] == child["status"] == "answered"
        ws.send_json({"type": "feedback", "message_id": pension["message_id"], "helpful": True})
        assert until(ws, "feedback_saved") == {
            "type": "feedback_saved",
            "message_id": pension["message_id"],
            "helpful": True,
            "reason": None,
            "rating": None,
        }
        ws.send_json(
            {"type": "feedback", "message_id": child["message_id"], "helpful": False, "reason": "hard_to_read"}
        )
        assert until(ws, "feedback_saved")["reason"] == "hard_to_read"
        for bad in (
            {"type": "feedback", "message_id": child["reply_to"], "helpful": True},  # the citizen's own message
            {"type": "feedback", "message_id": child["message_id"], "helpful": False, "reason": "boring"},
            {"type": "feedback", "message_id": child["message_id"]},
            {"type": "satisfaction", "message_id": child["message_id"], "rating": 5},  # not a human chat's end
            {"type": "satisfaction", "message_id": child["message_id"], "rating": 6},
        ):
            ws.send_json(bad)
            error = until(ws, "error")
            assert error["type"] == "error" and error["code"] == "bad_frame", (bad, error)
    # A resumed page is told what was rated, to show it as given.
    with client.websocket_connect("/ws/chat", subprotocols=client_subprotocols(session["token"])) as again:
        assert again.receive_json()["type"] == "session"
        again.send_json({"type": "ping"})
        frames = []
        while (frame := again.receive_json())["type"] != "pong":
            frames.append(frame)
    kinds = [f["type"] for f in frames]
    assert kinds == ["ack", "answer", "ack", "answer", "feedback_saved", "feedback_saved"]  # the replay, then these
    assert [(f["message_id"], f["helpful"]) for f in frames[-2:]] == [
        (pension["message_id"], True),
        (child["message_id"], False),
    ]
    result = CliRunner().invoke(cli, ["eval", "feedback", "--database", deps.settings.database, "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["answers"] == {"n": 2, "helpful": 1, "share_helpful": 0.5}
    assert report["by_policy"]["아동수당"]["share_helpful"] == 0.0
    assert report["by_policy"]["기초연금제도"]["helpful"] == 1
    assert list(report["by_policy"]) == ["아동수당", "기초연금제도"]  # the worst first
    assert report["by_status"] == {"answered": {"n": 2, "helpful": 1, "share_helpful": 0.5}}
    assert report["by_language"]["ko"]["n"] == 2 and report["reasons"] == {"hard_to_read": 1}
    [worst] = report["worst"]
    assert worst["question"] == "아동수당은 얼마예요?" and worst["policy"] == "아동수당"
    table = CliRunner().invoke(cli, ["eval", "feedback", "--database", deps.settings.database])
    assert table.exit_code == 0 and "아동수당" in table.output and "Worst-rated" in table.output


def test_one_satisfaction_question_after_a_chat_with_a_caseworker(client: TestClient, deps: Deps) -> None:
    token = client.post("/api/counselor/login", json={"name": "lee", "password": "lee-long-passphrase"}).json()
    lee = {"Authorization": f"Bearer {token['token']}"}
    with client.websocket_connect("/ws/chat") as ws:
        until(ws, "session")
        ask(ws, "상담원 연결해 주세요")
        [card] = client.get("/api/tickets", headers=lee).json()
        ticket = card["ticket"]["id"]
        client.post(f"/api/tickets/{ticket}/claim", headers=lee)
        joined = until(ws, "counselor_joined")
        ws.send_json({"type": "satisfaction", "message_id": joined["message_id"], "rating": 5})
        assert until(ws, "feedback_saved")["code"] == "bad_frame"  # the chat has not ended
        client.post(f"/api/tickets/{ticket}/resolve", headers=lee, json={"outcome": "informed"})
        ended = until(ws, "resolved")
        ws.send_json({"type": "satisfaction", "message_id": ended["message_id"], "rating": 2})
        ws.send_json({"type": "satisfaction", "message_id": ended["message_id"], "rating": 4})  # changed mind
        until(ws, "feedback_saved")
        assert until(ws, "feedback_saved")["rating"] == 4
    [chat] = deps.store.feedback.rated_chats()
    assert (chat.rating, chat.counselor, chat.ticket_id) == (4, "lee", ticket)
    result = CliRunner().invoke(cli, ["eval", "feedback", "--database", deps.settings.database, "--json"])
    satisfaction = json.loads(result.output)["satisfaction"]
    assert (
        satisfaction["n"] == 1 and satisfaction["mean"] == 4.0 and satisfaction["by_counselor"]["lee"]["helpful"] == 1
    )
