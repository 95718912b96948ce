"""One turn's context: what every pipeline step reads and writes, and the audit record of each step."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

from counselor.chat.frames import AnswerFrame, Citation, EligibilityItem, RelatedPolicy
from counselor.chat.routing.decide import RouteDecision
from counselor.chat.sources import PolicyText
from counselor.chat.statuses import EscalationReason, TurnStatus
from counselor.eligibility.profile import Profile
from counselor.policies import SearchHit
from counselor.store.records import NoteDraft, StepNote, StepRecord

__all__ = ["Authorship", "ModelOutput", "NoteDraft", "PriorTurn", "Revision", "StepNote", "StepRecord", "TurnContext"]


@dataclass(frozen=True)
class ModelOutput:
    """What a step that ran a model returns: its note, and the model's text exactly as it came back, which
    the pipeline keeps apart from the note (``StepRecord.raw_output``)."""

    note: StepNote
    raw: str | None


class Revision(StrEnum):
    """What became of the answerer's draft before the citizen saw it."""

    FALLBACK = "fallback"  # the answerer failed: the extractive answer stood in
    TRIMMED = "trimmed"  # the output guard took out the sentences whose claims no cited source makes
    REWRITTEN = "rewritten"  # the output guard replaced the draft with the extractive answer


@dataclass(frozen=True)
class Authorship:
    """Which answerer wrote the answer's text, and what became of it: kept as fields so that no code has to read
    it back from the audit label ("extractive (fallback)"), which is only its rendering for the turn record."""

    answerer: str  # the answerer's name: "extractive", "ollama:qwen2.5:7b-instruct", ...
    revision: Revision | None = None

    @property
    def label(self) -> str:
        return f"{self.answerer} ({self.revision.value})" if self.revision else self.answerer


class PriorTurn(BaseModel):
    """What the conversation so far contributes: the citizen's words and the policies the bot cited."""

    question: str
    answer: str
    policy_titles: list[str] = Field(default_factory=list)
    status: TurnStatus | None = None  # how the bot's reply ended (a clarifying question is asked once)


@dataclass
class TurnContext:
    question: str  # already masked
    conversation_id: str = ""
    message_id: str = ""  # the answer's id, known before streaming so token frames can carry it
    reply_to: str | None = None
    history: list[PriorTurn] = field(default_factory=list)
    sido: str | None = None
    district: str | None = None
    language: Literal["ko", "en"] = "ko"
    masked_kinds: list[str] = field(default_factory=list)
    standalone: str = ""  # the question as it would read on its own ("그럼 신청은?" -> "기초연금 신청은?")
    injection: bool = False
    route: RouteDecision | None = None  # what the router made of the message (Route step)
    follow_up: bool = False  # about the policy of the previous answer
    uncertain: bool = False  # answered from weak retrieval: the reply says so
    hits: list[SearchHit] = field(default_factory=list)
    sources: list[PolicyText] = field(default_factory=list)  # what the answer may cite, numbered from 1
    confidence: float = 0.0
    answer: str = ""
    citations: list[Citation] = field(default_factory=list)
    related: list[RelatedPolicy] = field(default_factory=list)
    written_by: Authorship | None = None  # set by Compose, revised by the output guard
    status: TurnStatus | None = None
    reason: EscalationReason | None = None
    detail: str = ""  # the reason in words, for the caseworker's brief
    steps: list[StepRecord] = field(default_factory=list)
    prompts: list[str] = field(default_factory=list)  # name@version of every prompt the turn used
    emit: Callable[[str], Awaitable[None]] | None = None  # where streamed tokens go
    signals: dict[str, float] = field(default_factory=dict)  # retrieval signals behind the confidence
    profile: Profile = field(default_factory=Profile)  # what the citizen has told us, this message included
    profile_changed: bool = False
    facts_stated: list[str] = field(default_factory=list)  # the facts this message stated (Remember)
    only_facts: bool = False  # the message says nothing but facts: a reply to the bot's question, a correction
    without_facts: str | None = None  # the message less its ages, children, place, program names (Remember)
    named_policy: str | None = None  # the title of the program an eligibility question is about (Remember)
    eligibility: list[EligibilityItem] = field(default_factory=list)
    asks: str | None = None

    @property
    def answerer(self) -> str:
        """The audit label of who wrote the answer ("extractive (fallback)"); empty before Compose."""
        return self.written_by.label if self.written_by else ""

    @property
    def stopped(self) -> bool:
        return self.status is not None

    def stop(self, status: TurnStatus, reply: str, reason: EscalationReason | None = None, detail: str = "") -> None:
        self.status, self.answer, self.reason, self.detail = status, reply, reason, detail

    def frame(self, queue_position: int | None = None) -> AnswerFrame:
        return AnswerFrame(
            message_id=self.message_id,
            reply_to=self.reply_to,
            text=self.answer,
            citations=self.citations,
            related=self.related,
            confidence=round(min(max(self.confidence, 0.0), 1.0), 3),
            status=self.status or TurnStatus.ERROR,
            reason=self.reason,
            queue_position=queue_position,
            language=self.language,
            eligibility=self.eligibility,
            asks=self.asks,
        )
