"""The conversation store: the only code that reads or writes conversations, messages, turns and tickets.

Every write commits before the caller acknowledges anything to a citizen, and a turn's answer, its audit
record and its ticket commit together, so a process killed at any point leaves either all of them or none.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from counselor.jsontypes import JsonObject
from counselor.store.accounts import AccountStore
from counselor.store.casework import CaseworkStore
from counselor.store.feedback import FeedbackStore
from counselor.store.ids import hash_token, new_id
from counselor.store.migrate import migrate
from counselor.store.payloads import AnyPayload, Role
from counselor.store.records import StoredMessage, StoredTurn, TicketDraft, TurnRecord, TurnState
from counselor.store.sessions import Sessions
from counselor.store.tables import CitizenProfile, Conversation, Message, Ticket, Turn
from counselor.store.tickets import TicketStore, TicketView, open_ticket_row, queue_position


def create_db_engine(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        _private_file(Path(url.removeprefix("sqlite:///")))
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            # WAL lets readers run beside the writer; FULL fsyncs each commit, so an acknowledged message or a
            # ticket survives a killed process and a power cut alike.
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    return create_engine(database_url(url), pool_pre_ping=True)


def _private_file(path: Path) -> None:
    """The database file readable by its owner only (it holds the citizens' words): created 0600 before
    SQLite opens it, since SQLite gives its -wal and -shm files the database file's mode."""
    if str(path) in ("", ":memory:"):
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    os.chmod(path, 0o600)  # an older deployment's 0644 file too


def database_url(url: str) -> str:
    """``postgresql://`` means the psycopg (3) driver, the one the project installs."""
    for plain in ("postgresql://", "postgres://"):
        if url.startswith(plain):
            return "postgresql+psycopg://" + url.removeprefix(plain)
    return url


class ConversationStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        migrate(engine)
        self._session = Sessions(engine)
        self.tickets = TicketStore(self._session)
        self.accounts = AccountStore(self._session)
        self.casework = CaseworkStore(self._session)
        self.feedback = FeedbackStore(self._session)

    @classmethod
    def from_url(cls, url: str) -> ConversationStore:
        return cls(create_db_engine(url))

    def ping(self) -> None:
        with self._session() as session:
            session.execute(select(1))

    # --- conversations ---------------------------------------------------------------------------

    def open_conversation(
        self,
        language: str = "ko",
        *,
        conversation_id: str | None = None,
        token: str | None = None,
        region: tuple[str | None, str | None] = (None, None),
    ) -> tuple[str, str]:
        """A new conversation and its resume token. Only the token's hash is stored. The socket chooses the id
        and token when it opens and stores them at the first message (an idle socket writes nothing)."""
        token = token or secrets.token_urlsafe(24)
        conversation_id = conversation_id or new_id()
        with self._session.begin() as session:
            session.add(
                Conversation(
                    id=conversation_id,
                    token_hash=hash_token(token),
                    language=language,
                    sido=region[0],
                    district=region[1],
                )
            )
        return conversation_id, token

    def find_by_token(self, token: str) -> str | None:
        with self._session() as session:
            return session.scalar(select(Conversation.id).where(Conversation.token_hash == hash_token(token)))

    def set_region(self, conversation_id: str, sido: str | None, district: str | None) -> None:
        with self._session.begin() as session:
            conversation = session.get_one(Conversation, conversation_id)
            conversation.sido, conversation.district = sido, district

    def region(self, conversation_id: str) -> tuple[str | None, str | None]:
        with self._session() as session:
            conversation = session.get_one(Conversation, conversation_id)
            return conversation.sido, conversation.district

    # --- the citizen's profile --------------------------------------------------------------------

    def profile(self, conversation_id: str) -> JsonObject | None:
        with self._session() as session:
            row = session.get(CitizenProfile, conversation_id)
            return dict(row.facts) if row is not None else None

    def save_profile(self, conversation_id: str, facts: JsonObject) -> None:
        with self._session.begin() as session:
            _put_profile(session, conversation_id, facts)

    def erase_profile(self, conversation_id: str) -> bool:
        """Delete the stored facts; True when there were any."""
        with self._session.begin() as session:
            row = session.get(CitizenProfile, conversation_id)
            if row is None:
                return False
            session.delete(row)
            return True

    # --- messages --------------------------------------------------------------------------------

    def add_message(
        self,
        conversation_id: str,
        role: Role,
        text: str,
        *,
        message_id: str | None = None,
        client_id: str | None = None,
        reply_to: str | None = None,
        payload: AnyPayload | None = None,
    ) -> tuple[StoredMessage, bool]:
        """Store a message; with a ``client_id`` seen before, return the stored one and ``True`` instead. The
        payload is the role's (counselor/store/payloads.py); None is the role's empty one."""
        row = Message(
            id=message_id or new_id(),
            conversation_id=conversation_id,
            role=role,
            text=text,
            client_id=client_id,
            reply_to=reply_to,
            payload=payload.model_dump(mode="json") if payload is not None else {},
        )
        try:
            with self._session.begin() as session:
                session.add(row)
        except IntegrityError:
            if client_id is None:
                raise
            with self._session() as session:
                existing = session.scalars(
                    select(Message).where(Message.conversation_id == conversation_id, Message.client_id == client_id)
                ).one()
                return StoredMessage.model_validate(existing), True
        return StoredMessage.model_validate(row), False

    def messages_after(self, conversation_id: str, after: str | None = None) -> list[StoredMessage]:
        """Every message of the conversation after ``after`` (a message id), oldest first; all when None or
        unknown, since a client that names a message we do not have has missed everything."""
        with self._session() as session:
            query = select(Message).where(Message.conversation_id == conversation_id)
            if after is not None:
                seq = session.scalar(
                    select(Message.seq).where(Message.id == after, Message.conversation_id == conversation_id)
                )
                if seq is not None:
                    query = query.where(Message.seq > seq)
            return [StoredMessage.model_validate(m) for m in session.scalars(query.order_by(Message.seq))]

    def reply_to(self, conversation_id: str, question_id: str) -> StoredMessage | None:
        with self._session() as session:
            row = session.scalars(
                select(Message)
                .where(Message.conversation_id == conversation_id, Message.reply_to == question_id)
                .order_by(Message.seq)
            ).first()
            return StoredMessage.model_validate(row) if row else None

    def last_citizen_text(self, conversation_id: str) -> str:
        """The citizen's latest message as stored (masked), or "": masking reads it to catch a number split
        across two messages."""
        with self._session() as session:
            found = session.scalar(
                select(Message.text)
                .where(Message.conversation_id == conversation_id, Message.role == Role.CITIZEN)
                .order_by(Message.seq.desc())
                .limit(1)
            )
            return found or ""

    def last_message_id(self, conversation_id: str) -> str | None:
        with self._session() as session:
            return session.scalar(
                select(Message.id).where(Message.conversation_id == conversation_id).order_by(Message.seq.desc())
            )

    # --- turns and tickets -----------------------------------------------------------------------

    def turn_state(self, conversation_id: str, question_id: str, recent: int = 16) -> TurnState:
        """One read for everything a turn needs; only the last ``recent`` messages, so a long conversation
        costs no more than a short one."""
        with self._session() as session:
            conversation = session.get_one(Conversation, conversation_id)
            state = TurnState(sido=conversation.sido, district=conversation.district)
            row = open_ticket_row(session, conversation_id)
            if row is not None:
                state.ticket, state.position = TicketView.model_validate(row), queue_position(session, row)
            profile = session.get(CitizenProfile, conversation_id)
            state.profile = dict(profile.facts) if profile is not None else None
            latest = session.scalars(
                select(Message)
                .where(Message.conversation_id == conversation_id, Message.id != question_id)
                .order_by(Message.seq.desc())
                .limit(recent)
            )
            state.recent = [StoredMessage.model_validate(m) for m in reversed(list(latest))]
            return state

    def finish_turn(
        self,
        conversation_id: str,
        make_answer: Callable[[int | None], StoredMessage],
        turn: TurnRecord,
        ticket: TicketDraft | None,
        profile: JsonObject | None = None,
        region: tuple[str, str | None] | None = None,
    ) -> tuple[StoredMessage, tuple[TicketView, int | None] | None]:
        """Store a turn's ticket, answer, audit record and what it learnt of the citizen (``profile``,
        ``region``: None when unchanged) in one transaction. The answer is made once the ticket's place in
        the queue is known, so the citizen is told their place in the same message. Returns the answer
        and the open ticket with its place, if the turn opened or raised one."""
        with self._session.begin() as session:
            if profile is not None:
                _put_profile(session, conversation_id, profile)
            if region is not None:
                conversation = session.get_one(Conversation, conversation_id)
                conversation.sido, conversation.district = region
            opened = None
            if ticket is not None:
                row = open_ticket_row(session, conversation_id)
                if row is None:
                    brief = ticket.brief.model_dump(mode="json") if ticket.brief else {}
                    row = Ticket(conversation_id=conversation_id, **ticket.model_dump(exclude={"brief"}), brief=brief)
                    session.add(row)
                    session.flush()
                elif ticket.priority < row.priority:  # a crisis lifts a waiting ticket to the front
                    row.priority, row.reason, row.detail = ticket.priority, ticket.reason, ticket.detail
                    session.flush()
                opened = (TicketView.model_validate(row), queue_position(session, row))
            answer = make_answer(opened[1] if opened else None)
            session.add(
                Message(
                    id=answer.id,
                    conversation_id=conversation_id,
                    role=answer.role,
                    text=answer.text,
                    reply_to=answer.reply_to,
                    payload=answer.stored_payload(),
                )
            )
            session.add(Turn(conversation_id=conversation_id, answer_id=answer.id, **turn.model_dump()))
            session.flush()
            seq = session.scalar(select(Message.seq).where(Message.id == answer.id))
        return answer.model_copy(update={"seq": seq or 0}), opened

    def turns(self, conversation_id: str) -> list[StoredTurn]:
        """The conversation's audit records, oldest first (the benches read a model's raw output here)."""
        with self._session() as session:
            rows = session.scalars(select(Turn).where(Turn.conversation_id == conversation_id).order_by(Turn.id))
            return [StoredTurn.model_validate(t) for t in rows]


def _put_profile(session: Session, conversation_id: str, facts: JsonObject) -> None:
    row = session.get(CitizenProfile, conversation_id)
    if row is None:
        session.add(CitizenProfile(conversation_id=conversation_id, facts=facts))
    else:
        row.facts = facts
