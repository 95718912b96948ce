"""Converts the MOHW 2024 booklet (field-level chunks) into one knowledge file per service.

Run again after a new extraction: ``counselor knowledge import-booklet CHUNKS.json``.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from counselor.policies import PolicyMeta, Region, Section
from ingestion.english import existing_english
from ingestion.markdown_writer import write_policy
from ingestion.tagging import chapter_name, tag

SOURCE = "보건복지부 「2024 나에게 힘이 되는 복지서비스」 (2024년 4월 기준)"
EDITION = "2024-04"
BOOKLET_URL = "https://www.bokjiro.go.kr"
# Front matter, table of contents, the A-Z index and the colophon are not services.
SKIPPED_CHAPTERS = {"안내", "복지서비스 찾아보기", "기타", None}
STANDARD_KEYS = {"id", "source_page", "대분류", "중분류", "사업명", "항목", "중분류_개요", "페이지", "문의처"}
DROPPED_FIELDS = {"footer", "페이지"}
HEADING_ALIASES = {
    "자주하는_질문": "자주하는 질문",
    "자주하는질문": "자주하는 질문",
    "질문": "자주하는 질문",
    "답변": "자주하는 질문",
    "title": "알려드립니다",
    "content": "알려드립니다",
    "note": "참고",
    "설명": "개요",
}


@dataclass
class _Service:
    name: str
    first_id: str
    chapter: str
    subchapter: str
    pages: set[int] = field(default_factory=set)
    sections: dict[str, list[str]] = field(default_factory=dict)


def policy_id_for(page: int, ordinal: int) -> str:
    """The n-th service starting on a page: stable for as long as the booklet's extraction is."""
    return f"mohw2024-p{page:03d}-{ordinal}"


def _render_value(value: Any, indent: str = "") -> str:
    if isinstance(value, dict):
        parts = [f"{k}: {_render_value(v, indent + '  ')}" for k, v in value.items() if v not in (None, "", "-")]
        return " · ".join(parts)
    if isinstance(value, list):
        return "\n".join(f"{indent}- {_render_value(v, indent + '  ')}" for v in value).join(["\n", ""])
    text = str(value).strip()
    if text[:1] in "[{":
        try:
            return _render_value(ast.literal_eval(text), indent)
        except (ValueError, SyntaxError):
            return text
    return text


def _chunk_body(text: str, meta: dict[str, Any]) -> str:
    extras = {k: v for k, v in meta.items() if k not in STANDARD_KEYS}
    item = meta.get("항목") or ""
    if "질문" in extras and "답변" in extras:
        return f"**Q.** {extras['질문']}\n**A.** {extras['답변']}"
    if extras:
        parts = [f"{k.replace('_', ' ')}: {_render_value(v, '  ')}" for k, v in extras.items()]
        return "- " + "\n- ".join(parts)
    prefix = f"{item}:"
    body = text[len(prefix) :] if text.startswith(prefix) else text
    return body.strip()


def _heading(item: str) -> str:
    return HEADING_ALIASES.get(item, item.replace("_", " ").strip())


def group_services(chunks: Iterable[dict[str, Any]]) -> list[_Service]:
    services: dict[str, _Service] = {}
    for chunk in chunks:
        meta = chunk["metadata"]
        chapter = meta.get("대분류")
        item = meta.get("항목") or ""
        if chapter in SKIPPED_CHAPTERS or item in DROPPED_FIELDS or item == "목록":
            continue
        name = meta.get("사업명")
        if not name:
            # A few pages lost their service name in extraction; the first field then holds it.
            if item in {"참고_사업명", "소분류"}:
                name_key = meta["id"]
                services.setdefault(
                    name_key,
                    _Service(chunk["text"].split(":", 1)[1].strip(), meta["id"], chapter_name(chapter), ""),
                )
                continue
            name_key = meta["id"]
        else:
            name_key = name
        service = services.get(name_key)
        if service is None:
            service = _Service(name or name_key, meta["id"], chapter_name(chapter), meta.get("중분류") or "")
            services[name_key] = service
        page = meta.get("source_page")
        if isinstance(page, int):
            service.pages.add(page)
        body = _chunk_body(chunk["text"], meta)
        if body:
            service.sections.setdefault(_heading(item), []).append(body)
    return [s for s in services.values() if s.sections]


def _first_page(service: _Service) -> int:
    return int(service.first_id.partition("-")[0])


def to_policy(service: _Service, policy_id: str) -> tuple[PolicyMeta, list[Section]]:
    sections = [Section(heading=h, text="\n\n".join(_dedupe(bodies))) for h, bodies in service.sections.items()]
    who = " ".join(s.text for s in sections if s.heading in {"대상", "자격", "개요", "지원대상"})
    stages, groups = tag(f"{service.name} {who}", service.chapter)
    meta = PolicyMeta(
        policy_id=policy_id,
        title=service.name,
        kind="national",
        source=SOURCE,
        source_page=_first_page(service),
        edition=EDITION,
        category=service.chapter,
        subcategory=service.subchapter,
        organization="보건복지부 외 소관 부처",
        region=Region(level="national"),
        life_stages=stages,
        target_groups=groups,
        url=BOOKLET_URL,
    )
    return meta, sections


def _dedupe(bodies: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for body in bodies:
        key = re.sub(r"\s+", " ", body)
        if key not in seen:
            seen.add(key)
            out.append(body)
    return out


def convert(chunks_path: Path, out_dir: Path) -> tuple[int, int]:
    """Returns (services written or updated, services in total)."""
    chunks = json.loads(chunks_path.read_text(encoding="utf-8"))
    services = group_services(chunks)
    changed = 0
    per_page: dict[int, int] = {}
    for service in services:
        page = _first_page(service)
        per_page[page] = per_page.get(page, 0) + 1
        meta, sections = to_policy(service, policy_id_for(page, per_page[page]))
        path = out_dir / f"{meta.policy_id}.md"
        meta = meta.model_copy(update=existing_english(path))
        changed += write_policy(path, meta, sections)
    return changed, len(services)
