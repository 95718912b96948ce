"""Converts the national welfare portal's directory of local services into region-tagged knowledge files.

Only the services run by provinces, cities and districts are converted: the national ones are covered,
in far more detail, by the MOHW booklet.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from counselor.policies import PolicyMeta, Region, Section
from ingestion.markdown_writer import write_policy
from ingestion.tagging import tag

SOURCE = "복지로 지자체 복지서비스 공공데이터 (행정안전부·보건복지부 공공데이터 개방 API)"
WHOLE_PROVINCE = {"전체", "전국", ""}
# The directory's own labels (support type, how often it pays): shown to people, not embedded.
DIRECTORY_FACTS = "지원 정보"


def _region(raw: dict[str, list[str]]) -> Region:
    sido = (raw.get("sido") or [""])[0]
    district = (raw.get("districts") or [""])[0]
    if sido in WHOLE_PROVINCE:
        return Region(level="national")
    if district in WHOLE_PROVINCE:
        return Region(level="sido", sido=sido)
    return Region(level="district", sido=sido, district=district)


def _slug(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z]+", "-", text).strip("-").lower()


def to_policy(item: dict[str, Any]) -> tuple[PolicyMeta, list[Section]]:
    region = _region(item.get("regions") or {})
    desc = (item.get("plain_desc") or "").strip()
    title = item["title"].strip()
    sections = [Section(heading="개요", text=desc or title)]
    details = []
    if item.get("support_type"):
        details.append(f"지원 분야: {item['support_type'].replace(',', ', ')}")
    if item.get("support_cycle"):
        details.append(f"지원 주기: {item['support_cycle']}")
    if details:
        sections.append(Section(heading=DIRECTORY_FACTS, text="\n".join(details)))
    contact = (item.get("contact") or "").strip()
    who = item.get("organization") or region.label
    sections.append(Section(heading="방법", text="복지로(www.bokjiro.go.kr) 안내에 따라 신청하거나 담당 부서에 문의"))
    sections.append(Section(heading="문의", text=who + (f" (☎{contact})" if contact else "")))
    stages, groups = tag(f"{title} {desc}")
    meta = PolicyMeta(
        policy_id=f"local-{_slug(item['id'].removeprefix('local_'))}",
        title=title,
        kind="local",
        source=SOURCE,
        edition=str(item.get("updated_at") or "")[:7],
        category=", ".join(item.get("categories") or []),
        organization=item.get("organization") or "",
        region=region,
        life_stages=stages,
        target_groups=groups,
        url=item.get("apply_url") or None,
    )
    return meta, sections


def policy_path(out_dir: Path, meta: PolicyMeta) -> Path:
    region = meta.region
    parts = [region.sido or "전국", region.district or "_광역"]
    return out_dir.joinpath(*parts, f"{meta.policy_id}.md")


def convert(services_path: Path, out_dir: Path) -> tuple[int, int]:
    """Returns (files written or updated, local services in total)."""
    items = json.loads(services_path.read_text(encoding="utf-8"))["items"]
    local = [item for item in items if item.get("source") == "local"]
    changed = 0
    for item in local:
        meta, sections = to_policy(item)
        changed += write_policy(policy_path(out_dir, meta), meta, sections)
    return changed, len(local)
