"""Websocket frames, both directions (docs/protocol.md shows an example of each).

Client frames are parsed strictly: an unknown ``type``, a missing field or an extra one is a ``bad_frame``
error, so a client bug surfaces at once instead of being half-understood.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Literal, TypeVar

from pydantic import BaseModel, Field, JsonValue, TypeAdapter, ValidationError

from counselor.casework import FeedbackReason
from counselor.chat.statuses import EscalationReason, TurnStatus
from counselor.errors import BadInputError
from counselor.shared_frames import CounselorMessageFrame as CounselorMessageFrame
from counselor.shared_frames import CriterionCheck as CriterionCheck
from counselor.shared_frames import EligibilityItem as EligibilityItem
from counselor.shared_frames import HandoffEvent as HandoffEvent
from counselor.shared_frames import HandoffFrame as HandoffFrame
from counselor.shared_frames import PolicyLink as PolicyLink
from counselor.shared_frames import StrictFrame


class ErrorCode(StrEnum):
    BAD_JSON = "bad_json"
    BAD_FRAME = "bad_frame"
    TOO_LONG = "too_long"
    EMPTY = "empty"
    RATE_LIMITED = "rate_limited"
    BAD_TOKEN = "bad_token"
    NOT_READY = "not_ready"
    INTERNAL = "internal"


F = TypeVar("F")


class FrameError(BadInputError):
    """A client frame that cannot be used; carries the code the error frame will show."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# The frames the caseworkers' side sends the citizen, and the parts an answer shares with the console, live in
# counselor/shared_frames.py so counselor/queue/ and counselor/store/ need not import counselor/chat/.
_Frame = StrictFrame


# --- client -> server -------------------------------------------------------------------------------


class MessageFrame(_Frame):
    type: Literal["message"]
    text: str
    client_id: str | None = Field(default=None, min_length=1, max_length=100)


class PingFrame(_Frame):
    type: Literal["ping"]


class ProfileRequestFrame(_Frame):
    """The citizen's profile: ``get`` it, ``set`` facts (a correction wins over what was read from the chat),
    ``remove`` some facts, or ``erase`` it all (deleted from storage)."""

    type: Literal["profile"]
    action: Literal["get", "set", "remove", "erase"]
    facts: dict[str, JsonValue] = Field(default_factory=dict, description="set: Profile fields and their values")
    names: list[str] = Field(default_factory=list, description="remove: Profile field names")


class FeedbackFrame(_Frame):
    """Whether a bot answer helped (도움이 됐어요 / 아니에요), and if not, optionally why. Rating again replaces it."""

    type: Literal["feedback"]
    message_id: str = Field(min_length=1, max_length=32, description="the answer's message_id")
    helpful: bool
    reason: FeedbackReason | None = None


class SatisfactionFrame(_Frame):
    """After a chat with a caseworker: how satisfied, 1 (not at all) to 5 (very)."""

    type: Literal["satisfaction"]
    message_id: str = Field(min_length=1, max_length=32, description="the resolved / returned_to_bot message_id")
    rating: int = Field(ge=1, le=5)


AnyClientFrame = MessageFrame | PingFrame | ProfileRequestFrame | FeedbackFrame | SatisfactionFrame
ClientFrame = Annotated[AnyClientFrame, Field(discriminator="type")]
_client_frames: TypeAdapter[AnyClientFrame] = TypeAdapter(ClientFrame)


def parse_client_frame(raw: str, max_chars: int | None = None) -> AnyClientFrame:
    """The frame, or a FrameError saying what is wrong with it. ``max_chars``: the longest message text (the
    one place the limit is checked, before anything is stored)."""
    frame = read_frame(raw, _client_frames)
    if max_chars is not None and isinstance(frame, MessageFrame) and len(frame.text.strip()) > max_chars:
        raise FrameError(ErrorCode.TOO_LONG, f"a message may have at most {max_chars} characters")
    return frame


