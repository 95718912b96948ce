"""The console a caseworker team works from (issue 20), in process: queue rows that say what each ticket is,
the case brief, private notes that never reach the citizen (every frame the citizen's socket receives is
scanned), ready replies, transfers, the audit log, the supervisors' overdue-crisis alert, the dashboard's
figures and the CSV export. The pages themselves are driven in tests/test_browser_console.py."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession
from starlette.websockets import WebSocketDisconnect

from counselor.deps import Deps
from counselor.errors import ConfigError
from counselor.settings import QueueSettings
from counselor.web.app import create_app

pytestmark = pytest.mark.timeout(120)
PASSWORDS = {"lee": "lee-long-passphrase", "park": "park-long-passphrase", "boss": "boss-long-passphrase"}
NOTE = "어머니와 통화해 보니 집세가 3개월 밀렸다고 함 — 긴급복지 검토"


@pytest.fixture
def deps(make_deps: Callable[..., Deps], indexed_settings: Any) -> Deps:
    queue = QueueSettings(session_check_s=30, crisis_realert_minutes=0.002, overdue_check_s=0.1)
    deps = make_deps(indexed_settings.model_copy(update={"queue": queue}))
    for name, password in PASSWORDS.items():
        deps.store.accounts.add(name, password, "supervisor" if name == "boss" else "counselor")
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


class Citizen:
    """The citizen's socket, keeping every frame it ever received (to scan them all)."""

    def __init__(self, ws: WebSocketTestSession) -> None:
        self.ws = ws
        self.frames: list[dict[str, Any]] = []

    def until(self, kind: str) -> dict[str, Any]:
        while True:
            frame = self.ws.receive_json()
            self.frames.append(frame)
            if frame["type"] == kind:
                return frame

    def say(self, text: str) -> dict[str, Any]:
        self.ws.send_json({"type": "message", "text": text})
        return self.until("answer")


def until(ws: WebSocketTestSession, kind: str) -> dict[str, Any]:
    while True:
        frame = ws.receive_json()
        if frame["type"] == kind:
            return frame


def drain(ws: WebSocketTestSession) -> list[dict[str, Any]]:
    time.sleep(0.3)
    ws.send_json({"type": "ping"})
    frames = []
    while (frame := ws.receive_json())["type"] != "pong":
        frames.append(frame)
    return frames


def test_a_queue_row_says_what_the_ticket_is(client: TestClient) -> None:
    lee = token_of(client, "lee")
    with client.websocket_connect("/ws/chat?region=전라남도 광양시") as ws, console(client, lee) as screen:
        citizen = Citizen(ws)
        citizen.until("session")
        assert citizen.say("남편이 매일 때려요. 무서워요.\n제 번호는 010-2233-4455예요")["status"] == "crisis"
        card = until(screen, "ticket")
    assert (card["kind"], card["kind_label"]) == ("violence_abuse", "폭력·학대")
    assert card["preview"] == "남편이 매일 때려요. 무서워요." and "2233" not in str(card)
    assert (card["region"], card["language"]) == ("전라남도 광양시", "ko")
    [listed] = client.get("/api/tickets", headers=bearer(lee)).json()
    assert listed["kind_label"] == "폭력·학대" and listed["ticket"]["priority"] == 0


def test_the_brief_shows_candidates_stated_facts_and_verdicts(client: TestClient) -> None:
    lee = token_of(client, "lee")
    with client.websocket_connect("/ws/chat") as ws:
        citizen = Citizen(ws)
        citizen.until("session")
        assert citizen.say("저는 67살이고 혼자 살아요. 기초연금 받을 수 있나요?")["status"] == "answered"
        assert citizen.say("상담원 연결해 주세요")["status"] == "escalated"
    [card] = client.get("/api/tickets", headers=bearer(lee)).json()
    case = client.get(f"/api/tickets/{card['ticket']['id']}", headers=bearer(lee)).json()
    brief = case["brief"]
    pension = next(c for c in brief["candidates"] if c["policy_id"] == "nat-pension")
    assert pension["url"] == "/policies/nat-pension" and pension["title"] == "기초연금제도"
    age = next(f for f in brief["facts"] if f["name"] == "age")
    assert (age["label"], age["value"]) == ("나이", "67") and age["words"].endswith("67")
    verdict = next(v for v in brief["eligibility"] if v["policy_id"] == "nat-pension")
    assert verdict["verdict"] in ("likely", "unknown") and {c["fact"] for c in verdict["criteria"]} >= {"age"}


