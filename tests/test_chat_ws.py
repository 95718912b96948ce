"""``/ws/chat`` in process: the conversation, resume, escalation and tickets, and every kind of bad input."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from starlette.testclient import WebSocketTestSession

from counselor.deps import Deps
from counselor.settings import ChatSettings, Settings
from counselor.web.app import create_app
from counselor.web.sockets import client_subprotocols


@pytest.fixture
def deps(make_deps: Callable[..., Deps]) -> Deps:
    return make_deps()


@pytest.fixture
def client(deps: Deps) -> Iterator[TestClient]:
    with TestClient(create_app(deps.settings, deps)) as client:
        yield client


def until_answer(ws: WebSocketTestSession) -> list[dict[str, Any]]:
    frames = []
    while True:
        frame = ws.receive_json()
        frames.append(frame)
        if frame["type"] in ("answer", "error"):
            return frames


def ask(ws: WebSocketTestSession, text: str, **extra: object) -> tuple[dict[str, Any], dict[str, Any]]:
    ws.send_json({"type": "message", "text": text, **extra})
    frames = until_answer(ws)
    return frames[0], frames[-1]


def test_readiness_names_the_answerer_and_database(client: TestClient) -> None:
    ready = client.get("/readyz").json()
    assert ready["answerer"] == "extractive" and ready["database"] == "sqlite"


def test_a_conversation_with_a_follow_up(client: TestClient) -> None:
    with client.websocket_connect("/ws/chat") as ws:
        session = ws.receive_json()
        assert session["type"] == "session" and session["token"] and not session["resumed"]
        ack, answer = ask(ws, "기초연금은 얼마나 받아요?", client_id="c1")
        assert ack == {
            "type": "ack",
            "message_id": ack["message_id"],
            "client_id": "c1",
            "text": "기초연금은 얼마나 받아요?",
            "masked": [],
            "duplicate": False,
        }
        assert answer["status"] == "answered" and answer["reply_to"] == ack["message_id"]
        assert answer["citations"][0]["policy_id"] == "nat-pension" and "33만 4,810원" in answer["text"]
        assert set(answer["citations"][0]) == {"number", "policy_id", "title", "section", "source", "url"}
        _, follow_up = ask(ws, "그럼 신청은 어디서 해요?")
        assert follow_up["citations"][0]["policy_id"] == "nat-pension" and "주민센터" in follow_up["text"]


def test_resume_replays_what_the_client_missed(client: TestClient) -> None:
    with client.websocket_connect("/ws/chat") as ws:
        session = ws.receive_json()
        _, first = ask(ws, "기초연금 얼마예요?")
        second_ack, second = ask(ws, "아동수당 얼마예요?")
    with client.websocket_connect(
        f"/ws/chat?after={first['message_id']}", subprotocols=client_subprotocols(session["token"])
    ) as ws:
        resumed = ws.receive_json()
        assert resumed["resumed"] and resumed["session_id"] == session["session_id"]
        assert resumed["last_message_id"] == second["message_id"]
        assert [ws.receive_json()["message_id"] for _ in range(2)] == [second_ack["message_id"], second["message_id"]]
        _, third = ask(ws, "그럼 대상은 누구예요?")
        assert third["citations"][0]["policy_id"] == "nat-child"  # the conversation's history came back too
    with client.websocket_connect("/ws/chat", subprotocols=client_subprotocols("not-a-token")) as ws:
        assert ws.receive_json()["code"] == "bad_token"


def test_a_retried_message_is_not_answered_twice(client: TestClient, deps: Deps) -> None:
    with client.websocket_connect("/ws/chat") as ws:
        session = ws.receive_json()
        _, answer = ask(ws, "기초연금 얼마예요?", client_id="retry-1")
        ack, again = ask(ws, "기초연금 얼마예요?", client_id="retry-1")
        assert ack["duplicate"] and again == answer
    assert len(deps.store.messages_after(session["session_id"])) == 2


def test_crisis_answers_with_hotlines_and_a_top_priority_ticket(client: TestClient, deps: Deps) -> None:
    with client.websocket_connect("/ws/chat") as ws:
        ws.receive_json()
        ask(ws, "상담원 연결해 주세요")
    with client.websocket_connect("/ws/chat") as ws:
        crisis_session = ws.receive_json()
        _, answer = ask(ws, "남편한테 맞았어요. 너무 무서워요")
        assert answer["status"] == "crisis" and "1366" in answer["text"] and "112" in answer["text"]
        assert answer["queue_position"] == 1  # ahead of the earlier, ordinary ticket
    queue = deps.store.tickets.queue()
    assert [t.reason for t in queue] == ["crisis", "person_requested"]
    assert queue[0].conversation_id == crisis_session["session_id"] and queue[0].detail == "violence_abuse"


def test_while_a_ticket_waits_the_bot_only_says_so(client: TestClient, deps: Deps) -> None:
    with client.websocket_connect("/ws/chat") as ws:
        ws.receive_json()
        _, escalated = ask(ws, "Can I talk to a real person?")
        assert escalated["status"] == "escalated" and escalated["reason"] == "person_requested"
        assert escalated["queue_position"] == 1 and "number 1 in the queue" in escalated["text"]
        _, waiting = ask(ws, "기초연금 얼마예요?")
        assert waiting["status"] == "escalated" and not waiting["citations"] and "저장" in waiting["text"]
        ticket = deps.store.tickets.queue()[0]
        deps.store.tickets.close_any(ticket.id, "returned")
        _, back = ask(ws, "기초연금 얼마예요?")
        assert back["status"] == "answered"


def test_low_confidence_writes_a_ticket_with_a_brief(
    make_deps: Callable[..., Deps], indexed_settings: Settings
) -> None:
    chat = ChatSettings(confidence_threshold=0.999, answer_floor=0.999)
    strict = make_deps(indexed_settings.model_copy(update={"chat": chat}))
    with TestClient(create_app(strict.settings, strict)) as client, client.websocket_connect("/ws/chat") as ws:
        ws.receive_json()
        # Not the program's name, which is answered from that program however weak the search.
        _, asked = ask(ws, "어르신 연금 신청")  # one clarifying question first
        _, answer = ask(ws, "어르신 연금 신청")
    assert asked["status"] == "needs_more_info" and "기초연금제도" in asked["text"]
    assert answer["status"] == "escalated" and answer["reason"] == "low_confidence"
    ticket = strict.store.tickets.queue()[0]
    assert ticket.brief["question"] == "어르신 연금 신청"
    assert ticket.brief["candidates"][0]["policy_id"] == "nat-pension"


def test_identifiers_never_reach_the_database(client: TestClient, deps: Deps) -> None:
    with client.websocket_connect("/ws/chat") as ws:
        ws.receive_json()
        ack, answer = ask(ws, "제 번호 010-2345-6789, 주민번호 900101-1234567 인데 기초연금 신청 방법 알려주세요")
        assert ack["masked"] == ["rrn", "phone"] and "6789" not in ack["text"] and "가려서" in answer["text"]
    with deps.store.engine.connect() as db:
        rows = [
            json.dumps(list(r), ensure_ascii=False, default=str)
            for t in ("messages", "turns", "tickets")
            for r in db.execute(text(f"SELECT * FROM {t}"))
        ]
    assert rows and not any("6789" in r or "1234567" in r for r in rows)


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("this is not json", "bad_json"),
        ("[1, 2]", "bad_frame"),
        ('{"type": "shout", "text": "hi"}', "bad_frame"),
        ('{"type": "message"}', "bad_frame"),
        ('{"type": "message", "text": "hi", "extra": 1}', "bad_frame"),
        ('{"type": "message", "text": "   "}', "empty"),
        (json.dumps({"type": "message", "text": "가" * 2001}), "too_long"),
        ("x" * 20000, "too_long"),
    ],
)
def test_bad_frames_get_an_error_and_the_connection_stays_usable(
    client: TestClient, deps: Deps, frame: str, code: str
) -> None:
    with client.websocket_connect("/ws/chat") as ws:
        session = ws.receive_json()
        ws.send_text(frame)
        error = ws.receive_json()
        assert error["type"] == "error" and error["code"] == code and error["message"]
        assert "Traceback" not in error["message"]
        _, answer = ask(ws, "기초연금 얼마예요?")
        assert answer["status"] == "answered"
    assert len(deps.store.messages_after(session["session_id"])) == 2  # nothing half-stored


def test_binary_frames_and_ping(client: TestClient) -> None:
    with client.websocket_connect("/ws/chat") as ws:
        ws.receive_json()
        ws.send_bytes(b"\x00\x01")
        assert ws.receive_json()["code"] == "bad_frame"
        ws.send_json({"type": "ping"})
        assert ws.receive_json() == {"type": "pong"}


def test_more_than_ten_messages_in_ten_seconds_are_refused(client: TestClient, deps: Deps) -> None:
    with client.websocket_connect("/ws/chat") as ws:
        session = ws.receive_json()
        for n in range(10):
            ask(ws, f"기초연금 질문 {n}")
        ws.send_json({"type": "message", "text": "기초연금 또 질문"})
        assert ws.receive_json()["code"] == "rate_limited"
        ws.send_json({"type": "ping"})
        assert ws.receive_json() == {"type": "pong"}
    assert len(deps.store.messages_after(session["session_id"])) == 20


def test_the_profile_is_remembered_asked_for_once_shown_corrected_and_erased(client: TestClient, deps: Deps) -> None:
    with client.websocket_connect("/ws/chat") as ws:
        session = ws.receive_json()
        conversation = session["session_id"]
        ws.send_json({"type": "message", "text": "저는 67살이고 혼자 살아요. 기초연금 받을 수 있나요?"})
        frames = until_answer(ws)
        answer = frames[-1]
        assert answer["status"] == "answered" and answer["citations"][0]["policy_id"] == "nat-pension"
        pension = answer["eligibility"][0]
        assert pension["policy_id"] == "nat-pension" and not pension["discovered"]
        assert pension["verdict"] == "likely"  # age met; income open is for the office to settle
        assert {c["fact"]: c["outcome"] for c in pension["criteria"]} == {"age": "met", "income": "unknown"}
        assert answer["asks"] == "income" and "소득" in answer["text"]
        profile = ws.receive_json()
        assert profile["type"] == "profile" and profile["facts"]["age"] == 67 and profile["facts"]["lives_alone"]
        # The answer to the bot's question is a statement, read as a follow-up on the same policy.
        ws.send_json({"type": "message", "text": "월 150만원 벌어요"})
        answer = until_answer(ws)[-1]
        assert answer["citations"][0]["policy_id"] == "nat-pension" and answer["asks"] is None
        profile = ws.receive_json()
        assert "monthly_income" not in profile["facts"] and profile["facts"]["income_band"]  # kept as a band
        # Seeing, correcting and removing facts.
        ws.send_json({"type": "profile", "action": "get"})
        assert ws.receive_json()["facts"]["age"] == 67
        ws.send_json({"type": "profile", "action": "set", "facts": {"age": 68}})
        assert ws.receive_json()["facts"]["age"] == 68
        ws.send_json({"type": "profile", "action": "set", "facts": {"age": -3}})
        error = ws.receive_json()
        assert error["type"] == "error" and error["code"] == "bad_frame" and "age" in error["message"]
        ws.send_json({"type": "profile", "action": "set", "facts": {"shoe_size": 270}})
        assert "shoe_size" in ws.receive_json()["message"]
        ws.send_json({"type": "profile", "action": "remove", "names": ["lives_alone"]})
        assert "lives_alone" not in ws.receive_json()["facts"]
        assert deps.store.profile(conversation) is not None
        ws.send_json({"type": "profile", "action": "erase"})
        assert ws.receive_json() == {"type": "profile", "facts": {}, "erased": True}
    assert deps.store.profile(conversation) is None
    with deps.store.engine.connect() as db:
        assert db.execute(text("SELECT COUNT(*) FROM profiles")).scalar() == 0


def test_discovery_names_policies_the_citizen_did_not_ask_about(client: TestClient) -> None:
    with client.websocket_connect("/ws/chat") as ws:
        ws.receive_json()
        ws.send_json({"type": "message", "text": "7살 아들 키우는데 기초연금은 얼마예요?"})
        answer = until_answer(ws)[-1]
        found = [e for e in answer["eligibility"] if e["discovered"]]
        assert [e["policy_id"] for e in found] == ["nat-child"] and found[0]["verdict"] == "eligible"
        assert found[0]["criteria"] == [{"fact": "child_age", "outcome": "met", "source": "만 8세 미만 모든 아동"}]
        assert "아동수당" in answer["text"]
