"""``counselor eval feedback``: citizens' ratings of answers and of caseworkers' chats, from a database."""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime
from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError

from counselor.cli.console import fail
from counselor.cli.console import out as screen
from counselor.evaluation.feedback import FeedbackReport, Share, summarise
from counselor.settings import get_settings
from counselor.store.conversations import ConversationStore


def register(app: typer.Typer) -> None:
    app.command("feedback")(feedback)


def feedback(
    database: Annotated[
        str | None, typer.Option(help="SQLAlchemy URL of the service's database (default: COUNSELOR_DATABASE_URL)")
    ] = None,
    since: Annotated[str | None, typer.Option(help="only ratings given on or after this day (YYYY-MM-DD)")] = None,
    worst: Annotated[int, typer.Option(min=0, max=200, help="how many of the worst-rated answers to list")] = 10,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Share of answers citizens found helpful, by policy, by status and by language; the reasons given; the
    worst-rated answers; satisfaction after chats with caseworkers."""
    start = None
    if since:
        try:
            start = datetime.combine(date.fromisoformat(since), datetime.min.time(), tzinfo=UTC)
        except ValueError:
            fail(f"--since {since!r}: expected YYYY-MM-DD")
    try:
        store = ConversationStore.from_url(database or get_settings().database)
        report = summarise(store.feedback.rated_answers(start), store.feedback.rated_chats(start), worst)
        store.engine.dispose()
    except SQLAlchemyError as exc:
        fail(f"cannot read the database: {type(exc).__name__}: {str(exc).splitlines()[0]}")
    if as_json:
        sys.stdout.write(report.model_dump_json(indent=1) + "\n")
        return
    show(report)


def _row(table: Table, name: str, s: Share) -> None:
    table.add_row(name, str(s.n), str(s.helpful), "" if s.share_helpful is None else f"{s.share_helpful:.0%}")


def show(report: FeedbackReport) -> None:
    for heading, groups in (
        ("by policy (first cited)", report.by_policy),
        ("by status", report.by_status),
        ("by language", report.by_language),
    ):
        table = Table("", "rated", "helpful", "share", title=f"Answers {heading}")
        _row(table, "all", report.answers)
        for name, s in groups.items():
            _row(table, name, s)
        screen.print(table)
    if report.reasons:
        screen.print("Reasons given: " + ", ".join(f"{k} {v}" for k, v in report.reasons.items()), highlight=False)
    if report.worst:
        table = Table("policy", "status", "lang", "reason", "question", "answer", title="Worst-rated answers")
        for w in report.worst:
            table.add_row(w.policy, w.status, w.language, w.reason or "", w.question, w.answer)
        screen.print(table)
    chats = report.satisfaction
    mean = "n/a" if chats.mean is None else f"{chats.mean:.2f}"
    screen.print(f"Satisfaction after a caseworker's chat: {chats.n} rated, mean {mean} of 5", highlight=False)
