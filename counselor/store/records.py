"""What the store hands out and takes in: pydantic records, never ORM rows."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, JsonValue, model_validator

from counselor.chat.statuses import EscalationReason, TurnStatus
from counselor.jsontypes import JsonObject
from counselor.store.payloads import MessagePayload, Role, tagged
from counselor.store.tickets import TicketView


class StoredMessage(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    seq: int
    conversation_id: str
    role: Role
    text: str
    client_id: str | None = None
    reply_to: str | None = None
    payload: MessagePayload = Field(description="its model follows from role")
    created_at: datetime

    @model_validator(mode="before")
    @classmethod
    def _payload_of_role(cls, data: object) -> object:
        """A row (or its JSON) names no payload model: its role does. A missing payload is the role's empty one."""
        fields = data if isinstance(data, dict) else {n: getattr(data, n) for n in cls.model_fields if hasattr(data, n)}
        role = fields.get("role")
        if not isinstance(role, str):
            return data
        stored = fields.get("payload")
        payload = tagged(role, str(fields.get("id", "")), str(fields.get("text", "")), {} if stored is None else stored)
        return {**fields, "payload": payload}

    @model_validator(mode="after")
    def _payload_matches_role(self) -> StoredMessage:
        if self.payload.role != self.role:
            raise ValueError(f"a {self.role} message cannot hold a {self.payload.role} payload")
        return self

    def stored_payload(self) -> dict[str, JsonValue]:  # the JSON column's value, in the shape rows always had
        return self.payload.model_dump(mode="json")


class Candidate(BaseModel):
    policy_id: str
    title: str
    section: str = ""
    source: str = ""


class TicketBrief(BaseModel):
    """What a ticket's brief holds, written when the turn escalates. Read tolerantly: a brief written before a
    field existed lacks it."""

    model_config = ConfigDict(extra="allow")

    question: str = ""
    standalone: str = ""
    answer: str = ""
    candidates: list[Candidate] = Field(default_factory=list)
    language: str = "ko"
    sido: str | None = None
    district: str | None = None


class TicketDraft(BaseModel):
    priority: int
    reason: EscalationReason
    detail: str = ""
    question_id: str | None = None
    brief: TicketBrief | None = None


class TurnState(BaseModel):
    """What a turn reads before it runs, read together: the open ticket, the latest messages, the region
    and the profile."""

    ticket: TicketView | None = None
    position: int | None = None
    recent: list[StoredMessage] = Field(default_factory=list)  # oldest first, the question excluded
    sido: str | None = None
    district: str | None = None
    profile: JsonObject | None = None  # read by the service, which tolerates an older shape


# What a step keeps for the audit record: its own findings, as JSON. Free-form on purpose: each step writes
# what matters to it, and only people auditing a turn read it back (no code branches on it).
StepNote = Mapping[str, object]
# The same note while a step writes it (steps add findings as they go, then return it as a StepNote).
NoteDraft = dict[str, object]


class StepRecord(BaseModel):
    """Stored on the turn so an answer can be audited: how long each step took and what it saw or produced."""

    name: str
    ms: float
    stopped: bool = False
    note: StepNote = Field(default_factory=dict)
    raw_output: str | None = Field(default=None, description="a model's text exactly as it came back")
    error: str | None = None


class TurnRecord(BaseModel):
    question_id: str
    status: TurnStatus
    reason: EscalationReason | None
    confidence: float
    answerer: str
    prompts: list[str] = Field(default_factory=list)
    steps: list[StepRecord] = Field(default_factory=list)


class StoredTurn(TurnRecord):
    """A turn as read back, with the answer it produced."""

    model_config = ConfigDict(from_attributes=True)

    answer_id: str
