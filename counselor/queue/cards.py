"""A ticket as a console shows it: its kind in Korean, the first line of the question (masked when stored),
the region and language, and its waiting time against the SLA."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ValidationError

from counselor.casework import KIND_LABELS, TicketKind, ticket_kind
from counselor.store.records import TicketBrief
from counselor.store.tables import utcnow
from counselor.store.tickets import TicketState, TicketView

PREVIEW_CHARS = 80


class TicketCard(BaseModel):
    ticket: TicketView
    waiting_s: float
    over_sla: bool
    kind: TicketKind
    kind_label: str
    preview: str
    region: str
    language: str


def read_brief(ticket: TicketView) -> TicketBrief:
    try:
        return TicketBrief.model_validate(ticket.brief)
    except ValidationError:  # an older or damaged brief: the question alone, if any
        question = ticket.brief.get("question")
        return TicketBrief(question=question if isinstance(question, str) else "")


def preview(question: str) -> str:
    """The question's first non-empty line, cut at a word near ``PREVIEW_CHARS``. The stored question is
    already masked, so an identifier shows as its mask ([전화번호])."""
    line = next((part.strip() for part in question.splitlines() if part.strip()), "")
    if len(line) <= PREVIEW_CHARS:
        return line
    cut = line[:PREVIEW_CHARS]
    space = cut.rfind(" ")
    return (cut[:space] if space > PREVIEW_CHARS // 2 else cut).rstrip() + "…"


def _aware(moment: datetime, like: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=like.tzinfo)


def waited_s(ticket: TicketView, now: datetime) -> float:
    """From arrival to the first claim (or until now while it waits)."""
    end = _aware(ticket.claimed_at or now, now)
    return max((end - _aware(ticket.created_at, now)).total_seconds(), 0.0)


def make_card(ticket: TicketView, sla_minutes: float, now: datetime | None = None) -> TicketCard:
    now = now or utcnow()
    waiting = waited_s(ticket, now)
    brief = read_brief(ticket)
    kind = ticket_kind(ticket.reason, ticket.detail)
    return TicketCard(
        ticket=ticket,
        waiting_s=round(waiting, 1),
        over_sla=ticket.state == TicketState.WAITING and waiting > sla_minutes * 60,
        kind=kind,
        kind_label=KIND_LABELS[kind],
        preview=preview(brief.question),
        region=" ".join(p for p in (brief.sido, brief.district) if p),
        language=brief.language,
    )
