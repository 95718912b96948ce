"""``counselor ask`` and ``counselor queue``: the chat pipeline and the caseworker queue from a terminal."""

from __future__ import annotations

import asyncio
import sys
from typing import Annotated

import typer
from rich.markdown import Markdown
from rich.table import Table

from counselor.chat.context import TurnContext
from counselor.chat.frames import AnswerFrame
from counselor.cli.console import err, fail, out
from counselor.deps import build_deps
from counselor.errors import CounselorError
from counselor.queue.cards import read_brief
from counselor.settings import get_settings_for_one_question
from counselor.store.ids import new_id


def ask(
    question: Annotated[str, typer.Argument(help="the citizen's question, Korean or English")],
    region: Annotated[str | None, typer.Option(help="the citizen's '시도' or '시도 시군구'")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the answer frame as JSON")] = False,
    audit: Annotated[bool, typer.Option(help="also print each step's timing and notes (stderr)")] = False,
) -> None:
    """Answer one question with the chat pipeline and print the answer frame (nothing is stored)."""
    deps = build_deps(get_settings_for_one_question())
    sido = district = None
    if region:
        try:
            place = deps.regions.parse(region)
        except ValueError as exc:
            fail(str(exc))
        sido, district = place.sido, place.district

    async def stream(token: str) -> None:
        if not as_json:
            sys.stdout.write(token)
            sys.stdout.flush()

    try:
        ctx = TurnContext(question=question, message_id=new_id(), sido=sido, district=district, emit=stream)
        asyncio.run(deps.pipeline.run(ctx))
    except CounselorError as exc:
        fail(str(exc))
    frame = ctx.frame()
    if audit:
        for step in ctx.steps:
            err.print(f"{step.name:13} {step.ms:8.1f} ms  {step.note}", highlight=False)
    if as_json:
        sys.stdout.write(frame.model_dump_json(indent=1) + "\n")
    else:
        print_answer(frame)


def print_answer(frame: AnswerFrame) -> None:
    out.print()
    out.print(Markdown(frame.text))
    for c in frame.citations:
        out.print(f"[{c.number}] {c.title} — {c.section} ({c.source})", highlight=False)
    reason = f", {frame.reason}" if frame.reason else ""
    out.print(f"[dim]{frame.status}{reason}, confidence {frame.confidence:.2f}[/]")


def queue() -> None:
    """The caseworker queue: waiting tickets, crisis first, then by arrival."""
    tickets = build_deps().store.tickets.queue()
    table = Table("#", "ticket", "priority", "reason", "waiting since", "question")
    for n, t in enumerate(tickets, start=1):
        question = read_brief(t).question[:60]
        table.add_row(
            str(n),
            str(t.id),
            "crisis" if t.priority == 0 else "normal",
            t.reason,
            f"{t.created_at:%Y-%m-%d %H:%M:%S}",
            question,
        )
    out.print(table)
