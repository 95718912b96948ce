"""Query expansion from a reviewable glossary: the words citizens use -> the words policies use.

It is what lets "single mom" find 한부모가족 through the Korean keyword index, and "애가 둘" find 자녀.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from pydantic import BaseModel, Field, TypeAdapter

from counselor.errors import ConfigError


class GlossaryEntry(BaseModel):
    terms: list[str] = Field(min_length=1)
    triggers: list[str] = Field(min_length=1)


_ENTRIES = TypeAdapter(list[GlossaryEntry])
_ASCII = re.compile(r"^[\x00-\x7f]+$")


class QueryExpander:
    def __init__(self, entries: list[GlossaryEntry]) -> None:
        self._rules: list[tuple[re.Pattern[str], list[str]]] = []
        for entry in entries:
            parts = []
            for trigger in entry.triggers:
                escaped = re.escape(trigger.lower()).replace(r"\ ", r"\s*")
                # Whole words for English ("rent" must not fire inside "parent"); Korean has no such edges.
                parts.append(rf"(?<![a-z]){escaped}(?![a-z])" if _ASCII.match(trigger) else escaped)
            self._rules.append((re.compile("|".join(parts)), entry.terms))

    @classmethod
    def from_file(cls, path: Path) -> QueryExpander:
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
            return cls(_ENTRIES.validate_python(raw))
        except (OSError, yaml.YAMLError, ValueError) as exc:
            raise ConfigError(f"glossary {path}: {exc}") from exc

    def terms(self, query: str) -> list[str]:
        text = query.lower()
        found: list[str] = []
        for pattern, terms in self._rules:
            if pattern.search(text):
                found.extend(t for t in terms if t not in found and t not in query)
        return found

    def expand(self, query: str) -> str:
        extra = self.terms(query)
        return f"{query} ({' '.join(extra)})" if extra else query
