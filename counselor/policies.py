"""Pydantic models for policies as they cross boundaries: knowledge files, chunks, search hits."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from counselor.eligibility.criteria import Criterion


class LifeStage(StrEnum):
    PREGNANCY_BIRTH = "pregnancy_birth"
    INFANCY = "infancy"
    CHILDHOOD = "childhood"
    YOUTH = "youth"
    MIDDLE_AGE = "middle_age"
    OLD_AGE = "old_age"


class TargetGroup(StrEnum):
    LOW_INCOME = "low_income"
    SINGLE_PARENT = "single_parent"
    MULTI_CHILD = "multi_child"
    DISABLED = "disabled"
    VETERAN = "veteran"
    ELDERLY = "elderly"
    MULTICULTURAL = "multicultural"
    NORTH_KOREAN_DEFECTOR = "north_korean_defector"
    PREGNANT = "pregnant"
    INFERTILITY = "infertility"
    YOUTH = "youth"
    CHILD = "child"
    CAREGIVER = "caregiver"
    UNEMPLOYED = "unemployed"
    CRISIS = "crisis"


class Region(BaseModel):
    """Where a policy applies. ``national`` policies apply everywhere."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    level: Literal["national", "sido", "district"] = "national"
    sido: str | None = None
    district: str | None = None

    def covers(self, sido: str | None, district: str | None) -> bool:
        """Whether a citizen living in ``sido``/``district`` may use this policy."""
        if self.level == "national":
            return True
        if sido is None or self.sido != sido:
            return False
        return self.level == "sido" or district is None or self.district == district

    @property
    def label(self) -> str:
        return " ".join(p for p in (self.sido, self.district) if p) or "전국"


class PolicyMeta(BaseModel):
    """A knowledge file's front matter. Unknown keys are errors so typos surface on ingest."""

    model_config = ConfigDict(extra="forbid")

    policy_id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]{1,120}$")
    title: str = Field(min_length=1, max_length=300)
    title_en: str | None = Field(default=None, max_length=300, description="the policy's name in English")
    summary_en: str | None = Field(default=None, max_length=1000, description="who and what, in English")
    kind: Literal["national", "local"] = "national"
    source: str = ""
    source_page: int | None = None
    edition: str = ""
    category: str = ""
    subcategory: str = ""
    organization: str = ""
    region: Region = Field(default_factory=Region)
    life_stages: list[LifeStage] = Field(default_factory=list)
    target_groups: list[TargetGroup] = Field(default_factory=list)
    url: str | None = None
    eligibility: list[Criterion] = Field(
        default_factory=list, description="structured criteria with their source sentences (counselor/eligibility)"
    )
    names: list[str] = Field(
        default_factory=list, description="what citizens call the program besides its title (생계급여, 양육수당)"
    )

    @field_validator("edition", mode="before")
    @classmethod
    def _edition_as_text(cls, value: object) -> object:
        # YAML reads `edition: 2025` as an int and `2024-04` stays text; both mean the same thing here.
        return str(value) if isinstance(value, int) else value


class Section(BaseModel):
    heading: str
    text: str


class PolicyDocument(BaseModel):
    meta: PolicyMeta
    sections: list[Section]
    path: str = ""

    @property
    def text(self) -> str:
        return "\n\n".join(f"{s.heading}\n{s.text}" for s in self.sections)


class Chunk(BaseModel):
    """One indexed piece: a section of a policy, always carrying the policy's title."""

    model_config = ConfigDict(frozen=True)

    chunk_id: str
    policy_id: str
    title: str
    title_en: str | None = None
    section: str
    text: str
    source_path: str
    region_level: str
    sido: str | None = None
    district: str | None = None
    life_stages: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    url: str | None = None
    dense_text: str = ""
    lang: Literal["ko", "en"] = "ko"
    eligibility: tuple[Criterion, ...] = ()
    names: tuple[str, ...] = ()  # what citizens call the program (PolicyMeta.names), on the first chunk

    @property
    def embed_text(self) -> str:
        """What the keyword index reads: the title, the section and all of its text."""
        return f"{self.title} — {self.section}: {self.text}"

    @property
    def dense_input(self) -> str:
        """What the embedder reads; may leave out contact lines that carry no meaning (and cost time)."""
        return self.dense_text or self.embed_text


class SearchHit(BaseModel):
    policy_id: str
    title: str
    title_en: str | None = None
    score: float
    section: str
    text: str
    source: str
    url: str | None = None
    region: str = "전국"
    dense_rank: int | None = None
    keyword_rank: int | None = None
