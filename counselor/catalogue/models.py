"""What the catalogue's API answers: the typed models behind /api/policies and /api/policies/{id}."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from counselor.eligibility.engine import CriterionResult, VerdictKind
from counselor.policies import LifeStage, TargetGroup

STAGE_LABELS: dict[LifeStage, tuple[str, str]] = {
    LifeStage.PREGNANCY_BIRTH: ("임신·출산", "Pregnancy & birth"),
    LifeStage.INFANCY: ("영유아", "Infants"),
    LifeStage.CHILDHOOD: ("아동·청소년", "Children & teens"),
    LifeStage.YOUTH: ("청년", "Young adults"),
    LifeStage.MIDDLE_AGE: ("중장년", "Middle age"),
    LifeStage.OLD_AGE: ("노년", "Older adults"),
}
GROUP_LABELS: dict[TargetGroup, tuple[str, str]] = {
    TargetGroup.LOW_INCOME: ("저소득", "Low income"),
    TargetGroup.SINGLE_PARENT: ("한부모·조손", "Single parents"),
    TargetGroup.MULTI_CHILD: ("다자녀", "Large families"),
    TargetGroup.DISABLED: ("장애", "Disability"),
    TargetGroup.VETERAN: ("보훈", "Veterans"),
    TargetGroup.MULTICULTURAL: ("다문화", "Multicultural families"),
    TargetGroup.NORTH_KOREAN_DEFECTOR: ("북한이탈주민", "North Korean defectors"),
    TargetGroup.INFERTILITY: ("난임", "Infertility"),
    TargetGroup.CAREGIVER: ("가족돌봄", "Family caregivers"),
    TargetGroup.UNEMPLOYED: ("실직·구직", "Job seekers"),
    TargetGroup.CRISIS: ("위기가구", "Households in crisis"),
}

SectionKind = Literal["summary", "target", "content", "method", "contact", "faq", "other", "english"]


class FacetCount(BaseModel):
    value: str
    label: str
    label_en: str
    count: int = Field(description="policies matching every other filter and this value")


class RegionCount(BaseModel):
    value: str
    count: int


class Facets(BaseModel):
    stages: list[FacetCount]
    groups: list[FacetCount]
    sidos: list[RegionCount]
    districts: list[RegionCount] = Field(description="the chosen sido's districts; empty before one is chosen")


class PolicySummary(BaseModel):
    policy_id: str
    title: str
    title_en: str | None = None
    gives: str = Field(description="one line of what it gives, from the policy's own text")
    amount: str | None = Field(default=None, description="the first amount in won the text names, if any")
    who: str = Field(description="one line of whom it is for")
    summary_en: str | None = None
    region: str = Field(description="전국, or the province and district")
    region_level: Literal["national", "sido", "district"]
    life_stages: list[LifeStage]
    target_groups: list[TargetGroup]
    verdict: VerdictKind | None = Field(default=None, description="for the citizen's profile, when a token came")


class CataloguePage(BaseModel):
    total: int
    page: int
    pages: int
    page_size: int
    query: str | None = None
    items: list[PolicySummary]
    facets: Facets


class PolicySection(BaseModel):
    heading: str
    kind: SectionKind
    text: str


class Eligibility(BaseModel):
    verdict: VerdictKind
    criteria: list[CriterionResult]
    missing: list[str]


class PolicyDetail(PolicySummary):
    source: str = Field(description="the document the text comes from")
    source_page: int | None = None
    edition: str = Field(description="the edition or update month of the source")
    url: str | None = None
    organization: str = ""
    category: str = ""
    source_path: str = Field(description="the knowledge file, relative to its folder")
    sections: list[PolicySection] = Field(description="대상, 지원 내용, 신청 방법, 문의, 자주하는 질문, in that order")
    ask: str = Field(description="the question '이 제도에 대해 물어보기' puts to the chat")
    ask_en: str
    eligibility: Eligibility | None = Field(default=None, description="only with the citizen's token and profile")
