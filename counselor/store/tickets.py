"""The caseworker queue: tickets move ``waiting`` → ``claimed`` (one owner) → ``resolved``, or ``returned`` to
the bot. Every change is one conditional UPDATE, so two caseworkers claiming at once cannot both win."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from counselor.casework import AuditAction, Outcome
from counselor.chat.statuses import EscalationReason
from counselor.jsontypes import JsonObject
from counselor.store.audit import AuditDetail, AuditDraft, add_audit
from counselor.store.notes import NoteView, note_row
from counselor.store.sessions import Sessions
from counselor.store.tables import Ticket, utcnow


class TicketState(StrEnum):
    WAITING = "waiting"
    CLAIMED = "claimed"  # one caseworker holds it
    RESOLVED = "resolved"
    RETURNED = "returned"  # handed back to the bot


OPEN_STATES = (TicketState.WAITING, TicketState.CLAIMED)


def as_utc(moment: datetime) -> datetime:
    """Times compared in SQL are UTC: SQLite keeps a timestamp's wall-clock digits and drops its zone, so a
    bound in Asia/Seoul would be read nine hours off."""
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


class TicketView(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    conversation_id: str
    state: TicketState
    priority: int
    reason: EscalationReason
    detail: str
    question_id: str | None
    brief: JsonObject  # as stored: read through counselor.queue.cards.read_brief, which tolerates older briefs
    created_at: datetime
    claimed_by: str | None = None
    claimed_at: datetime | None = None
    closed_at: datetime | None = None
    note: str = ""
    tags: list[str] = Field(default_factory=list)
    outcome: Outcome | None = None
    first_reply_at: datetime | None = None
    overdue_alerted_at: datetime | None = None


def open_ticket_row(session: Session, conversation_id: str) -> Ticket | None:
    return session.scalars(
        select(Ticket).where(Ticket.conversation_id == conversation_id, Ticket.state.in_(OPEN_STATES))
    ).first()


def queue_position(session: Session, ticket: Ticket) -> int | None:
    """1 for the next ticket a caseworker takes; None once claimed or closed."""
    if ticket.state != TicketState.WAITING:
        return None
    ahead = session.scalar(
        select(func.count())
        .select_from(Ticket)
        .where(
            Ticket.state == TicketState.WAITING,
            (Ticket.priority < ticket.priority) | ((Ticket.priority == ticket.priority) & (Ticket.id < ticket.id)),
        )
    )
    return int(ahead or 0) + 1


class TicketStore:
    def __init__(self, sessions: Sessions) -> None:
        self._session = sessions

    def open_for(self, conversation_id: str) -> tuple[TicketView, int | None] | None:
        """The conversation's waiting or claimed ticket and its place in the queue (None once claimed)."""
        with self._session() as session:
            row = open_ticket_row(session, conversation_id)
            return (TicketView.model_validate(row), queue_position(session, row)) if row else None

    def get(self, ticket_id: int) -> TicketView | None:
        with self._session() as session:
            row = session.get(Ticket, ticket_id)
            return TicketView.model_validate(row) if row else None

    def queue(self) -> list[TicketView]:
        """Waiting tickets in the order caseworkers take them: crisis first, then by arrival."""
        with self._session() as session:
            rows = session.scalars(
                select(Ticket).where(Ticket.state == TicketState.WAITING).order_by(Ticket.priority, Ticket.id)
            )
            return [TicketView.model_validate(r) for r in rows]

    def visible_to(self, name: str, supervisor: bool) -> list[TicketView]:
        """What a caseworker's console lists: the waiting queue and their own open tickets; a supervisor sees
        every open ticket."""
        with self._session() as session:
            mine = Ticket.state == TicketState.WAITING
            mine = mine | (Ticket.state == TicketState.CLAIMED) if supervisor else mine | (Ticket.claimed_by == name)
            rows = session.scalars(
                select(Ticket).where(Ticket.state.in_(OPEN_STATES), mine).order_by(Ticket.priority, Ticket.id)
            )
            return [TicketView.model_validate(r) for r in rows]

    def history(self, limit: int = 50) -> list[TicketView]:
        with self._session() as session:
            rows = session.scalars(
                select(Ticket).where(Ticket.state.not_in(OPEN_STATES)).order_by(Ticket.closed_at.desc()).limit(limit)
            )
            return [TicketView.model_validate(r) for r in rows]

    def _change(
        self, ticket_id: int, condition: Any, audit: AuditDraft | None = None, **values: Any
    ) -> TicketView | None:
        """One conditional UPDATE and its audit entry, in one transaction; None when the condition failed."""
        with self._session.begin() as session:
            done = session.execute(update(Ticket).where(Ticket.id == ticket_id, condition).values(**values))
            if done.rowcount != 1:  # type: ignore[attr-defined]
                return None
            add_audit(session, audit)
        return self.get(ticket_id)

    def claim(self, ticket_id: int, name: str) -> TicketView | None:
        """The ticket, now owned by ``name``; None if someone else got it first (or it is not waiting)."""
        audit = AuditDraft(actor=name, action=AuditAction.CLAIM, ticket_id=ticket_id)
        return self._change(
            ticket_id,
            Ticket.state == TicketState.WAITING,
            audit,
            state=TicketState.CLAIMED,
            claimed_by=name,
            claimed_at=utcnow(),
        )

    def _owned(self, name: str, supervisor: bool) -> Any:
        return (
            Ticket.state == TicketState.CLAIMED
            if supervisor
            else (Ticket.state == TicketState.CLAIMED) & (Ticket.claimed_by == name)
        )

    def return_to_bot(self, ticket_id: int, name: str, supervisor: bool = False) -> TicketView | None:
        audit = AuditDraft(actor=name, action=AuditAction.RETURN, ticket_id=ticket_id)
        return self._change(
            ticket_id, self._owned(name, supervisor), audit, state=TicketState.RETURNED, closed_at=utcnow()
        )

    def resolve(
        self,
        ticket_id: int,
        name: str,
        note: str,
        tags: list[str],
        supervisor: bool = False,
        outcome: Outcome | None = None,
    ) -> TicketView | None:
        detail = AuditDetail(outcome=outcome, tags=tags or None)
        audit = AuditDraft(actor=name, action=AuditAction.RESOLVE, ticket_id=ticket_id, detail=detail)
        return self._change(
            ticket_id,
            self._owned(name, supervisor),
            audit,
            state=TicketState.RESOLVED,
            closed_at=utcnow(),
            note=note,
            tags=tags,
            outcome=outcome.value if outcome else None,
        )

    def transfer(
        self, ticket_id: int, name: str, to: str | None, note: str = "", supervisor: bool = False
    ) -> tuple[TicketView, NoteView | None] | None:
        """Hand a claimed ticket to caseworker ``to``, or back to the queue (``to`` None: waiting again, first in
        its priority's line by arrival as before), with an optional note for whoever takes it; the change, the
        note and the audit entry in one transaction. None when ``name`` does not hold it."""
        with self._session.begin() as session:
            values: dict[str, str | None] = (
                {"claimed_by": to} if to else {"state": TicketState.WAITING, "claimed_by": None, "claimed_at": None}
            )
            done = session.execute(
                update(Ticket).where(Ticket.id == ticket_id, self._owned(name, supervisor)).values(**values)
            )
            if done.rowcount != 1:  # type: ignore[attr-defined]
                return None
            written = note_row(session, ticket_id, name, note, "transfer") if note.strip() else None
            action = AuditAction.TRANSFER if to else AuditAction.REQUEUE
            detail = AuditDetail(to=to, note_id=written.id if written else None)
            add_audit(session, AuditDraft(actor=name, action=action, ticket_id=ticket_id, detail=detail))
            view = NoteView.model_validate(written) if written else None
        ticket = self.get(ticket_id)
        return (ticket, view) if ticket else None

    def overdue_crises(self, created_before: datetime) -> list[TicketView]:
        """Crisis tickets still waiting since before ``created_before`` whose supervisors were not yet told,
        now marked told. Each is marked by one conditional UPDATE, so of several replicas only one tells."""
        created_before = as_utc(created_before)
        with self._session() as session:
            candidates = list(
                session.scalars(
                    select(Ticket.id).where(
                        Ticket.state == TicketState.WAITING,
                        Ticket.priority == 0,
                        Ticket.created_at < created_before,
                        Ticket.overdue_alerted_at.is_(None),
                    )
                )
            )
        won = []
        for ticket_id in candidates:
            still = (Ticket.state == TicketState.WAITING) & Ticket.overdue_alerted_at.is_(None)
            marked = self._change(ticket_id, still, overdue_alerted_at=utcnow())
            if marked is not None:
                won.append(marked)
        return won

    def since(self, moment: datetime) -> list[TicketView]:
        """What a dashboard counts: every open ticket, and those created or closed since ``moment``."""
        moment = as_utc(moment)
        with self._session() as session:
            rows = session.scalars(
                select(Ticket)
                .where(or_(Ticket.state.in_(OPEN_STATES), Ticket.created_at >= moment, Ticket.closed_at >= moment))
                .order_by(Ticket.id)
            )
            return [TicketView.model_validate(r) for r in rows]

    def created_between(self, start: datetime, end: datetime) -> list[TicketView]:
        start, end = as_utc(start), as_utc(end)
        with self._session() as session:
            rows = session.scalars(
                select(Ticket).where(Ticket.created_at >= start, Ticket.created_at < end).order_by(Ticket.id)
            )
            return [TicketView.model_validate(r) for r in rows]

    def close_any(self, ticket_id: int, state: TicketState = TicketState.RETURNED) -> None:
        """Close a ticket whatever its state (operators and tests)."""
        with self._session.begin() as session:
            row = session.get_one(Ticket, ticket_id)
            row.state, row.closed_at = state, utcnow()
