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
        assert db.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0003"
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
