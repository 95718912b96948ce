"""Prompts and pre-written replies, loaded by name from ``prompts/<name>.yaml``; each carries a version, and each
is checked against its schema (counselor/prompt_schemas.py) as it is loaded."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict

from counselor.errors import ConfigError
from counselor.language import Language
from counselor.prompt_schemas import SCHEMAS


class Prompt(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    name: str
    version: int

    @property
    def label(self) -> str:
        return f"{self.name}@v{self.version}"

    def field(self, key: str) -> Any:
        extra = self.model_extra or {}
        if key not in extra:
            raise ConfigError(f"prompt {self.label} has no '{key}'")
        return extra[key]

    def text(self, key: str, language: Language, **values: object) -> str:
        """A per-language entry ({ko: ..., en: ...}), filled with ``values``; Korean when English is missing."""
        entry = self.field(key)
        template = (entry.get(language) or entry["ko"]) if isinstance(entry, dict) else str(entry)
        return str(template).format(**values) if values else str(template)


class PromptLibrary:
    def __init__(self, root: Path) -> None:
        self.root = root

    def get(self, name: str) -> Prompt:
        return _load(self.root / f"{name}.yaml")

    def check(self) -> None:
        """Load every prompt the code reads, so that one with a missing key stops the start (ConfigError)."""
        for name in SCHEMAS:
            self.get(name)


@cache
def _load(path: Path) -> Prompt:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        prompt = Prompt.model_validate(data)
        schema = SCHEMAS.get(prompt.name)
        if schema is not None:
            schema.model_validate(data)  # the keys the code reads, their languages and placeholders
        return prompt
    except (OSError, yaml.YAMLError, ValueError) as exc:
        raise ConfigError(f"cannot load prompt {path}: {exc}") from exc