def test_a_crisis_with_nothing_retrieved_gets_candidates_searched_from_the_citizens_words(client: TestClient) -> None:
    lee = token_of(client, "lee")
    with client.websocket_connect("/ws/chat") as ws:
        citizen = Citizen(ws)
        citizen.until("session")
        citizen.say("기초연금 상담원 연결해 주세요")
    [card] = client.get("/api/tickets", headers=bearer(lee)).json()
    case = client.get(f"/api/tickets/{card['ticket']['id']}", headers=bearer(lee)).json()
    assert card["ticket"]["brief"]["candidates"] == []  # the turn ended before retrieval
    assert "nat-pension" in [c["policy_id"] for c in case["brief"]["candidates"] if c["why"] == "searched"]


def test_a_note_reaches_every_caseworker_and_never_the_citizen(client: TestClient) -> None:
    lee, park, boss = token_of(client, "lee"), token_of(client, "park"), token_of(client, "boss")
    with (
        client.websocket_connect("/ws/chat") as ws,
        console(client, lee) as a,
        console(client, boss) as b,
    ):
        citizen = Citizen(ws)
        session = citizen.until("session")
        citizen.say("상담원 연결해 주세요")
        ticket = until(a, "ticket")["ticket"]["id"]
        a.send_json({"type": "claim", "ticket_id": ticket})
        until(a, "case")
        b.send_json({"type": "open", "ticket_id": ticket})
        until(b, "case")
        a.send_json({"type": "note", "ticket_id": ticket, "text": NOTE})
        assert until(a, "noted")["note"]["text"] == NOTE
        assert until(b, "case_note")["note"] == {**until(a, "case_note")["note"]}
        a.send_json({"type": "send", "ticket_id": ticket, "text": "안녕하세요, 이 상담사입니다."})
        citizen.until("counselor_message")
        a.send_json({"type": "transfer", "ticket_id": ticket, "to": "park", "note": "서류는 " + NOTE})
        assert until(a, "transferred") == {"type": "transferred", "ticket_id": ticket, "to": "park"}
        joined = citizen.until("counselor_joined")
        assert joined["counselor"] == "park"
        citizen.ws.send_json({"type": "message", "text": "네 알겠습니다"})
        citizen.until("ack")
        # park opens the case handed to them and reads both notes.
        case = client.get(f"/api/tickets/{ticket}", headers=bearer(park)).json()
        assert [n["text"] for n in case["notes"]] == [NOTE, "서류는 " + NOTE]
        assert [n["kind"] for n in case["notes"]] == ["note", "transfer"]
        assert client.get(f"/api/tickets/{ticket}", headers=bearer(lee)).status_code == 404  # no longer lee's
        assert (
            client.post(f"/api/tickets/{ticket}/resolve", headers=bearer(park), json={"outcome": "referred"}).json()[
                "ticket"
            ]["outcome"]
            == "referred"
        )
        citizen.until("resolved")
    # A resumed citizen replays the whole conversation: the note is in none of it either.
    with client.websocket_connect("/ws/chat", subprotocols=["counselor", f"token.{session['token']}"]) as again:
        replay = Citizen(again)
        replay.until("session")
        replay.ws.send_json({"type": "ping"})
        replay.until("pong")
    frames = citizen.frames + replay.frames
    assert len(frames) > 10
    assert all("어머니와 통화" not in str(f) and "case_note" not in str(f) for f in frames)


def test_transfer_back_to_the_queue_and_its_refusals(client: TestClient) -> None:
    lee, park = token_of(client, "lee"), token_of(client, "park")
    with client.websocket_connect("/ws/chat") as ws:
        citizen = Citizen(ws)
        citizen.until("session")
        citizen.say("상담원 연결해 주세요")
        [card] = client.get("/api/tickets", headers=bearer(lee)).json()
        ticket = card["ticket"]["id"]
        assert client.post(f"/api/tickets/{ticket}/transfer", headers=bearer(lee), json={}).status_code == 409
        client.post(f"/api/tickets/{ticket}/claim", headers=bearer(lee))
        citizen.until("counselor_joined")
        for body, status in (({"to": "nobody"}, 404), ({"to": "lee"}, 422), ({"to": "x" * 81}, 422)):
            assert client.post(f"/api/tickets/{ticket}/transfer", headers=bearer(lee), json=body).status_code == status
        moved = client.post(f"/api/tickets/{ticket}/transfer", headers=bearer(lee), json={"note": "저녁에 다시 연락"})
        assert moved.status_code == 200 and moved.json()["ticket"]["state"] == "waiting"
        assert citizen.until("requeued")["counselor"] == "lee"
        assert client.post(f"/api/tickets/{ticket}/claim", headers=bearer(park)).status_code == 200
    colleagues = {c["name"]: c for c in client.get("/api/counselors", headers=bearer(lee)).json()}
    assert colleagues["park"]["holding"] == 1 and colleagues["lee"]["holding"] == 0


