"""Every prompt is checked against its schema when loaded, and all are loaded at start: a missing key, a missing
language or a placeholder the code does not fill stops the start, naming the file and the key."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from counselor.errors import ConfigError
from counselor.prompts import PromptLibrary

PROJECT = Path(__file__).resolve().parents[1]


def test_the_prompts_shipped_pass_their_schemas() -> None:
    PromptLibrary(PROJECT / "prompts").check()


Change = Callable[[Any], object]  # edits the file as loaded (YAML read into plain dicts)


def _broken(tmp_path: Path, name: str, change: Change) -> PromptLibrary:
    root = tmp_path / "prompts"
    shutil.copytree(PROJECT / "prompts", root)
    path = root / f"{name}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return PromptLibrary(root)


@pytest.mark.parametrize(
    ("name", "change", "problem"),
    [
        ("replies", lambda d: d.pop("crisis_violence_abuse"), "crisis_violence_abuse"),
        ("replies", lambda d: d["crisis_other_lines"].pop("en"), "crisis_other_lines.en"),
        ("replies", lambda d: d["crisis_topic_note"]["en"].pop("child_in_danger"), "child_in_danger"),
        ("replies", lambda d: d["waiting"].update(ko=d["waiting"]["ko"] + " {position}"), "waiting.ko uses {position}"),
        ("extractive", lambda d: d["labels"].pop("passage"), "labels.passage"),
        ("eligibility", lambda d: d["verdicts"].pop("likely"), "verdicts.likely"),
        ("answer", lambda d: d.update(user=d["user"] + " {policy}"), "user uses {policy}"),
    ],
)
def test_a_prompt_missing_what_the_code_reads_fails_as_it_loads(
    tmp_path: Path, name: str, change: Change, problem: str
) -> None:
    library = _broken(tmp_path, name, change)
    with pytest.raises(ConfigError, match=rf"{name}\.yaml") as raised:
        library.check()
    assert problem in str(raised.value)
