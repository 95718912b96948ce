"""The console socket's frames, both directions (docs/protocol.md, ``/ws/counselor``).

As on the citizen's socket (counselor/chat/frames.py), client frames are parsed strictly: each action is its
own frame with the fields it needs, and an unknown ``type``, a missing field, an extra one or a wrong type is
a ``bad_frame`` error. Server frames are the replies below and the bus events a console is shown
(counselor/queue/events.py), sent as they are.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from counselor.casework import Outcome
from counselor.chat.frames import ErrorCode, FrameError, PongFrame, read_frame
from counselor.queue.cards import TicketCard
from counselor.queue.events import CaseMessageEvent, CaseNoteEvent, CrisisOverdueEvent, TicketEvent
from counselor.queue.service import Case, Refusal
from counselor.store.notes import NoteView
from counselor.store.records import StoredMessage

MAX_TICKET_ID = 2**63 - 1  # the database's integer: a larger id is a bad frame, not an overflow
TicketId = Annotated[int, Field(ge=1, le=MAX_TICKET_ID)]


class ConsoleError(StrEnum):
    """The socket's own error codes; a refused action's code is a ``Refusal``."""

    BAD_FRAME = "bad_frame"
    UNAUTHORISED = "unauthorised"  # then the socket closes with 4401


class _Frame(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- console -> server ------------------------------------------------------------------------------


class PingAction(_Frame):
    type: Literal["ping"]


class OpenAction(_Frame):
    """Show a case (audited) and watch its messages."""

    type: Literal["open"]
    ticket_id: TicketId


class ClaimAction(_Frame):
    type: Literal["claim"]
    ticket_id: TicketId


class ReturnAction(_Frame):
    """Hand the case back to the bot."""

    type: Literal["return"]
    ticket_id: TicketId


class SendAction(_Frame):
    type: Literal["send"]
    ticket_id: TicketId
    text: str = Field(default="", max_length=4000)
    template: str | None = Field(default=None, max_length=40, description="the ready reply it started from")
    policies: list[str] = Field(default_factory=list, max_length=5, description="policy ids sent as links")


class NoteAction(_Frame):
    type: Literal["note"]
    ticket_id: TicketId
    text: str = Field(max_length=4000)


class TransferAction(_Frame):
    type: Literal["transfer"]
    ticket_id: TicketId
    to: str | None = Field(default=None, min_length=1, max_length=80, description="None: back to the queue")
    note: str = Field(default="", max_length=4000)


class ResolveAction(_Frame):
    type: Literal["resolve"]
    ticket_id: TicketId
    note: str = Field(default="", max_length=4000)
    tags: list[str] = Field(default_factory=list, max_length=20)
    outcome: Outcome | None = None


AnyConsoleAction = (
    PingAction | OpenAction | ClaimAction | ReturnAction | SendAction | NoteAction | TransferAction | ResolveAction
)
ConsoleAction = Annotated[AnyConsoleAction, Field(discriminator="type")]
_actions: TypeAdapter[AnyConsoleAction] = TypeAdapter(ConsoleAction)


def parse_console_frame(raw: str | None) -> AnyConsoleAction:
    """The action, or a FrameError saying what is wrong with the frame (``raw`` None: a binary frame). Its
    code is always ``bad_frame``: the console has one code for a frame it cannot read, bad JSON included."""
    if raw is None:
        raise FrameError(ErrorCode.BAD_FRAME, "binary frames are not accepted: send JSON text frames")
    try:
        return read_frame(raw, _actions)
    except FrameError as exc:
        raise FrameError(ErrorCode.BAD_FRAME, exc.message) from exc


# --- server -> console ------------------------------------------------------------------------------


class QueueFrame(_Frame):
    """On connect: the tickets this caseworker may see."""

    type: Literal["queue"] = "queue"
    tickets: list[TicketCard]


class CaseFrame(Case):
    type: Literal["case"] = "case"


class SentFrame(_Frame):
    type: Literal["sent"] = "sent"
    ticket_id: int
    message: StoredMessage


class NotedFrame(_Frame):
    type: Literal["noted"] = "noted"
    ticket_id: int
    note: NoteView


class TransferredFrame(_Frame):
    """The case went to another caseworker: no longer this one's to read."""

    type: Literal["transferred"] = "transferred"
    ticket_id: int
    to: str | None


class TicketRemovedFrame(_Frame):
    """A ticket this console showed is no longer visible to it (another caseworker claimed it)."""

    type: Literal["ticket_removed"] = "ticket_removed"
    ticket_id: int


class ConsoleErrorFrame(_Frame):
    type: Literal["error"] = "error"
    code: ConsoleError | Refusal
    message: str


ConsoleServerFrame = (
    QueueFrame
    | CaseFrame
    | SentFrame
    | NotedFrame
    | TransferredFrame
    | TicketRemovedFrame
    | ConsoleErrorFrame
    | PongFrame
    | TicketEvent
    | CaseMessageEvent
    | CaseNoteEvent
    | CrisisOverdueEvent
)
