"""What a stored message carries besides its text, one model per role: the kinds of identifier masked in a
citizen's message, the answer frame of a bot's reply, a caseworker's name and links, a handoff event's name.

The stored JSON keeps the shape it always had, with no tag in it: the message's ``role`` column says which
payload a row holds, so ``StoredMessage`` hands the role to the union as it reads a row (``tagged``) and the
tag is never written back (``exclude``). Every field a payload gained later has a default, so an older row
still reads.
"""

from __future__ import annotations

import logging
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, Field, JsonValue, ValidationError, model_serializer

from counselor.chat.frames import AnswerFrame
from counselor.shared_frames import HandoffEvent, PolicyLink

log = logging.getLogger(__name__)


class Role(StrEnum):
    """Who a message is from (the ``messages.role`` column)."""

    CITIZEN = "citizen"
    BOT = "bot"  # an answer of the pipeline
    SYSTEM = "system"  # the bot's word while a caseworker is awaited: also an answer frame
    COUNSELOR = "counselor"  # a caseworker's message to the citizen
    EVENT = "event"  # a caseworker's action the citizen is told of (joined, returned, resolved)


class CitizenPayload(BaseModel):
    role: Literal[Role.CITIZEN] = Field(default=Role.CITIZEN, exclude=True)
    masked: list[str] = Field(default_factory=list, description="kinds of personal identifiers masked")


class AnswerPayload(BaseModel):
    """The answer frame the citizen was sent, stored without what the row itself holds (its id and text)."""

    role: Literal[Role.BOT, Role.SYSTEM] = Field(default=Role.BOT, exclude=True)
    frame: AnswerFrame | None = Field(
        default=None, description="None: a row written without a frame (a test's, a tool's), or one no longer valid"
    )

    @model_serializer
    def _stored(self) -> dict[str, JsonValue]:  # the column's JSON: the frame less the row's own fields
        if self.frame is None:
            return {}
        return self.frame.model_dump(mode="json", exclude={"message_id", "text", "type"})


class CounselorPayload(BaseModel):
    role: Literal[Role.COUNSELOR] = Field(default=Role.COUNSELOR, exclude=True)
    counselor: str = ""
    links: list[PolicyLink] = Field(default_factory=list)


class EventPayload(BaseModel):
    role: Literal[Role.EVENT] = Field(default=Role.EVENT, exclude=True)
    event: HandoffEvent
    counselor: str = ""
    ticket_id: int | None = None  # None: an event stored before events named their ticket


AnyPayload = CitizenPayload | AnswerPayload | CounselorPayload | EventPayload
MessagePayload = Annotated[AnyPayload, Field(discriminator="role")]


def tagged(role: str, message_id: str, text: str, stored: object) -> object:
    """A row's payload as the union reads it: the role as its tag, and for an answer the frame rebuilt with
    the row's id and text. ``stored`` is what the column holds (JSON, untyped until validated here), or a
    payload model already."""
    if isinstance(stored, BaseModel) or not isinstance(stored, dict):
        return stored
    if role not in (Role.BOT, Role.SYSTEM):
        return {**stored, "role": role}
    if not stored:
        return {"role": role}
    try:
        frame = AnswerFrame.model_validate({**stored, "message_id": message_id, "text": text})
    except ValidationError:
        log.warning("stored answer %s does not hold a valid answer frame", message_id)
        return {"role": role}
    return {"role": role, "frame": frame}