def test_ready_replies_are_filled_in_for_the_case_and_sent_with_their_links(client: TestClient) -> None:
    lee = token_of(client, "lee")
    with client.websocket_connect("/ws/chat?region=전라남도 광양시") as ws:
        citizen = Citizen(ws)
        citizen.until("session")
        citizen.say("기초연금 받을 수 있나요?")
        citizen.say("상담원 연결해 주세요")
        [card] = client.get("/api/tickets", headers=bearer(lee)).json()
        ticket = card["ticket"]["id"]
        client.post(f"/api/tickets/{ticket}/claim", headers=bearer(lee))
        replies = {r["id"]: r for r in client.get(f"/api/tickets/{ticket}/replies", headers=bearer(lee)).json()}
        assert {"greeting", "policy_info", "emergency_support", "closing"} <= set(replies)
        assert "상담사 lee입니다" in replies["greeting"]["text"] and all("{" not in r["text"] for r in replies.values())
        info = replies["policy_info"]
        assert "'기초연금제도'" in info["text"] and "전라남도 광양시 읍면동" in info["text"]
        assert info["links"] == [{"policy_id": "nat-pension", "title": "기초연금제도"}]
        sent = client.post(
            f"/api/tickets/{ticket}/messages",
            headers=bearer(lee),
            json={"text": info["text"], "template": "policy_info", "policies": ["nat-pension"]},
        )
        assert sent.status_code == 200
        message = citizen.until("counselor_message")
        assert message["links"] == [{"policy_id": "nat-pension", "title": "기초연금제도"}]
        bad = {"text": "x", "policies": ["no-such-policy"]}
        assert client.post(f"/api/tickets/{ticket}/messages", headers=bearer(lee), json=bad).status_code == 422
    english = client.get(f"/api/tickets/{ticket}/replies", headers=bearer(lee)).json()
    assert all(r["language"] == "ko" for r in english)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("id: broken\nversion: 1\ntitle: {ko: 가, en: a}\ntext: {ko: '{nickname} 님', en: '{nickname}'}\n", "nickname"),
        ("id: other_name\nversion: 1\ntitle: {ko: 가, en: a}\ntext: {ko: 가, en: a}\n", "file name"),
        ("id: broken\nversion: 1\ntitle: {ko: 가, en: a}\ntext: {ko: '{counselor}', en: hi}\n", "different"),
        ("id: broken\nversion: 1\ntitle: {ko: 가}\ntext: {ko: 가, en: a}\n", "en"),
    ],
)
def test_a_broken_ready_reply_stops_the_start_naming_its_file(
    make_deps: Callable[..., Deps], indexed_settings: Any, tmp_path: Path, text: str, problem: str
) -> None:
    prompts = tmp_path / "prompts"
    shutil_copy_prompts(prompts)
    (prompts / "ready_replies" / "broken.yaml").write_text(text, encoding="utf-8")
    deps = make_deps(indexed_settings.model_copy(update={"prompts_dir": prompts}))
    with pytest.raises(ConfigError, match=r"broken\.yaml") as raised:
        create_app(deps.settings, deps)
    assert problem in str(raised.value)


def shutil_copy_prompts(target: Path) -> None:
    import shutil

    shutil.copytree(Path(__file__).resolve().parent.parent / "prompts", target)


