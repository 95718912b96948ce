"""Private notes on a case: written by caseworkers, shown to the caseworkers who open the case, never sent to
the citizen (no code path puts them on the citizen's topic or in a citizen frame; tests/test_console_casework.py
scans every frame)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict
from sqlalchemy.orm import Session

from counselor.store.tables import CaseNote, utcnow

NoteKind = Literal["note", "transfer"]


class NoteView(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    ticket_id: int
    author: str
    kind: NoteKind
    text: str
    created_at: datetime


def note_row(session: Session, ticket_id: int, author: str, text: str, kind: NoteKind) -> CaseNote:
    row = CaseNote(ticket_id=ticket_id, author=author, text=text, kind=kind, created_at=utcnow())
    session.add(row)
    session.flush()
    return row
