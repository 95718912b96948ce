"""Every policy in the knowledge folders, browsable by life stage, target group and region.

Built once from the knowledge files (the index keeps chunks, not a policy's source, edition or sections as
written). Filters are boolean columns over the ~3,000 entries held in memory: a page with its counts costs
about a millisecond, so there is nothing to index. Text search goes through the chat's hybrid retriever and
keeps its order.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from counselor.catalogue.models import (
    GROUP_LABELS,
    STAGE_LABELS,
    CataloguePage,
    FacetCount,
    Facets,
    PolicyDetail,
    PolicySection,
    PolicySummary,
    RegionCount,
    SectionKind,
)
from counselor.catalogue.tagging import tag_document
from counselor.errors import DocumentError
from counselor.policies import LifeStage, PolicyDocument, TargetGroup
from ingestion.loaders import discover, load_document

PAGE_SIZE = 20
# The booklet's order of a policy's sections; anything else keeps its place after them.
SECTION_KINDS: dict[str, SectionKind] = {
    **dict.fromkeys(("개요", "요약", "사업개요"), "summary"),
    **dict.fromkeys(("대상", "자격", "지원대상", "지원대상 및 기준", "선정기준", "연령", "소득기준"), "target"),
    "제외대상": "target",
    **dict.fromkeys(("내용", "지원내용", "지원 내용", "지원 정보", "급여종류", "지원금액", "지급 기준"), "content"),
    **dict.fromkeys(("방법", "신청", "신청방법", "신청 방법", "신청기간"), "method"),
    **dict.fromkeys(("문의", "기관", "연락처", "문의처", "누리집", "지원기관"), "contact"),
    "자주하는 질문": "faq",
}
KIND_ORDER: tuple[SectionKind, ...] = ("summary", "target", "content", "other", "method", "contact", "faq")
_AMOUNT = re.compile(r"(?:(?:월|연|최대|1인당|1회)\s?)*\d[\d,.]*(?:\s?(?:억|만|천)(?:\s?\d[\d,.]*)?)*\s?원")
_SENTENCE = re.compile(r"(?<=[.다요])\s+|\n+")


class CatalogueQuery(BaseModel):
    """The filters of /policies; empty ones do not filter."""

    model_config = ConfigDict(frozen=True)

    stage: LifeStage | None = None
    group: TargetGroup | None = None
    sido: str | None = Field(default=None, max_length=40)
    district: str | None = Field(default=None, max_length=40)
    q: str | None = Field(default=None, description="checked against the chat's message limit by the API")
    page: int = Field(default=1, ge=1, le=10_000)
    page_size: int = Field(default=PAGE_SIZE, ge=1, le=100)


def _first_line(text: str, limit: int = 120) -> str:
    for line in _SENTENCE.split(text):
        line = line.strip().lstrip("-·•").strip()
        if line:
            return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
    return ""


@dataclass(frozen=True)
class Entry:
    doc: PolicyDocument
    stages: frozenset[LifeStage]
    groups: frozenset[TargetGroup]
    summary: PolicySummary

    @property
    def policy_id(self) -> str:
        return self.doc.meta.policy_id


def _sections(doc: PolicyDocument) -> list[PolicySection]:
    found = [
        PolicySection(heading=s.heading, kind=SECTION_KINDS.get(s.heading, "other"), text=s.text.strip())
        for s in doc.sections
        if s.text.strip()
    ]
    return sorted(found, key=lambda s: KIND_ORDER.index(s.kind))  # stable: document order within a kind


def summarise(doc: PolicyDocument, stages: Iterable[LifeStage], groups: Iterable[TargetGroup]) -> PolicySummary:
    meta = doc.meta
    by_kind: dict[str, str] = {}
    for section in _sections(doc):
        by_kind.setdefault(section.kind, section.text)
    content = by_kind.get("content", "")
    if content.startswith(("지원 분야", "지원 주기")):
        content = ""  # the directory's labels say how, not what; the overview says what
    gives = _first_line(content or by_kind.get("summary", "") or meta.title)
    amount = _AMOUNT.search(content or by_kind.get("summary", ""))
    stage_list, group_list = sorted(stages, key=list(LifeStage).index), sorted(groups, key=list(TargetGroup).index)
    labels = [STAGE_LABELS[s][0] for s in stage_list] + [GROUP_LABELS[g][0] for g in group_list]
    who = _first_line(by_kind.get("target", "")) or " · ".join(labels)
    return PolicySummary(
        policy_id=meta.policy_id,
        title=meta.title,
        title_en=meta.title_en,
        gives=gives,
        amount=amount.group(0).strip() if amount else None,
        who=who,
        summary_en=meta.summary_en,
        region=meta.region.label,
        region_level=meta.region.level,
        life_stages=stage_list,
        target_groups=group_list,
    )


def build_entry(doc: PolicyDocument) -> Entry:
    stages, groups = tag_document(doc)
    return Entry(doc, frozenset(stages), frozenset(groups), summarise(doc, stages, groups))


Searcher = Callable[[str, str | None, str | None], list[str]]  # (q, sido, district) -> policy ids, best first


class Catalogue:
    """Filters as boolean columns over the entries (numpy): a page with its counts costs about a millisecond
    over ~3,000 policies, where a Python pass per filter measured 35-60 ms."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entries = sorted(entries, key=lambda e: (e.doc.meta.region.level != "national", e.doc.meta.title))
        self.by_id = {e.policy_id: e for e in self.entries}
        self._row = {e.policy_id: i for i, e in enumerate(self.entries)}
        n = len(self.entries)
        stages = [[s in e.stages for s in LifeStage] for e in self.entries]
        self._stages = np.array(stages, dtype=bool).reshape(n, len(LifeStage))
        groups = [[g in e.groups for g in TargetGroup] for e in self.entries]
        self._groups = np.array(groups, dtype=bool).reshape(n, len(TargetGroup))
        self._sidos = sorted({r.sido for e in self.entries if (r := e.doc.meta.region).sido})
        self._districts = sorted({r.district for e in self.entries if (r := e.doc.meta.region).district})
        self._sido_of = np.array([self._code(self._sidos, e.doc.meta.region.sido) for e in self.entries], dtype=int)
        self._district_of = np.array(
            [self._code(self._districts, e.doc.meta.region.district) for e in self.entries], dtype=int
        )
        self._regions: dict[tuple[str | None, str | None], np.ndarray] = {}

    @staticmethod
    def _code(values: list[str], value: str | None) -> int:
        return values.index(value) if value else -1

    @classmethod
    def load(cls, roots: list[Path]) -> Catalogue:
        """The knowledge folders as ingest reads them; a file that does not load is left out, as ingest does."""
        entries = []
        seen: set[str] = set()
        for path in discover([r for r in roots if r.exists()]):
            try:
                doc = load_document(path)
            except DocumentError:
                continue
            if doc.meta.policy_id not in seen:
                seen.add(doc.meta.policy_id)
                doc.path = str(path)
                entries.append(build_entry(doc))
        return cls(entries)

    def __len__(self) -> int:
        return len(self.entries)

    def _region(self, sido: str | None, district: str | None) -> np.ndarray:
        """Who a resident of (sido, district) may use; no region chosen: every policy. A few keys, cached."""
        key = (sido, district)
        if key not in self._regions:
            if len(self._regions) > 512:
                self._regions.clear()  # bounded: the keys come from requests
            mask = [sido is None or e.doc.meta.region.covers(sido, district) for e in self.entries]
            self._regions[key] = np.array(mask, dtype=bool)
        return self._regions[key]

    def _facets(
        self, rows: np.ndarray, region: np.ndarray, stage_ok: np.ndarray, group_ok: np.ndarray, q: CatalogueQuery
    ) -> Facets:
        # Each count is what choosing that value would give with the other filters kept.
        stages = self._stages[rows][region & group_ok].sum(axis=0)
        groups = self._groups[rows][region & stage_ok].sum(axis=0)
        others = stage_ok & group_ok
        sidos = np.bincount(self._sido_of[rows][others & (self._sido_of[rows] >= 0)], minlength=len(self._sidos))
        districts: list[RegionCount] = []
        if q.sido in self._sidos:
            in_sido = others & (self._sido_of[rows] == self._sidos.index(q.sido)) & (self._district_of[rows] >= 0)
            counts = np.bincount(self._district_of[rows][in_sido], minlength=len(self._districts))
            districts = [RegionCount(value=d, count=int(n)) for d, n in zip(self._districts, counts, strict=True) if n]
        stage_index, group_index = list(LifeStage), list(TargetGroup)
        return Facets(
            stages=[
                FacetCount(value=s, label=ko, label_en=en, count=int(stages[stage_index.index(s)]))
                for s, (ko, en) in STAGE_LABELS.items()
            ],
            groups=[
                FacetCount(value=g, label=ko, label_en=en, count=int(groups[group_index.index(g)]))
                for g, (ko, en) in GROUP_LABELS.items()
            ],
            sidos=[RegionCount(value=v, count=int(n)) for v, n in zip(self._sidos, sidos, strict=True) if n],
            districts=districts,
        )

    def browse(self, q: CatalogueQuery, search: Searcher | None = None) -> CataloguePage:
        """One page of the policies matching ``q``, with counts per filter. With ``q.q``, ``search`` ranks."""
        if q.q and q.q.strip() and search is not None:
            ranked = search(q.q.strip(), q.sido, q.district)
            rows = np.array([self._row[pid] for pid in dict.fromkeys(ranked) if pid in self._row], dtype=int)
        else:
            rows = np.arange(len(self.entries))
        region = self._region(q.sido, q.district)[rows]
        stage_ok = self._stages[rows, list(LifeStage).index(q.stage)] if q.stage else np.ones(len(rows), dtype=bool)
        group_ok = self._groups[rows, list(TargetGroup).index(q.group)] if q.group else np.ones(len(rows), dtype=bool)
        matched = rows[region & stage_ok & group_ok]
        pages = max(1, math.ceil(len(matched) / q.page_size))
        start = (q.page - 1) * q.page_size
        return CataloguePage(
            total=len(matched),
            page=q.page,
            pages=pages,
            page_size=q.page_size,
            query=q.q,
            items=[self.entries[i].summary.model_copy() for i in matched[start : start + q.page_size]],
            facets=self._facets(rows, region, stage_ok, group_ok, q),
        )

    def detail(self, policy_id: str) -> PolicyDetail | None:
        entry = self.by_id.get(policy_id)
        if entry is None:
            return None
        meta = entry.doc.meta
        sections = _sections(entry.doc)
        if meta.summary_en:
            sections.append(PolicySection(heading="English", kind="english", text=meta.summary_en))
        return PolicyDetail(
            **entry.summary.model_dump(),
            source=meta.source,
            source_page=meta.source_page,
            edition=meta.edition,
            url=meta.url,
            organization=meta.organization,
            category=meta.category,
            source_path=_relative(entry.doc.path),
            sections=sections,
            ask=f"{meta.title}에 대해 알려 주세요. 누가 받을 수 있고 어떻게 신청하나요?",
            ask_en=f"Tell me about {meta.title_en or meta.title}: who can get it and how do I apply?",
        )


def _relative(path: str) -> str:
    parts = Path(path).parts
    return str(Path(*parts[parts.index("knowledge") :])) if "knowledge" in parts else Path(path).name
