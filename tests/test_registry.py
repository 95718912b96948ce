"""The suite registry: every suite declared once, its datasets shipped, each case scored by the suites it fits."""

from __future__ import annotations

from pathlib import Path

import pytest

from counselor.evaluation.dataset import DatasetError, EvalCase
from counselor.evaluation.records import SUITES, CaseRecord
from counselor.evaluation.registry import PRIMARY, REGISTRY, Datasets, case_score, expand_suites
from counselor.evaluation.thresholds import load_thresholds
from counselor.settings import PROJECT_ROOT


def test_every_suite_is_registered_with_its_datasets() -> None:
    assert tuple(REGISTRY) == SUITES and set(PRIMARY) == set(SUITES)
    for suite in REGISTRY.values():
        assert suite.datasets and all(path.exists() for path in suite.default_paths()), suite.name
    assert set(load_thresholds(PROJECT_ROOT / "evals" / "thresholds.yaml")) <= set(REGISTRY)


def test_expand_suites() -> None:
    assert expand_suites("all") == list(SUITES) and expand_suites("facts") == ["facts"]
    with pytest.raises(DatasetError, match="unknown suite"):
        expand_suites("nope")


def suites_taking(tmp_path: Path, **fields: object) -> set[str]:
    path = tmp_path / "one.jsonl"
    path.write_text(EvalCase.model_validate({"id": "1", "question": "q", "lang": "ko", **fields}).model_dump_json())
    data = Datasets()
    return {name for name, suite in REGISTRY.items() if suite.prepare(data, [path]).size}


def test_each_case_goes_to_the_suites_that_can_score_it(tmp_path: Path) -> None:
    assert suites_taking(tmp_path, expected_policies=["a"], expected_facts=["1원"]) == {
        "retrieval", "answers", "escalation",
    }  # fmt: skip
    assert suites_taking(tmp_path, must_escalate=True) == {"escalation"}
    assert suites_taking(tmp_path, expected_status="crisis", tags=["crisis"]) == {"safety"}
    assert suites_taking(tmp_path, expected_route="crisis", expected_policies=["a"]) == {"router"}
    assert suites_taking(tmp_path, expected_policies=["a"], profile={"age": 65}, expected_verdict="likely") == {
        "eligibility"
    }


def test_case_scores_are_the_primary_metric_per_case() -> None:
    def record(suite: str, **fields: object) -> CaseRecord:
        return CaseRecord.model_validate(
            {"suite": suite, "dataset": "d", "id": "1", "lang": "ko", "question": "q"} | fields
        )

    assert case_score(record("retrieval", scores={"recall@5": 1.0})) == 1.0
    assert case_score(record("answers", status="escalated", scores={"fact_recall": 1.0})) == 0.0
    assert case_score(record("facts", scores={"correct": 1.0, "expected": 2.0})) == 0.5
    assert case_score(record("safety", problems=["no 109 hotline in the reply"])) == 0.0
    assert case_score(record("router", scores={"correct": 1.0}, error="boom")) is None
