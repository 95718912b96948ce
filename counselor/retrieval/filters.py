"""Search filters, applied the same way by every index."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from counselor.policies import Chunk, LifeStage, TargetGroup

# Chroma's metadata filter: {"field": value}, or {"$and" | "$or": [filter, ...]}.
Where = dict[str, "str | bool | list[Where]"]


class SearchFilter(BaseModel):
    """A citizen's region keeps national policies and their own province's and district's, nobody else's."""

    model_config = ConfigDict(frozen=True)

    sido: str | None = None
    district: str | None = None
    life_stage: LifeStage | None = None
    target_group: TargetGroup | None = None
    national_only: bool = False
    lang: Literal["ko", "en"] | None = Field(default=None, description="only chunks written in this language")
    all_regions: bool = Field(default=False, description="search every region's policies, not only national")

    @property
    def is_empty(self) -> bool:
        return not (
            self.sido or self.district or self.life_stage or self.target_group or self.national_only or self.lang
        )

    @property
    def has_region(self) -> bool:
        return bool(self.sido or self.district or self.national_only or self.all_regions)

    def matches(self, chunk: Chunk) -> bool:
        if self.lang and chunk.lang != self.lang:
            return False
        if self.national_only and chunk.region_level != "national":
            return False
        if (self.sido or self.district) and chunk.region_level != "national":
            if self.sido and chunk.sido != self.sido:
                return False
            if chunk.region_level == "district" and self.district and chunk.district != self.district:
                return False
        if self.life_stage and self.life_stage.value not in chunk.life_stages:
            return False
        return not (self.target_group and self.target_group.value not in chunk.target_groups)

    def to_chroma_where(self) -> Where | None:
        clauses: list[Where] = []
        if self.lang:
            clauses.append({"lang": self.lang})
        if self.national_only:
            clauses.append({"region_level": "national"})
        elif self.sido or self.district:
            local: list[Where] = []
            if self.sido:
                local.append({"sido": self.sido})
            if self.district:
                local.append({"$or": [{"region_level": "sido"}, {"district": self.district}]})
            region_clause: Where = local[0] if len(local) == 1 else {"$and": local}
            clauses.append({"$or": [{"region_level": "national"}, region_clause]})
        if self.life_stage:
            clauses.append({f"ls_{self.life_stage.value}": True})
        if self.target_group:
            clauses.append({f"tg_{self.target_group.value}": True})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def chroma_metadata(chunk: Chunk) -> dict[str, str | bool]:
    meta: dict[str, str | bool] = {
        "policy_id": chunk.policy_id,
        "region_level": chunk.region_level,
        "lang": chunk.lang,
    }
    if chunk.sido:
        meta["sido"] = chunk.sido
    if chunk.district:
        meta["district"] = chunk.district
    for stage in chunk.life_stages:
        meta[f"ls_{stage}"] = True
    for group in chunk.target_groups:
        meta[f"tg_{group}"] = True
    return meta
