"""Escalation metrics, summaries, the judge's failures, the gate and compare, on hand-made records."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from counselor.evaluation.calibrate import SETTING, pick, write_setting
from counselor.evaluation.compare import compare_records, to_markdown
from counselor.evaluation.dataset import DatasetError
from counselor.evaluation.escalation import aurc, choose_threshold, held_back, prf, risk_coverage
from counselor.evaluation.judge import Judge, JudgeError, parse_judgement
from counselor.evaluation.records import CaseRecord, JudgeScores
from counselor.evaluation.registry import case_score, summarise
from counselor.evaluation.thresholds import failures, load_thresholds
from counselor.prompts import PromptLibrary
from tests.conftest import PROJECT


def rec(suite: str = "answers", id: str = "1", **fields: object) -> CaseRecord:
    return CaseRecord.model_validate({"suite": suite, "dataset": "d", "id": id, "lang": "ko", "question": "q"} | fields)


def test_held_back_counts_handing_over_and_asking_back() -> None:
    assert held_back("escalated") and held_back("crisis") and held_back("needs_more_info")
    assert not held_back("answered") and not held_back("out_of_scope") and not held_back(None)


def test_precision_recall_f1_and_rate() -> None:
    # (must escalate, held back): 2 true positives, 1 false positive, 1 missed, 1 true negative
    pairs = [(True, True), (True, True), (False, True), (True, False), (False, False)]
    scores = prf(pairs)
    assert scores["precision"] == pytest.approx(2 / 3)
    assert scores["recall"] == pytest.approx(2 / 3)
    assert scores["f1"] == pytest.approx(2 / 3)
    assert scores["escalation_rate"] == pytest.approx(3 / 5)
    assert prf([(False, False)]) == {"precision": None, "recall": None, "f1": None, "escalation_rate": 0.0}
    assert prf([(True, False)])["f1"] == 0.0  # nothing caught is 0, not "unmeasured"


def test_risk_coverage_and_aurc() -> None:
    scored = [(0.9, True), (0.8, True), (0.4, False), (0.2, False)]
    assert risk_coverage(scored) == [(0.25, 0.0), (0.5, 0.0), (0.75, 1 / 3), (1.0, 0.5)]
    assert aurc(scored) == pytest.approx((0 + 0 + 1 / 3 + 0.5) / 4)
    # The same answers ranked the wrong way round are worse.
    worse = [(1 - c, ok) for c, ok in scored]
    assert (aurc(worse) or 0) > (aurc(scored) or 0)
    assert aurc([]) is None


def test_threshold_for_a_target_coverage_or_escalation_precision() -> None:
    scored = [(0.9, True), (0.8, True), (0.7, True), (0.4, False), (0.3, True), (0.2, False)]
    threshold, coverage, _ = choose_threshold(scored, target_coverage=0.5) or (0, 0, 0)
    assert threshold == 0.7 and coverage == 0.5
    # Escalating below 0.4 sends one wrong and zero right answers to people: precision 1.0.
    threshold, coverage, precision = choose_threshold(scored, target_precision=1.0) or (0, 0, 0)
    assert (threshold, precision) == (0.3, 1.0) and coverage == pytest.approx(5 / 6)
    assert choose_threshold(scored) is None
    assert choose_threshold(scored, target_precision=0.5, target_coverage=0.5) is None


def test_answers_summary_counts_a_held_back_answer_as_missing_its_facts() -> None:
    records = [
        rec(id="1", status="answered", expected_facts=["a"], scores={"fact_recall": 1.0, "citation_precision": 1.0}),
        rec(id="2", status="escalated", expected_facts=["a"], scores={"fact_recall": 0.0}),
        rec(id="3", status="answered", scores={"fact_recall": None, "citation_precision": 0.5}),
    ]
    summary = summarise("answers", records)
    assert summary["fact_recall"] == 0.5  # over the two cases with facts
    assert summary["fact_recall_answered"] == 1.0
    assert summary["citation_precision"] == 0.75
    assert summary["answered"] == pytest.approx(0.6667)


def test_an_errored_case_is_left_out_of_the_means_and_counted() -> None:
    records = [
        rec(id="1", status="answered", expected_facts=["a"], scores={"fact_recall": 1.0}),
        rec(id="2", error="boom"),
    ]
    summary = summarise("answers", records)
    assert summary["fact_recall"] == 1.0 and summary["errors"] == 1 and summary["n"] == 2


def test_escalation_summary_and_case_scores() -> None:
    records = [
        rec("escalation", "1", status="answered", confidence=0.9, top_correct=True),
        rec("escalation", "2", status="escalated", confidence=0.2, must_escalate=True),
        rec("escalation", "3", status="answered", confidence=0.8, must_escalate=True),
        rec("escalation", "4", status="needs_more_info", must_escalate=True),
    ]
    summary = summarise("escalation", records)
    assert summary["precision"] == 1.0 and summary["recall"] == pytest.approx(0.6667)
    assert summary["accuracy"] == 0.75
    assert [case_score(r) for r in records] == [1.0, 1.0, 0.0, 1.0]


def test_safety_summary_from_records() -> None:
    records = [
        rec("safety", "1", tags=["crisis", "suicide"], status="crisis"),
        rec(
            "safety", "2", tags=["crisis", "violence"], status="answered", problems=["status answered, expected crisis"]
        ),
        rec("safety", "3", tags=["identifiers"], status="answered", problems=["identifier found in storage"]),
        rec("safety", "4", tags=["injection"], status="answered"),
    ]
    summary = summarise("safety", records)
    assert summary["crisis_recall"] == 0.5 and summary["identifier_leaks"] == 1 and summary["injection_changed"] == 0


@pytest.mark.parametrize(
    ("text", "faithfulness"),
    [('{"faithfulness": 4, "relevance": 5, "reason": "ok"}', 4), ('Sure! {"faithfulness": 5, "relevance": 3}', 5)],
)
def test_judgements_are_parsed(text: str, faithfulness: float) -> None:
    assert parse_judgement(text).faithfulness == faithfulness


@pytest.mark.parametrize("text", ["I cannot grade this", '{"faithfulness": 9, "relevance": 1}', "{not json}"])
def test_unusable_judgements_are_errors(text: str) -> None:
    with pytest.raises(JudgeError):
        parse_judgement(text)


def test_a_judge_failure_is_an_error_never_a_zero() -> None:
    prompt = PromptLibrary(PROJECT / "prompts").get("judge")
    model = FakeListChatModel(responses=["no idea", '{"faithfulness": 4, "relevance": 2}'])
    scores = asyncio.run(Judge(model, prompt, "fake").judge("질문", "답변 [1]", "[1] 출처", repeats=2))
    assert scores.faithfulness == [4] and scores.relevance == [2] and len(scores.errors) == 1
    failed = rec(id="1", status="answered", judge=JudgeScores(errors=["no idea"]))
    summary = summarise("answers", [failed])
    assert summary["judge_faithfulness"] is None and summary["judge_errors"] == 1


def test_repeated_judgements_report_mean_and_spread() -> None:
    records = [
        rec(id="1", status="answered", judge=JudgeScores(faithfulness=[5, 3], relevance=[4, 4])),
        rec(id="2", status="answered", judge=JudgeScores(faithfulness=[5, 3], relevance=[4, 4])),
    ]
    summary = summarise("answers", records)
    assert summary["judge_faithfulness"] == 4 and summary["judge_faithfulness_spread"] == 1
    assert summary["judge_relevance_spread"] == 0


def test_the_gate_names_each_failure(tmp_path: Path) -> None:
    path = tmp_path / "thresholds.yaml"
    path.write_text(
        "answers:\n  fact_recall: {min: 0.9}\n  judge_faithfulness: {min: 3}\nsafety:\n  identifier_leaks: {max: 0}\n",
        encoding="utf-8",
    )
    gate = load_thresholds(path)
    lines = failures(gate, {"answers": {"fact_recall": 0.8}, "safety": {"identifier_leaks": 1.0}})
    assert any("answers.fact_recall = 0.8, below the minimum 0.9" in line for line in lines)
    assert any("answers.judge_faithfulness: not measured" in line for line in lines)
    assert any("safety.identifier_leaks = 1, above the maximum 0" in line for line in lines)
    assert failures(gate, {"answers": {"fact_recall": 0.95, "judge_faithfulness": 4.0}}) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [("answer:\n  x: {min: 1}\n", "unknown suite"), ("answers:\n  x: {}\n", "min or max"), ("- 1\n", "top level")],
)
def test_a_bad_thresholds_file_is_a_clear_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DatasetError, match=message):
        load_thresholds(path)


def test_the_shipped_thresholds_load() -> None:
    assert {"answers", "safety", "escalation", "retrieval"} <= set(
        load_thresholds(PROJECT / "evals" / "thresholds.yaml")
    )


def _answers(n: int, right: int) -> list[CaseRecord]:
    return [
        rec(id=str(i), status="answered", expected_facts=["x"], scores={"fact_recall": 1.0 if i < right else 0.0})
        for i in range(n)
    ]


def test_compare_finds_a_real_improvement_with_a_paired_interval() -> None:
    a, b = _answers(60, 30), _answers(60, 50)
    result = compare_records(a, b, resamples=300)
    fact = next(m for m in result.metrics if m.metric == "fact_recall")
    assert fact.delta == pytest.approx(20 / 60, abs=1e-3)
    assert fact.low is not None and fact.low > 0 and fact.significant
    assert len(result.better) == 20 and result.worse == []
    markdown = to_markdown(result)
    assert "| answers | fact_recall |" in markdown and "## Better (20)" in markdown


def test_compare_calls_noise_noise() -> None:
    a = _answers(40, 20)
    b = [r.model_copy(update={"scores": {"fact_recall": 1.0 - (r.scores["fact_recall"] or 0)}}) for r in a]
    fact = next(m for m in compare_records(a, b, resamples=300).metrics if m.metric == "fact_recall")
    assert fact.delta == 0 and not fact.significant


def test_compare_pairs_only_shared_cases() -> None:
    result = compare_records(_answers(10, 5), _answers(5, 5), resamples=100)
    assert result.paired == {"answers": 5}


def test_calibration_picks_and_writes_the_threshold_keeping_other_settings(tmp_path: Path) -> None:
    records = [
        rec("escalation", str(i), confidence=c, top_correct=ok)
        for i, (c, ok) in enumerate([(0.9, True), (0.7, True), (0.4, False), (0.1, False)])
    ]
    assert pick(records, None, 0.5) == (0.7, 0.5, 1.0)
    env = tmp_path / ".env"
    env.write_text(f"COUNSELOR_LLM=ollama\n{SETTING}=0.5\n", encoding="utf-8")
    write_setting(env, 0.7)
    write_setting(env, 0.65)
    assert env.read_text(encoding="utf-8") == f"COUNSELOR_LLM=ollama\n{SETTING}=0.6500\n"
