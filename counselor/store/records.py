"""What the store hands out and takes in: pydantic records, never ORM rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from counselor.store.tickets import TicketView


class StoredMessage(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    seq: int
    conversation_id: str
    role: str
    text: str
    client_id: str | None = None
    reply_to: str | None = None
    payload: dict[str, Any] = Field(default_factory=dict)
    created_at: datetime


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
    reason: str
    detail: str = ""
    question_id: str | None = None
    brief: dict[str, Any] = Field(default_factory=dict)


class TurnState(BaseModel):
    """What a turn reads before it runs, read together: the open ticket, the latest messages, the region
    and the profile."""

    ticket: TicketView | None = None
    position: int | None = None
    recent: list[StoredMessage] = Field(default_factory=list)  # oldest first, the question excluded
    sido: str | None = None
    district: str | None = None
    profile: dict[str, Any] | None = None


class TurnRecord(BaseModel):
    question_id: str
    status: str
    reason: str | None
    confidence: float
    answerer: str
    prompts: list[str] = Field(default_factory=list)
    steps: list[dict[str, Any]] = Field(default_factory=list)
