"""Every event the bus carries, one model per ``type``, dumped and read back through one adapter (``EVENTS``).
The chat and the caseworkers' services both announce tickets and case messages, through ``ticket_event`` and
``case_message`` here.

- ``ticket`` (topic ``queue``): a ticket was created or changed; its card.
- ``case_message`` (topic ``case:<conversation>``): a message of the case, for consoles watching it.
- ``case_note`` (topic ``case:<conversation>``): a private note, for consoles watching the case. The citizen's
  socket never subscribes to a ``case:`` topic.
- ``crisis_overdue`` (topic ``queue``): a crisis ticket waited unclaimed past ``crisis_realert_minutes``; the
  console socket forwards it to supervisors only.
- ``session_ended`` (topic ``queue``): a caseworker logged out; consoles opened with that session close.
- ``counselor_message``, ``counselor_joined``, ``returned_to_bot``, ``requeued``, ``resolved`` (topic
  ``citizen:<conversation>``): the citizen's frames (counselor/shared_frames.py), as their socket sends them.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, TypeAdapter

from counselor.queue.cards import TicketCard
from counselor.shared_frames import CounselorMessageFrame, HandoffFrame
from counselor.store.notes import NoteView
from counselor.store.records import StoredMessage

QUEUE_TOPIC = "queue"


def citizen_topic(conversation_id: str) -> str:
    return f"citizen:{conversation_id}"


def case_topic(conversation_id: str) -> str:
    return f"case:{conversation_id}"


class TicketEvent(TicketCard):
    type: Literal["ticket"] = "ticket"


class CaseMessageEvent(BaseModel):
    type: Literal["case_message"] = "case_message"
    ticket_id: int
    message: StoredMessage


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


AnyBusEvent = (
    TicketEvent
    | CaseMessageEvent
    | CaseNoteEvent
    | CrisisOverdueEvent
    | SessionEndedEvent
    | CounselorMessageFrame
    | HandoffFrame
)
BusEvent = Annotated[AnyBusEvent, Field(discriminator="type")]
EVENTS: TypeAdapter[AnyBusEvent] = TypeAdapter(BusEvent)


def ticket_event(card: TicketCard) -> TicketEvent:
    return TicketEvent(**dict(card))


def case_message(ticket_id: int, message: StoredMessage) -> tuple[str, CaseMessageEvent]:
    """The topic and event that show consoles watching a case one of its messages."""
    return case_topic(message.conversation_id), CaseMessageEvent(ticket_id=ticket_id, message=message)