def test_the_audit_log_records_every_action_and_is_for_supervisors(client: TestClient) -> None:
    lee, boss = token_of(client, "lee"), token_of(client, "boss")
    with client.websocket_connect("/ws/chat") as ws:
        citizen = Citizen(ws)
        citizen.until("session")
        citizen.say("상담원 연결해 주세요")
    [card] = client.get("/api/tickets", headers=bearer(lee)).json()
    ticket = card["ticket"]["id"]
    client.get(f"/api/tickets/{ticket}", headers=bearer(lee))
    client.post(f"/api/tickets/{ticket}/claim", headers=bearer(lee))
    client.post(f"/api/tickets/{ticket}/notes", headers=bearer(lee), json={"text": NOTE})
    client.post(f"/api/tickets/{ticket}/messages", headers=bearer(lee), json={"text": "안녕하세요"})
    client.post(f"/api/tickets/{ticket}/resolve", headers=bearer(lee), json={"outcome": "informed", "tags": ["a"]})
    assert client.get("/api/audit", headers=bearer(lee)).status_code == 403
    entries = client.get(f"/api/audit?ticket_id={ticket}", headers=bearer(boss)).json()
    assert [(e["actor"], e["action"]) for e in reversed(entries)] == [
        ("lee", "open"),
        ("lee", "claim"),
        ("lee", "note"),
        ("lee", "send"),
        ("lee", "resolve"),
    ]
    assert entries[0]["detail"] == {"outcome": "informed", "tags": ["a"]} and NOTE not in str(entries)
    everything = client.get("/api/audit?actor=lee", headers=bearer(boss)).json()
    assert everything[-1]["action"] == "login"
    assert client.get("/api/audit?actor=boss", headers=bearer(boss)).json()[0]["action"] == "read_audit"


def test_an_unclaimed_crisis_alerts_the_supervisors_again(client: TestClient) -> None:
    lee, boss = token_of(client, "lee"), token_of(client, "boss")
    with (
        client.websocket_connect("/ws/chat") as ws,
        console(client, lee) as a,
        console(client, boss) as b,
    ):
        citizen = Citizen(ws)
        citizen.until("session")
        assert citizen.say("죽고 싶어요")["status"] == "crisis"
        ticket = until(b, "ticket")["ticket"]["id"]
        overdue = until(b, "crisis_overdue")  # crisis_realert_minutes is 0.12 s here
        assert overdue["ticket"]["id"] == ticket and overdue["kind_label"] == "자살·자해 위험"
        assert [f for f in drain(a) if f["type"] == "crisis_overdue"] == []  # supervisors only
        assert [f for f in drain(b) if f["type"] == "crisis_overdue"] == []  # once


def test_the_dashboard_and_the_export(client: TestClient) -> None:
    lee, boss = token_of(client, "lee"), token_of(client, "boss")
    for text in ("상담원 연결해 주세요", "죽고 싶어요", "상담원이랑 얘기하고 싶어요"):
        with client.websocket_connect("/ws/chat") as ws:
            citizen = Citizen(ws)
            citizen.until("session")
            citizen.say(text)
    cards = client.get("/api/tickets", headers=bearer(lee)).json()
    first, second = cards[0]["ticket"]["id"], cards[1]["ticket"]["id"]
    client.post(f"/api/tickets/{first}/claim", headers=bearer(lee))
    client.post(f"/api/tickets/{first}/messages", headers=bearer(lee), json={"text": "안녕하세요"})
    client.post(f"/api/tickets/{second}/claim", headers=bearer(lee))
    client.post(f"/api/tickets/{second}/resolve", headers=bearer(lee), json={"outcome": "informed"})
    assert client.get("/api/dashboard", headers=bearer(lee)).status_code == 403
    figures = client.get("/api/dashboard", headers=bearer(boss)).json()
    assert (figures["waiting"], figures["claimed"], figures["resolved_today"], figures["arrived_today"]) == (1, 1, 1, 3)
    assert figures["median_first_reply_s"] is not None and figures["sla_breaches_today"] == 0
    assert len(figures["reasons"]) == 7 and figures["reasons"][-1]["counts"] == {
        "person_requested": 2,
        "suicide_self_harm": 1,
    }
    assert figures["load"] == [{"name": "lee", "holding": 1, "resolved_today": 1, "replied_today": 1}]
    assert sum(figures["arrivals_by_hour"]) == 3
    today = datetime.now(ZoneInfo("Asia/Seoul")).date().isoformat()  # the service's day (QueueSettings.timezone)
    url = f"/api/reports/tickets.csv?date_from={today}&date_to={today}"
    assert client.get(url, headers=bearer(lee)).status_code == 403
    export = client.get(url, headers=bearer(boss))
    assert export.status_code == 200 and export.headers["content-type"].startswith("text/csv")
    assert "attachment" in export.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(export.text.lstrip("\ufeff"))))
    assert len(rows) == 3 and {r["kind_label"] for r in rows} == {"상담 요청", "자살·자해 위험"}
    assert [r["outcome"] for r in rows if r["state"] == "resolved"] == ["informed"]
    assert (
        client.get(url.replace(f"date_from={today}", "date_from=2020-01-01"), headers=bearer(boss)).status_code == 422
    )
    assert client.get("/api/audit?actor=boss", headers=bearer(boss)).json()[0]["detail"]["rows"] == 3


