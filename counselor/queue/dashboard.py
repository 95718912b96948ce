"""The supervisors' figures, computed from tickets alone (so a test can build them from a list): the queue now,
today's work, the last 7 days' reasons for escalation and each caseworker's load; and the CSV export.

"Today" and the days are the service's timezone (``COUNSELOR_QUEUE__TIMEZONE``), not UTC: a caseworker's day."""

from __future__ import annotations

import csv
import io
import statistics
from collections import Counter
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from counselor.casework import KIND_LABELS, OUTCOME_LABELS, TicketKind, ticket_kind
from counselor.queue.cards import make_card, waited_s
from counselor.store.tickets import TicketState, TicketView

DAYS = 7


class DayReasons(BaseModel):
    day: date
    counts: dict[TicketKind, int]


class Load(BaseModel):
    name: str
    holding: int  # claimed now
    resolved_today: int
    replied_today: int  # tickets they answered first today


class Dashboard(BaseModel):
    generated_at: datetime
    today: date  # in the service's timezone
    sla_minutes: float
    waiting: int
    claimed: int
    resolved_today: int
    arrived_today: int
    median_first_reply_s: float | None  # today's tickets: from arrival to a caseworker's first message
    median_first_reply_s_7d: float | None
    sla_breaches_today: int  # today's tickets that waited past the SLA (claimed late, or still waiting)
    crisis_waiting: int
    reasons: list[DayReasons]  # the last 7 days, oldest first
    kind_labels: dict[TicketKind, str]
    load: list[Load]
    arrivals_by_hour: list[int]  # today, 24 buckets


def _local(moment: datetime, zone: ZoneInfo) -> datetime:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo("UTC"))
    return aware.astimezone(zone)


def day_start(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone)


def build(tickets: list[TicketView], now: datetime, zone: ZoneInfo, sla_minutes: float) -> Dashboard:
    today = _local(now, zone).date()
    first_day = today - timedelta(days=DAYS - 1)
    created_today = [t for t in tickets if _local(t.created_at, zone).date() == today]
    in_week = [t for t in tickets if _local(t.created_at, zone).date() >= first_day]

    def first_reply(ts: list[TicketView]) -> float | None:
        delays = [
            (_local(t.first_reply_at, zone) - _local(t.created_at, zone)).total_seconds()
            for t in ts
            if t.first_reply_at is not None
        ]
        return round(statistics.median(delays), 1) if delays else None

    closed_today = [t for t in tickets if t.closed_at is not None and _local(t.closed_at, zone).date() == today]
    resolved_today = [t for t in closed_today if t.state == TicketState.RESOLVED]
    by_day: dict[date, Counter[TicketKind]] = {first_day + timedelta(days=n): Counter() for n in range(DAYS)}
    for t in in_week:
        by_day[_local(t.created_at, zone).date()][ticket_kind(t.reason, t.detail)] += 1
    names = sorted({t.claimed_by for t in tickets if t.claimed_by})
    hours = [0] * 24
    for t in created_today:
        hours[_local(t.created_at, zone).hour] += 1
    return Dashboard(
        generated_at=now,
        today=today,
        sla_minutes=sla_minutes,
        waiting=sum(t.state == TicketState.WAITING for t in tickets),
        claimed=sum(t.state == TicketState.CLAIMED for t in tickets),
        resolved_today=len(resolved_today),
        arrived_today=len(created_today),
        median_first_reply_s=first_reply(created_today),
        median_first_reply_s_7d=first_reply(in_week),
        sla_breaches_today=sum(waited_s(t, now) > sla_minutes * 60 for t in created_today),
        crisis_waiting=sum(t.state == TicketState.WAITING and t.priority == 0 for t in tickets),
        reasons=[DayReasons(day=d, counts=dict(c)) for d, c in by_day.items()],
        kind_labels=KIND_LABELS,
        load=[
            Load(
                name=name,
                holding=sum(t.state == TicketState.CLAIMED and t.claimed_by == name for t in tickets),
                resolved_today=sum(t.claimed_by == name for t in resolved_today),
                replied_today=sum(
                    t.claimed_by == name
                    and t.first_reply_at is not None
                    and _local(t.first_reply_at, zone).date() == today
                    for t in tickets
                ),
            )
            for name in names
        ],
        arrivals_by_hour=hours,
    )


CSV_COLUMNS = (
    "ticket_id",
    "created_at",
    "state",
    "priority",
    "kind",
    "kind_label",
    "reason",
    "region",
    "language",
    "preview",
    "claimed_by",
    "claimed_at",
    "first_reply_at",
    "closed_at",
    "waited_s",
    "over_sla",
    "outcome",
    "outcome_label",
    "tags",
)


def _cell(text: str) -> str:
    """A citizen's words opened in a spreadsheet must not run as a formula (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _stamp(moment: datetime | None, zone: ZoneInfo) -> str:
    return _local(moment, zone).isoformat(timespec="seconds") if moment else ""


def export_csv(tickets: list[TicketView], zone: ZoneInfo, sla_minutes: float, now: datetime) -> str:
    """One row per ticket, times in the service's timezone. The preview is the question as stored: masked."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for t in tickets:
        card = make_card(t, sla_minutes, now)
        waited = waited_s(t, now)
        writer.writerow(
            [
                t.id,
                _stamp(t.created_at, zone),
                t.state,
                t.priority,
                card.kind.value,
                card.kind_label,
                t.reason,
                card.region,
                card.language,
                _cell(card.preview),
                t.claimed_by or "",
                _stamp(t.claimed_at, zone),
                _stamp(t.first_reply_at, zone),
                _stamp(t.closed_at, zone),
                round(waited, 1),
                "yes" if waited > sla_minutes * 60 else "no",
                t.outcome.value if t.outcome else "",
                OUTCOME_LABELS[t.outcome] if t.outcome else "",
                _cell(";".join(t.tags)),
            ]
        )
    return out.getvalue()
