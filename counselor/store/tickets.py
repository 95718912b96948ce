"""The caseworker queue: tickets move ``waiting`` → ``claimed`` (one owner) → ``resolved``, or ``returned`` to
the bot. Every change is one conditional UPDATE, so two caseworkers claiming at once cannot both win."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from counselor.store.sessions import Sessions
from counselor.store.tables import Ticket, utcnow

OPEN_STATES = ("waiting", "claimed")


class TicketView(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    conversation_id: str
    state: str
    priority: int
    reason: str
    detail: str
    question_id: str | None
    brief: dict[str, Any]
    created_at: datetime
    claimed_by: str | None = None
    claimed_at: datetime | None = None
    closed_at: datetime | None = None
    note: str = ""
    tags: list[str] = Field(default_factory=list)


def open_ticket_row(session: Session, conversation_id: str) -> Ticket | None:
    return session.scalars(
        select(Ticket).where(Ticket.conversation_id == conversation_id, Ticket.state.in_(OPEN_STATES))
    ).first()


def queue_position(session: Session, ticket: Ticket) -> int | None:
    """1 for the next ticket a caseworker takes; None once claimed or closed."""
    if ticket.state != "waiting":
        return None
    ahead = session.scalar(
        select(func.count())
        .select_from(Ticket)
        .where(
            Ticket.state == "waiting",
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
            rows = session.scalars(select(Ticket).where(Ticket.state == "waiting").order_by(Ticket.priority, Ticket.id))
            return [TicketView.model_validate(r) for r in rows]

    def visible_to(self, name: str, supervisor: bool) -> list[TicketView]:
        """What a caseworker's console lists: the waiting queue and their own open tickets; a supervisor sees
        every open ticket."""
        with self._session() as session:
            mine = Ticket.state == "waiting"
            mine = mine | (Ticket.state == "claimed") if supervisor else mine | (Ticket.claimed_by == name)
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

    def _change(self, ticket_id: int, condition: Any, **values: Any) -> TicketView | None:
        with self._session.begin() as session:
            done = session.execute(update(Ticket).where(Ticket.id == ticket_id, condition).values(**values))
            if done.rowcount != 1:  # type: ignore[attr-defined]
                return None
        return self.get(ticket_id)

    def claim(self, ticket_id: int, name: str) -> TicketView | None:
        """The ticket, now owned by ``name``; None if someone else got it first (or it is not waiting)."""
        return self._change(ticket_id, Ticket.state == "waiting", state="claimed", claimed_by=name, claimed_at=utcnow())

    def _owned(self, name: str, supervisor: bool) -> Any:
        return Ticket.state == "claimed" if supervisor else (Ticket.state == "claimed") & (Ticket.claimed_by == name)

    def return_to_bot(self, ticket_id: int, name: str, supervisor: bool = False) -> TicketView | None:
        return self._change(ticket_id, self._owned(name, supervisor), state="returned", closed_at=utcnow())

    def resolve(
        self, ticket_id: int, name: str, note: str, tags: list[str], supervisor: bool = False
    ) -> TicketView | None:
        return self._change(
            ticket_id, self._owned(name, supervisor), state="resolved", closed_at=utcnow(), note=note, tags=tags
        )

    def close_any(self, ticket_id: int, state: str = "returned") -> None:
        """Close a ticket whatever its state (operators and tests)."""
        with self._session.begin() as session:
            row = session.get_one(Ticket, ticket_id)
            row.state, row.closed_at = state, utcnow()
