"""English names and summaries for policies: kept in the knowledge files' front matter (title_en,
summary_en), imported from a translator's YAML file and preserved when a converter re-runs."""

from __future__ import annotations

from pathlib import Path

import frontmatter
import yaml
from pydantic import BaseModel, TypeAdapter

from counselor.errors import DocumentError
from ingestion.loaders import discover, load_document
from ingestion.markdown_writer import write_policy

ENGLISH_FIELDS = ("title_en", "summary_en")


class English(BaseModel):
    title_en: str | None = None
    summary_en: str | None = None


_MAPPING = TypeAdapter(dict[str, English])


def existing_english(path: Path) -> dict[str, str]:
    """The English fields a file already has, so a converter's rewrite keeps a translator's work."""
    if not path.exists():
        return {}
    try:
        meta = frontmatter.load(str(path)).metadata
    except (yaml.YAMLError, ValueError):
        return {}
    return {k: str(meta[k]) for k in ENGLISH_FIELDS if meta.get(k)}


def import_english(mapping_path: Path, knowledge_dir: Path) -> tuple[int, list[str]]:
    """Write title_en/summary_en from ``{policy_id: {title_en, summary_en}}`` into the matching files.

    Returns (files updated, policy ids that no file has)."""
    mapping = _MAPPING.validate_python(yaml.safe_load(mapping_path.read_text(encoding="utf-8")) or {})
    updated = 0
    seen: set[str] = set()
    for path in discover([knowledge_dir]):
        if path.suffix.lower() not in {".md", ".markdown"}:
            continue
        try:
            doc = load_document(path)
        except DocumentError:
            continue
        english = mapping.get(doc.meta.policy_id)
        if english is None:
            continue
        seen.add(doc.meta.policy_id)
        meta = doc.meta.model_copy(update=english.model_dump(exclude_none=True))
        updated += write_policy(path, meta, doc.sections)
    return updated, sorted(set(mapping) - seen)