def read_frame(raw: str, frames: TypeAdapter[F]) -> F:
    """One frame of a socket's union, read strictly (the console's socket reads its own union here too), or a
    FrameError: ``bad_json``, or ``bad_frame`` saying what is wrong."""
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise FrameError(ErrorCode.BAD_JSON, "the frame is not valid JSON") from exc
    except ValueError as exc:  # an integer longer than Python reads (4,300 digits)
        raise FrameError(ErrorCode.BAD_FRAME, "a number in the frame is too long") from exc
    try:
        # A lone surrogate ("\\ud800") parses but cannot be stored or sent back: refuse it here.
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeError as exc:
        raise FrameError(ErrorCode.BAD_FRAME, "the frame holds text that is not valid Unicode") from exc
    if not isinstance(data, dict) or "type" not in data:
        raise FrameError(ErrorCode.BAD_FRAME, "a frame is a JSON object with a 'type'")
    try:
        return frames.validate_python(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "frame"
        raise FrameError(ErrorCode.BAD_FRAME, f"{where}: {first['msg']}") from exc


# --- server -> client -------------------------------------------------------------------------------


class Citation(BaseModel):
    number: int = Field(description="the [n] the answer text uses")
    policy_id: str
    title: str
    section: str
    source: str
    url: str | None = None


class RelatedPolicy(BaseModel):
    """A policy worth a look besides the answer: named, not cited (the answer's facts come from citations)."""

    policy_id: str
    title: str
    title_en: str | None = None


class SessionFrame(_Frame):
    type: Literal["session"] = "session"
    session_id: str
    token: str
    resumed: bool = False
    last_message_id: str | None = None
    handoff: Literal["waiting", "claimed"] | None = Field(
        default=None, description="a caseworker is awaited (waiting) or has the chat (claimed)"
    )
    counselor: str | None = None
    queue_position: int | None = None


class AckFrame(_Frame):
    """The citizen's message is stored (masked); replayed on resume like every stored message."""

    type: Literal["ack"] = "ack"
    message_id: str
    client_id: str | None = None
    text: str
    masked: list[str] = Field(default_factory=list, description="kinds of personal identifiers masked")
    duplicate: bool = False


class TokenFrame(_Frame):
    type: Literal["token"] = "token"
    message_id: str
    text: str


class AnswerFrame(_Frame):
    type: Literal["answer"] = "answer"
    message_id: str
    reply_to: str | None = None
    text: str
    citations: list[Citation] = Field(default_factory=list)
    related: list[RelatedPolicy] = Field(default_factory=list)
    confidence: float = Field(ge=0.0, le=1.0)
    status: TurnStatus
    reason: EscalationReason | None = None
    queue_position: int | None = None
    language: Literal["ko", "en"] = "ko"
    eligibility: list[EligibilityItem] = Field(default_factory=list)
    asks: str | None = Field(default=None, description="the profile fact the answer asks for, if it asks one")


class ProfileFrame(_Frame):
    """The facts the service keeps for this conversation (after a change, or on request)."""

    type: Literal["profile"] = "profile"
    facts: Mapping[str, object]  # Profile.known(): the facts set, by name
    erased: bool = False


class ErrorFrame(_Frame):
    type: Literal["error"] = "error"
    code: ErrorCode
    message: str


class PongFrame(_Frame):
    type: Literal["pong"] = "pong"


class FeedbackSavedFrame(_Frame):
    """A rating is stored (the reply to feedback and satisfaction frames; replayed on resume)."""

    type: Literal["feedback_saved"] = "feedback_saved"
    message_id: str
    helpful: bool | None = None
    reason: FeedbackReason | None = None
    rating: int | None = None


ServerFrame = (
    SessionFrame
    | AckFrame
    | TokenFrame
    | AnswerFrame
    | ErrorFrame
    | PongFrame
    | CounselorMessageFrame
    | HandoffFrame
    | ProfileFrame
    | FeedbackSavedFrame
)