def test_logout_closes_the_consoles_of_that_session_at_once(client: TestClient) -> None:
    lee = token_of(client, "lee")
    other = token_of(client, "lee")  # the same caseworker on a second device keeps working
    with console(client, lee) as ws, console(client, other) as second:
        assert ws.receive_json()["type"] == "queue" and second.receive_json()["type"] == "queue"
        started = time.monotonic()
        assert client.post("/api/counselor/logout", headers=bearer(lee)).status_code == 204
        with pytest.raises(WebSocketDisconnect) as closed:
            for _ in range(10):
                ws.receive_json()
        assert closed.value.code == 4401 and time.monotonic() - started < 5  # session_check_s is 30 here
        second.send_json({"type": "ping"})
        assert second.receive_json()["type"] == "pong"
    assert client.get("/api/audit?actor=lee", headers=bearer(token_of(client, "boss"))).json()[0]["action"] == "logout"


def ticket_view(n: int, created: datetime, **values: Any) -> Any:
    from counselor.store.tickets import TicketView

    fields: dict[str, Any] = {
        "id": n,
        "conversation_id": f"c{n}",
        "state": "waiting",
        "priority": 1,
        "reason": "person_requested",
        "detail": "",
        "question_id": None,
        "brief": {"question": "상담원 연결해 주세요"},
        "created_at": created,
    }
    return TicketView(**(fields | values))


def test_the_dashboards_day_is_the_services_and_breaches_count_the_wait() -> None:
    from datetime import UTC, timedelta

    from counselor.queue.dashboard import build

    seoul = ZoneInfo("Asia/Seoul")
    now = datetime(2025, 3, 4, 1, 0, tzinfo=UTC)  # 10:00 in Seoul
    tickets = [
        ticket_view(1, now - timedelta(minutes=10)),  # waiting 10 minutes: past the 5-minute SLA
        ticket_view(
            2,
            now - timedelta(minutes=30),
            state="claimed",
            claimed_by="lee",
            claimed_at=now - timedelta(minutes=28),
            first_reply_at=now - timedelta(minutes=27),
        ),
        ticket_view(
            3,
            now - timedelta(hours=2),
            state="resolved",
            claimed_by="lee",
            priority=0,
            reason="crisis",
            detail="suicide_self_harm",
            claimed_at=now - timedelta(hours=1),
            closed_at=now - timedelta(minutes=5),
        ),
        ticket_view(4, datetime(2025, 3, 3, 14, 0, tzinfo=UTC)),  # 23:00 the day before, in Seoul
    ]
    d = build(tickets, now, seoul, 5.0)
    assert (d.today.isoformat(), d.arrived_today, d.waiting, d.claimed, d.resolved_today) == ("2025-03-04", 3, 2, 1, 1)
    assert d.sla_breaches_today == 2  # ticket 1 still waiting past 5 minutes; ticket 3 claimed after an hour
    assert d.median_first_reply_s == 180.0 and d.reasons[-2].counts == {"person_requested": 1}
    assert d.reasons[-1].counts == {"person_requested": 2, "suicide_self_harm": 1}
    assert d.arrivals_by_hour[8] == 1 and d.arrivals_by_hour[9] == 2


def test_the_export_never_hands_a_spreadsheet_a_formula() -> None:
    from datetime import UTC

    from counselor.queue.dashboard import export_csv

    now = datetime(2025, 3, 4, 1, 0, tzinfo=UTC)
    rows = export_csv(
        [ticket_view(1, now, brief={"question": '=HYPERLINK("http://x")'}, tags=["@a"])], ZoneInfo("Asia/Seoul"), 5, now
    )
    [row] = list(csv.DictReader(io.StringIO(rows)))
    assert row["preview"] == '\'=HYPERLINK("http://x")' and row["tags"] == "'@a"
    assert row["created_at"] == "2025-03-04T10:00:00+09:00" and row["kind_label"] == "상담 요청"
