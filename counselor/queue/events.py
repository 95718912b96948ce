"""The bus events casework adds (the older ``ticket`` and ``case_message`` events are still built by hand;
issue 19 types them all). Each is dumped to a JSON-ready dict for the bus and read back on the console socket.

- ``case_note`` (topic ``case:<conversation>``): a private note, for consoles watching the case. The citizen's
  socket never subscribes to a ``case:`` topic.
- ``crisis_overdue`` (topic ``queue``): a crisis ticket waited unclaimed past ``crisis_realert_minutes``; the
  console socket forwards it to supervisors only.
- ``session_ended`` (topic ``queue``): a caseworker logged out; consoles opened with that session close.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from counselor.queue.cards import TicketCard
from counselor.store.notes import NoteView


class CaseNoteEvent(BaseModel):
    type: Literal["case_note"] = "case_note"
    ticket_id: int
    note: NoteView


class CrisisOverdueEvent(TicketCard):
    type: Literal["crisis_overdue"] = "crisis_overdue"
    minutes: float


class SessionEndedEvent(BaseModel):
    type: Literal["session_ended"] = "session_ended"
    session: str  # the SHA-256 of the session's token, never the token
