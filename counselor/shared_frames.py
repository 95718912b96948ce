"""Frames and frame parts that both sides of a conversation speak: what a caseworker's action shows the citizen
(``counselor_message`` and the handoff frames, which the bus carries on ``citizen:<id>``), the policy links a
caseworker adds, and the eligibility items an answer and a caseworker's brief both show.

They live here, outside counselor/chat/ and counselor/queue/, so that the queue and the store can use them
without importing the chat package (which imports the queue to publish tickets): no import cycle between the
two. counselor/chat/frames.py re-exports them, so the citizen's protocol still reads as one module.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class StrictFrame(BaseModel):
    """A websocket frame: an unknown field is an error, never ignored."""

    model_config = ConfigDict(extra="forbid")


class CriterionCheck(BaseModel):
    fact: str
    outcome: Literal["met", "not_met", "unknown"]
    source: str  # the policy's own words


class EligibilityItem(BaseModel):
    """A computed verdict (counselor.eligibility; no model decides it), with every criterion and its source."""

    policy_id: str
    title: str
    verdict: Literal["eligible", "likely", "not_eligible", "unknown"]
    criteria: list[CriterionCheck]
    discovered: bool = Field(description="true: a policy the citizen did not ask about, found from their profile")
    subject: str = Field(default="self", description="whose verdict: self, or the relation asked about (mother ...)")
    source: str = ""
    url: str | None = None


class PolicyLink(BaseModel):
    """A policy a caseworker links in a message: its page is ``/policies/<policy_id>``."""

    policy_id: str
    title: str


class CounselorMessageFrame(StrictFrame):
    """A caseworker's message to the citizen."""

    type: Literal["counselor_message"] = "counselor_message"
    message_id: str
    text: str
    counselor: str
    links: list[PolicyLink] = Field(default_factory=list)


# What a caseworker's action shows the citizen: the handoff frame's type and the stored event message's name.
HandoffEvent = Literal["counselor_joined", "returned_to_bot", "requeued", "resolved"]


class HandoffFrame(StrictFrame):
    """A caseworker joined the chat (``counselor_joined``, also when a case is handed to another caseworker),
    handed it back to the bot, handed it back to the queue for someone else (``requeued``), or closed the case."""

    type: HandoffEvent
    message_id: str
    counselor: str
