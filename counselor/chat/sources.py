"""A policy's text as sections, rebuilt from its indexed chunks, for answerers and the output guard.

Chunks are what the index holds, so answers quote exactly what retrieval saw. Local services keep several
fields in one chunk as "label: value" lines; those are split back into sections here.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum

from counselor.policies import Chunk
from counselor.retrieval.index import LoadedIndex


class Aspect(StrEnum):
    SUMMARY = "summary"
    TARGET = "target"
    CONTENT = "content"
    METHOD = "method"
    CONTACT = "contact"
    DOCUMENTS = "documents"
    PERIOD = "period"


ASPECT_HEADINGS: dict[Aspect, tuple[str, ...]] = {
    Aspect.SUMMARY: ("요약", "개요", "사업개요"),
    Aspect.TARGET: ("대상", "자격", "지원대상", "지원대상 및 기준", "선정기준", "소득기준", "입주자 선정기준", "조건"),
    # In priority order: a bare "내용" is often the answer of a "제목" question, so it comes last.
    Aspect.CONTENT: ("지원내용", "지원 내용", "지원금액", "급여종류", "감면혜택", "감면내역", "내용"),
    Aspect.METHOD: ("방법", "신청", "신청방법", "방법 및 문의", "신청 방법"),
    Aspect.CONTACT: ("문의", "연락처", "문의처", "기관", "센터정보"),
    # Rarely a section of their own: then the answerer finds them by their words inside 방법 and the rest.
    Aspect.DOCUMENTS: ("구비서류", "제출서류", "필요서류", "준비서류", "신청서류"),
    Aspect.PERIOD: ("신청기간", "지원기간", "기간", "접수기간", "운영기간"),
}
_ASPECT_OF = {heading: aspect for aspect, headings in ASPECT_HEADINGS.items() for heading in headings}
_FIELD_LINE = re.compile(r"^([가-힣A-Za-z0-9][^:\n]{0,29}):\s*(.*)$")


@dataclass
class PolicyText:
    policy_id: str
    title: str
    title_en: str | None = None
    english: str = ""  # the English summary, without its "Title:" lead
    region: str = "전국"
    source: str = ""
    url: str | None = None
    sections: dict[str, str] = field(default_factory=dict)  # heading -> text, in document order

    def aspect(self, aspect: Aspect) -> tuple[str, str] | None:
        """The section that says this (heading, text), by the headings' priority. Contact details are spread
        over several sections (the office in 기관, its number in 연락처): they come back joined."""
        found = [(h, self.sections[h]) for h in ASPECT_HEADINGS[aspect] if self.sections.get(h, "").strip()]
        if not found:
            return None
        if aspect == Aspect.CONTACT:
            texts = list(dict.fromkeys(" ".join(t.split()) for _, t in found))
            return found[0][0], " · ".join(texts)
        return found[0]

    @property
    def full_text(self) -> str:
        parts = [self.title, *(f"{h}: {t}" for h, t in self.sections.items()), self.english]
        return "\n".join(p for p in parts if p)


def _add(policy: PolicyText, heading: str, text: str) -> None:
    previous = policy.sections.get(heading)
    policy.sections[heading] = f"{previous}\n{text}" if previous else text


class PolicyTexts:
    """Every policy in the live index, as sections; built once per index generation."""

    def __init__(self, index: LoadedIndex) -> None:
        chunks: dict[str, list[Chunk]] = defaultdict(list)
        for chunk in index.chunks:
            chunks[chunk.policy_id].append(chunk)
        self._policies = {pid: self._build(cs) for pid, cs in chunks.items()}

    def get(self, policy_id: str) -> PolicyText | None:
        return self._policies.get(policy_id)

    @staticmethod
    def _build(chunks: list[Chunk]) -> PolicyText:
        first = chunks[0]
        region = " ".join(p for p in (first.sido, first.district) if p) or "전국"
        policy = PolicyText(
            first.policy_id, first.title, first.title_en, region=region, source=first.source_path, url=first.url
        )
        for chunk in chunks:
            if chunk.lang == "en":
                lead = f"{chunk.title_en}: " if chunk.title_en else ""
                policy.english = chunk.text.removeprefix(lead).strip()
                continue
            if not chunk.text.startswith(f"{chunk.section}:"):
                _add(policy, chunk.section, chunk.text)
                continue
            # A short policy is one chunk of "heading: text" lines (see ingestion/chunking.py); local
            # services keep their fields the same way under 개요.
            heading = chunk.section
            for line in chunk.text.splitlines():
                match = _FIELD_LINE.match(line)
                if match:
                    heading = match.group(1)
                    if match.group(2).strip():
                        _add(policy, heading, match.group(2))
                elif line.strip():
                    _add(policy, heading, line)
        return policy
