"""The evaluation datasets are valid and every expected policy exists in the shipped knowledge."""

from __future__ import annotations

import json
from pathlib import Path

import frontmatter
import pytest

from counselor.evaluation.chat_eligibility import load_chat_cases
from counselor.evaluation.dataset import load_cases
from counselor.evaluation.followup import load_followup_cases
from tests.conftest import PROJECT

DATASETS = sorted((PROJECT / "evals" / "datasets").glob("*.jsonl"))


@pytest.fixture(scope="module")
def known() -> set[str]:
    names: set[str] = set()
    for path in (PROJECT / "knowledge").rglob("*.md"):
        meta = frontmatter.load(str(path)).metadata
        if "policy_id" in meta:
            names.update({meta["policy_id"], meta["title"]})
    return names


def _policies(path: Path) -> list[tuple[str, str]]:
    """(case id, policy) for each policy a dataset's cases name; each shape loaded by its own loader."""
    first = json.loads(next(line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()))
    if "turns" in first and "aspect" in first:  # follow-up dialogues: the program the last turn is about
        return [(c.id, c.policy_id) for c in load_followup_cases(path)] + [
            (c.id, c.policy_title) for c in load_followup_cases(path)
        ]
    if "turns" in first:  # eligibility through the chat
        return [(c.id, c.policy_id) for c in load_chat_cases(path)]
    if "identifiers" in first and "messages" in first:  # identifier strings in context: no policies
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        assert all(r["messages"] and all(i in " ".join(r["messages"]) for i in r["identifiers"]) for r in rows)
        return [(r["id"], "") for r in rows]
    return [(c.id, p) for c in load_cases(path) for p in c.expected_policies or [""]]


@pytest.mark.parametrize("path", DATASETS, ids=lambda p: p.name)
def test_dataset_cases_point_at_real_policies(path, known: set[str]) -> None:  # type: ignore[no-untyped-def]
    named = _policies(path)
    assert named
    missing = [(case, p) for case, p in named if p and p not in known]
    assert missing == []


def test_dev_set_size_and_languages() -> None:
    cases = load_cases(PROJECT / "evals" / "datasets" / "dev.jsonl")
    assert len(cases) >= 200
    assert sum(c.lang == "en" for c in cases) >= 50 and sum(c.lang == "ko" for c in cases) >= 150
