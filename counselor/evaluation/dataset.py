"""Evaluation cases: one JSON object per line, validated on load so a typo fails loudly, with its line."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from counselor.errors import CounselorError
from counselor.jsontypes import JsonObject


class DatasetError(CounselorError):
    pass


RouteLabel = Literal["welfare", "crisis", "distress", "person", "own_case", "off_topic", "small_talk", "vague"]


class PriorCitizenTurn(BaseModel):
    """A turn before the one scored: what the citizen wrote and the policy the bot answered with."""

    model_config = ConfigDict(extra="forbid")

    citizen: str = Field(min_length=1)
    policy: str | None = None
    bot: str | None = Field(default=None, description="the counselor's reply, where it matters (a question it asked)")


class EvalCase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    question: str = Field(min_length=1)
    lang: Literal["ko", "en", "mixed"]
    expected_policies: list[str] = Field(default_factory=list, description="policy ids or exact titles")
    expected_facts: list[str] = Field(default_factory=list)
    must_escalate: bool = False
    region: str | None = Field(default=None, description="'시도' or '시도 시군구', e.g. '전라남도 광양시'")
    profile: JsonObject | None = None
    tags: list[str] = Field(default_factory=list)
    expected_status: Literal["answered", "needs_more_info", "out_of_scope", "escalated", "crisis", "error"] | None = (
        None
    )
    identifiers: list[str] = Field(
        default_factory=list, description="personal identifiers in the question that must never be stored or shown"
    )
    expected_verdict: Literal["eligible", "likely", "not_eligible", "unknown"] | None = Field(
        default=None, description="eligibility cases: the verdict for `profile` and the one expected policy"
    )
    today: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$", description="the date a verdict is for")
    expected_profile: JsonObject | None = Field(
        default=None, description="fact cases: the facts the question states (counselor.eligibility.Profile fields)"
    )
    unchanged_from: str | None = Field(
        default=None, description="injection cases: the plain question whose answer the injected one must match"
    )
    expected_route: RouteLabel | None = Field(default=None, description="router cases: what the message is")
    crisis_kind: Literal["suicide_self_harm", "violence_abuse", "child_in_danger", "basic_needs_today"] | None = None
    about: Literal["self", "other"] | None = Field(default=None, description="router crisis cases: who is in danger")
    history: list[PriorCitizenTurn] = Field(default_factory=list, description="turns before the scored message")
    situation: str | None = Field(default=None, description="the persona a held-out case was written from")

    @model_validator(mode="before")
    @classmethod
    def _router_rows(cls, data: Any) -> Any:
        """Router sets are written as {message, expected, policy, ...}: the same case under other names."""
        if isinstance(data, dict) and "message" in data and "question" not in data:
            data = dict(data)
            data["question"] = data.pop("message")
            data["expected_route"] = data.pop("expected", None)
            policy = data.pop("policy", None)
            if policy:
                data["expected_policies"] = [policy]
        return data

    @field_validator("region")
    @classmethod
    def _region_words(cls, value: str | None) -> str | None:
        if value is not None and not 1 <= len(value.split()) <= 2:
            raise ValueError("region is '시도' or '시도 시군구'")
        return value

    @property
    def sido(self) -> str | None:
        return self.region.split()[0] if self.region else None

    @property
    def district(self) -> str | None:
        parts = self.region.split() if self.region else []
        return parts[1] if len(parts) > 1 else None

    def matches(self, policy_id: str, title: str) -> bool:
        return policy_id in self.expected_policies or title in self.expected_policies


def load_cases(path: Path) -> list[EvalCase]:
    cases: list[EvalCase] = []
    seen: set[str] = set()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DatasetError(f"{path}: cannot read ({exc.strerror})") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            case = EvalCase.model_validate_json(line)
        except ValidationError as exc:
            raise DatasetError(f"{path}:{number}: {exc.errors()[0]['msg']} ({exc.errors()[0]['loc']})") from exc
        if case.id in seen:
            raise DatasetError(f"{path}:{number}: duplicate id {case.id}")
        seen.add(case.id)
        cases.append(case)
    return cases
