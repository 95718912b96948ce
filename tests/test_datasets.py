"""The evaluation datasets are valid and every expected policy exists in the shipped knowledge."""

from __future__ import annotations

import frontmatter
import pytest

from counselor.evaluation.dataset import load_cases
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


@pytest.mark.parametrize("path", DATASETS, ids=lambda p: p.name)
def test_dataset_cases_point_at_real_policies(path, known: set[str]) -> None:  # type: ignore[no-untyped-def]
    cases = load_cases(path)
    assert cases
    missing = [(c.id, p) for c in cases for p in c.expected_policies if p not in known]
    assert missing == []


def test_dev_set_size_and_languages() -> None:
    cases = load_cases(PROJECT / "evals" / "datasets" / "dev.jsonl")
    assert len(cases) >= 200
    assert sum(c.lang == "en" for c in cases) >= 50 and sum(c.lang == "ko" for c in cases) >= 150
