"""One record per case and suite: what went in, what came out, and its scores. Every summary is computed from
these records alone, so a run folder's ``cases.jsonl`` can be re-summarised, sliced and compared later."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

SuiteName = Literal[
    "retrieval", "answers", "escalation", "safety", "eligibility", "facts", "eligibility_chat", "router", "followup"
]  # fmt: skip
SUITES: tuple[SuiteName, ...] = (
    "retrieval", "answers", "escalation", "safety", "eligibility", "facts", "eligibility_chat", "router", "followup",
)  # fmt: skip


class JudgeScores(BaseModel):
    """An LLM judge's scores for one case over repeated runs. A failed judgement is an error, not a 0."""

    faithfulness: list[float] = Field(default_factory=list)
    relevance: list[float] = Field(default_factory=list)
    errors: list[str] = Field(default_factory=list)


class CaseRecord(BaseModel):
    suite: SuiteName
    dataset: str
    id: str
    lang: str
    tags: list[str] = Field(default_factory=list)
    question: str
    status: str | None = None
    reason: str | None = None
    confidence: float | None = Field(default=None, description="None when a rule stopped the turn before it")
    answer: str = ""
    cited: list[str] = Field(default_factory=list)
    ranked: list[str] = Field(default_factory=list, description="retrieval's policies, best first (titles)")
    expected_policies: list[str] = Field(default_factory=list)
    expected_facts: list[str] = Field(default_factory=list)
    must_escalate: bool = False
    top_correct: bool | None = Field(default=None, description="retrieval's first policy is an expected one")
    scores: dict[str, float | None] = Field(default_factory=dict)
    problems: list[str] = Field(default_factory=list)
    latency_ms: float = 0.0
    error: str | None = Field(default=None, description="the case could not be run; excluded from every mean")
    judge: JudgeScores | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.suite, self.dataset, self.id)


def read_records(path: Path) -> list[CaseRecord]:
    return [CaseRecord.model_validate_json(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
