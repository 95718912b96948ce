"""One contract for the conversation store, run against every backend: SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import text

from counselor.store.accounts import AccountError
from counselor.store.conversations import ConversationStore
from counselor.store.ids import new_id
from counselor.store.payloads import EventPayload
from counselor.store.records import StoredMessage, TicketDraft, TurnRecord
from counselor.store.tables import utcnow
from tests.backends import postgres_schema


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ConversationStore]:
    if request.param == "sqlite":
        store = ConversationStore.from_url(f"sqlite:///{tmp_path / 'store.sqlite3'}")
        yield store
        store.engine.dispose()
        return
    with postgres_schema() as url:
        store = ConversationStore.from_url(url)
        yield store
        store.engine.dispose()


def escalate(store: ConversationStore, priority: int = 1) -> tuple[str, int]:
    conversation, _ = store.open_conversation()

    def answer(position: int | None) -> StoredMessage:
        return StoredMessage(
            id=new_id(), seq=0, conversation_id=conversation, role="bot", text="…", created_at=utcnow()
        )

    turn = TurnRecord(question_id="q", status="escalated", reason="person_requested", confidence=1.0, answerer="")
    store.finish_turn(conversation, answer, turn, TicketDraft(priority=priority, reason="person_requested"))
    opened = store.tickets.open_for(conversation)
    assert opened is not None
    return conversation, opened[0].id


def test_migrations_bring_a_new_database_to_the_newest_schema_once(store: ConversationStore) -> None:
    with store.engine.connect() as db:
        assert db.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0004"
    ConversationStore(store.engine)  # a second start changes nothing
    with store.engine.connect() as db:
        assert db.execute(text("SELECT COUNT(*) FROM alembic_version")).scalar() == 1


def test_conversations_tokens_and_regions(store: ConversationStore) -> None:
    conversation, token = store.open_conversation()
    assert store.find_by_token(token) == conversation and store.find_by_token("forged") is None
    assert store.region(conversation) == (None, None)
    store.set_region(conversation, "전라남도", "광양시")
    assert store.region(conversation) == ("전라남도", "광양시")


def test_a_retried_message_is_stored_once_and_order_is_kept(store: ConversationStore) -> None:
    conversation, _ = store.open_conversation()
    first, duplicate = store.add_message(conversation, "citizen", "기초연금", client_id="c1")
    again, duplicate_again = store.add_message(conversation, "citizen", "기초연금", client_id="c1")
    assert not duplicate and duplicate_again and again.id == first.id
    second, _ = store.add_message(conversation, "citizen", "아동수당", client_id="c2")
    assert [m.id for m in store.messages_after(conversation)] == [first.id, second.id]
    assert [m.id for m in store.messages_after(conversation, first.id)] == [second.id]


def test_the_queue_serves_crisis_first_then_arrival(store: ConversationStore) -> None:
    _, normal = escalate(store, priority=1)
    _, crisis = escalate(store, priority=0)
    _, later = escalate(store, priority=1)
    assert [t.id for t in store.tickets.queue()] == [crisis, normal, later]


def test_claiming_at_once_exactly_one_wins(store: ConversationStore) -> None:
    for _ in range(10):
        _, ticket = escalate(store)
        start = threading.Barrier(4)

        def claim(name: str, ticket: int = ticket, start: threading.Barrier = start) -> bool:
            start.wait()
            return store.tickets.claim(ticket, name) is not None

        with ThreadPoolExecutor(4) as pool:
            wins = list(pool.map(claim, ["a", "b", "c", "d"]))
        assert wins.count(True) == 1
        view = store.tickets.get(ticket)
        assert view is not None and view.claimed_by == "abcd"[wins.index(True)]
        assert store.tickets.return_to_bot(ticket, "abcd"[wins.index(True)]) is not None


def test_accounts_and_sessions(store: ConversationStore) -> None:
    store.accounts.add("kim", "correct horse", "supervisor")
    with pytest.raises(AccountError, match="taken"):
        store.accounts.add("kim", "another password")
    with pytest.raises(AccountError, match="wrong name or password"):
        store.accounts.login("kim", "wrong password")
    account, token = store.accounts.login("kim", "correct horse")
    assert account.supervisor and store.accounts.who(token) == account
    store.accounts.logout(token)
    assert store.accounts.who(token) is None


def test_a_profile_is_kept_replaced_and_erased(store: ConversationStore) -> None:
    conversation, _ = store.open_conversation()
    assert store.profile(conversation) is None and not store.erase_profile(conversation)
    store.save_profile(conversation, {"age": 67, "children": [{"age_years": 5}]})
    store.save_profile(conversation, {"age": 68})
    assert store.profile(conversation) == {"age": 68}
    assert store.erase_profile(conversation) and store.profile(conversation) is None


def test_a_turn_reads_its_state_at_once_and_stores_what_it_learnt_with_its_answer(store: ConversationStore) -> None:
    conversation, _ = store.open_conversation()
    for n in range(12):
        store.add_message(conversation, "citizen" if n % 2 == 0 else "bot", f"m{n}")
    question, _ = store.add_message(conversation, "citizen", "지금 질문")
    state = store.turn_state(conversation, question.id, recent=4)
    assert [m.text for m in state.recent] == ["m8", "m9", "m10", "m11"]  # the latest, oldest first, no question
    assert state.ticket is None and state.profile is None and (state.sido, state.district) == (None, None)

    def answer(position: int | None) -> StoredMessage:
        text = f"대기 {position}번" if position else "답"
        return StoredMessage(
            id=new_id(), seq=0, conversation_id=conversation, role="bot", text=text, created_at=utcnow()
        )

    turn = TurnRecord(question_id=question.id, status="escalated", reason="own_case", confidence=1.0, answerer="")
    stored, opened = store.finish_turn(
        conversation, answer, turn, TicketDraft(priority=1, reason="own_case"), {"age": 70}, ("전라남도", "광양시")
    )
    assert opened is not None and opened[0].reason == "own_case" and stored.text == f"대기 {opened[1]}번"
    after = store.turn_state(conversation, new_id())
    assert after.ticket is not None and after.ticket.id == opened[0].id and after.position == opened[1]
    assert after.profile == {"age": 70} and (after.sido, after.district) == ("전라남도", "광양시")
    assert after.recent[-1].id == stored.id and stored.seq > question.seq


def test_many_threads_writing_at_once_lose_nothing_and_keep_their_order(store: ConversationStore) -> None:
    conversation, _ = store.open_conversation()

    def write(n: int) -> list[str]:
        return [store.add_message(conversation, "citizen", f"{n}-{i}")[0].id for i in range(15)]

    with ThreadPoolExecutor(8) as pool:
        written = list(pool.map(write, range(8)))
    stored = [m.id for m in store.messages_after(conversation)]
    assert len(stored) == 8 * 15
    for ids in written:
        assert [i for i in stored if i in set(ids)] == ids


# --- casework (issue 20): notes, the audit log, transfers, outcomes, overdue crises, feedback ------------------


def test_notes_replies_and_their_audit_entries(store: ConversationStore) -> None:
    conversation, ticket = escalate(store)
    assert store.tickets.claim(ticket, "lee") is not None
    note = store.casework.add_note(ticket, "lee", "어머니와 통화 필요")
    assert [n.text for n in store.casework.notes(ticket)] == ["어머니와 통화 필요"] and note.kind == "note"
    assert store.casework.reply(ticket, conversation, "park", "not park's") is None  # not the holder: nothing
    first = store.casework.reply(ticket, conversation, "lee", "안녕하세요", template="greeting")
    assert first is not None and first.role == "counselor" and first.payload.counselor == "lee"
    replied = store.tickets.get(ticket)
    assert replied is not None and replied.first_reply_at is not None
    assert store.casework.reply(ticket, conversation, "lee", "두 번째") is not None
    again = store.tickets.get(ticket)
    assert again is not None and again.first_reply_at == replied.first_reply_at  # the first reply's time stays
    assert [m.text for m in store.messages_after(conversation) if m.role == "counselor"] == ["안녕하세요", "두 번째"]
    log = store.casework.audit_log(ticket_id=ticket)
    assert [e.action for e in log] == ["send", "send", "note", "claim"]  # newest first
    assert log[-1].actor == "lee" and log[1].detail.template == "greeting" and log[2].detail.note_id == note.id
    assert store.casework.audit_log(actor="park") == []


def test_a_case_is_transferred_requeued_and_resolved_with_an_outcome(store: ConversationStore) -> None:
    from counselor.casework import Outcome

    _, ticket = escalate(store)
    store.tickets.claim(ticket, "lee")
    assert store.tickets.transfer(ticket, "park", "kim", "note") is None  # park does not hold it
    moved = store.tickets.transfer(ticket, "lee", "park", "서류 확인 중이에요")
    assert moved is not None and moved[0].claimed_by == "park" and moved[0].state == "claimed"
    assert moved[1] is not None and moved[1].kind == "transfer" and moved[1].text == "서류 확인 중이에요"
    back = store.tickets.transfer(ticket, "park", None)
    assert back is not None and back[0].state == "waiting" and back[0].claimed_by is None and back[1] is None
    assert [t.id for t in store.tickets.queue()] == [ticket]
    store.tickets.claim(ticket, "kim")
    resolved = store.tickets.resolve(ticket, "kim", "끝", ["긴급"], outcome=Outcome.REFERRED)
    assert resolved is not None and resolved.outcome is Outcome.REFERRED and resolved.state == "resolved"
    actions = [(e.actor, e.action.value, e.detail.to) for e in store.casework.audit_log(ticket_id=ticket)]
    assert actions == [
        ("kim", "resolve", None),
        ("kim", "claim", None),
        ("park", "requeue", None),
        ("lee", "transfer", "park"),
        ("lee", "claim", None),
    ]


def test_an_overdue_crisis_is_told_once_whoever_asks(store: ConversationStore) -> None:
    from datetime import timedelta

    _, crisis = escalate(store, priority=0)
    escalate(store, priority=1)  # not a crisis: never overdue
    assert store.tickets.overdue_crises(utcnow() - timedelta(minutes=2)) == []  # not yet two minutes old
    later = utcnow() + timedelta(seconds=1)
    with ThreadPoolExecutor(4) as pool:
        told = list(pool.map(lambda _: store.tickets.overdue_crises(later), range(4)))
    assert sorted(len(t) for t in told) == [0, 0, 0, 1] and [t.id for ts in told for t in ts] == [crisis]
    assert store.tickets.overdue_crises(later) == []


def test_tickets_for_the_dashboard_and_the_export(store: ConversationStore) -> None:
    from datetime import timedelta

    _, first = escalate(store)
    _, second = escalate(store)
    store.tickets.claim(second, "lee")
    store.tickets.resolve(second, "lee", "", [])
    now = utcnow()
    assert {t.id for t in store.tickets.since(now - timedelta(hours=1))} == {first, second}
    assert {t.id for t in store.tickets.since(now + timedelta(hours=1))} == {first}  # open ones always count
    assert [t.id for t in store.tickets.created_between(now - timedelta(hours=1), now + timedelta(hours=1))] == [
        first,
        second,
    ]
    assert store.tickets.created_between(now + timedelta(hours=1), now + timedelta(hours=2)) == []
    from zoneinfo import ZoneInfo

    seoul = now.astimezone(ZoneInfo("Asia/Seoul"))  # bounds in the service's zone mean the same instants
    assert len(store.tickets.created_between(seoul - timedelta(minutes=5), seoul + timedelta(minutes=5))) == 2
    assert len(store.tickets.since(seoul + timedelta(minutes=5))) == 1


def test_feedback_is_stored_with_the_answer_it_rates(store: ConversationStore) -> None:
    from counselor.casework import FeedbackReason

    conversation, _ = store.open_conversation()
    other, _ = store.open_conversation()
    question, _ = store.add_message(conversation, "citizen", "기초연금 얼마예요?")

    def answer(position: int | None) -> StoredMessage:
        citation = {"number": 1, "policy_id": "nat-pension", "title": "기초연금제도", "section": "내용", "source": "x"}
        payload = {"status": "answered", "language": "ko", "confidence": 0.9, "citations": [citation]}
        return StoredMessage(
            id=new_id(),
            seq=0,
            conversation_id=conversation,
            role="bot",
            text="월 최대 33만 4,810원 [1]",
            reply_to=question.id,
            payload=payload,
            created_at=utcnow(),
        )

    turn = TurnRecord(question_id=question.id, status="answered", reason=None, confidence=0.9, answerer="x")
    stored, _ = store.finish_turn(conversation, answer, turn, None)
    feedback = store.feedback
    assert feedback.rate_answer(other, stored.id, True, None) is None  # another conversation's answer
    assert feedback.rate_answer(conversation, question.id, True, None) is None  # not an answer
    assert feedback.rate_answer(conversation, stored.id, True, None) is not None
    changed = feedback.rate_answer(conversation, stored.id, False, FeedbackReason.MISSING_FACT)
    assert changed is not None and changed.reason is FeedbackReason.MISSING_FACT
    [rated] = feedback.rated_answers()
    assert (rated.helpful, rated.reason, rated.status, rated.language) == (
        False,
        FeedbackReason.MISSING_FACT,
        "answered",
        "ko",
    )
    assert (rated.policy_id, rated.policy_title) == ("nat-pension", "기초연금제도")
    assert rated.question == "기초연금 얼마예요?"
    event, _ = store.add_message(
        conversation, "event", "", payload=EventPayload(event="resolved", counselor="lee", ticket_id=7)
    )
    assert feedback.rate_chat(conversation, stored.id, 5) is None  # an answer is not the end of a human chat
    chat = feedback.rate_chat(conversation, event.id, 4)
    assert chat is not None and (chat.ticket_id, chat.counselor, chat.rating) == (7, "lee", 4)
    assert [r.kind for r in feedback.ratings(conversation)] == ["answer", "satisfaction"]
    assert [(c.rating, c.counselor) for c in feedback.rated_chats()] == [(4, "lee")]
