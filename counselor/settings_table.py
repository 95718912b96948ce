"""The table of every setting, generated from the model: ``python -m counselor.settings_table > docs/settings.md``
(tests/test_settings_table.py fails when the page is out of date)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, SecretStr
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from counselor.legacy_env import OLD_PREFIXES
from counselor.settings import PROJECT_ROOT, Settings

HEADER = """# Settings

Every knob, one spelling each: `COUNSELOR_<NAME>`, a nested one `COUNSELOR_<GROUP>__<NAME>`, read from the
environment or from `.env` in the working directory (the environment wins). Generated from
`counselor/settings.py` by `python -m counselor.settings_table > docs/settings.md`; do not edit by hand.
The groups' old spellings with one underscore (`COUNSELOR_CHAT_CONFIDENCE_THRESHOLD`) are still read from the
environment and logged as old (counselor/legacy_env.py).

| variable | type | default | what it does |
|---|---|---|---|
"""


def _default(field: FieldInfo) -> str:
    if field.default_factory is None and field.default is PydanticUndefined:
        return "required"
    value: Any = field.get_default(call_default_factory=True, validated_data={})
    if isinstance(value, BaseModel):
        return ""
    if isinstance(value, SecretStr):
        return "(secret)"
    if isinstance(value, Path):
        return f"`{_path(value)}`"
    if isinstance(value, list):
        value = json.dumps([_path(v) if isinstance(v, Path) else v for v in value])
    return "unset" if value is None else f"`{value}`"


def _path(path: Path) -> str:
    """Relative to the checkout, where the defaults point, so that the page is the same in every checkout."""
    return str(path.relative_to(PROJECT_ROOT)) if path.is_relative_to(PROJECT_ROOT) else str(path)


def _type(field: FieldInfo) -> str:
    text = str(field.annotation).replace("typing.", "").replace("pathlib.", "").replace("pydantic.types.", "")
    return text.removeprefix("<class '").removesuffix("'>").replace("|", "or")


def rows(model: type[BaseModel] = Settings, prefix: str = "COUNSELOR_") -> Iterator[str]:
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            yield from rows(annotation, f"{prefix}{name.upper()}__")
            continue
        about = (field.description or "").replace("|", "\\|").replace("\n", " ")
        yield f"| `{prefix}{name.upper()}` | {_type(field)} | {_default(field)} | {about} |"


def table() -> str:
    groups = ", ".join(f"`{group}`" for group in OLD_PREFIXES)
    return HEADER + "\n".join(rows()) + f"\n\nGroups with an old spelling: {groups}.\n"


if __name__ == "__main__":
    sys.stdout.write(table())
