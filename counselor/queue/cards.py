"""A ticket as a console shows it: with its waiting time against the SLA."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from counselor.store.tables import utcnow
from counselor.store.tickets import TicketView


class TicketCard(BaseModel):
    """A ticket as a console shows it: with its waiting time against the SLA."""

    ticket: TicketView
    waiting_s: float
    over_sla: bool


def make_card(ticket: TicketView, sla_minutes: float, now: datetime | None = None) -> TicketCard:
    now = now or utcnow()
    created = ticket.created_at if ticket.created_at.tzinfo else ticket.created_at.replace(tzinfo=now.tzinfo)
    end = ticket.claimed_at or now
    end = end if end.tzinfo else end.replace(tzinfo=now.tzinfo)
    waiting = max((end - created).total_seconds(), 0.0)
    return TicketCard(
        ticket=ticket,
        waiting_s=round(waiting, 1),
        over_sla=ticket.state == "waiting" and waiting > sla_minutes * 60,
    )
