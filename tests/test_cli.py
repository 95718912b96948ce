"""The CLI's JSON output and its errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from counselor.cli.main import app

runner = CliRunner()


@pytest.fixture
def indexed(data_dir: Path, small_knowledge: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COUNSELOR_KNOWLEDGE_DIRS", json.dumps([str(small_knowledge)]))
    result = runner.invoke(app, ["ingest", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["policies"] == 5 and report["errors"] == []
    return data_dir


def test_search_json_has_the_fields(indexed: Path) -> None:
    result = runner.invoke(app, ["search", "기초연금 신청", "--k", "3", "--json"])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert 1 <= len(hits) <= 3
    assert {"policy_id", "title", "score", "section", "text"} <= set(hits[0])
    assert hits[0]["title"] == "기초연금제도"


def test_search_region_filter(indexed: Path) -> None:
    result = runner.invoke(app, ["search", "출산 지원", "--region", "경기도 고양시", "--k", "10", "--json"])
    titles = [h["title"] for h in json.loads(result.stdout)]
    assert "고양시 출산지원금" in titles and "광양시 기본출생수당" not in titles


@pytest.mark.parametrize(("query", "message"), [("", "empty"), ("   ", "empty"), ("가" * 2201, "longer than 2200")])
def test_search_rejects_bad_queries(indexed: Path, query: str, message: str) -> None:
    result = runner.invoke(app, ["search", query, "--json"])
    assert result.exit_code == 2
    assert message in result.stderr and result.stdout == ""


def test_search_without_an_index(data_dir: Path) -> None:
    result = runner.invoke(app, ["search", "기초연금"])
    assert result.exit_code == 2 and "counselor ingest" in result.stderr


def test_ingest_reports_broken_files_and_strict_fails(
    data_dir: Path, small_knowledge: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (small_knowledge / "broken.md").write_text("---\n: : :\n---\n", encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(small_knowledge)])
    assert result.exit_code == 0 and "broken.md" in result.stderr
    again = runner.invoke(app, ["ingest", str(small_knowledge), "--strict"])
    assert again.exit_code == 1 and "broken.md" in again.stderr and "up to date" in again.stdout
    (small_knowledge / "broken.md").unlink()
    assert runner.invoke(app, ["ingest", str(small_knowledge), "--strict"]).exit_code == 0


def test_eval_retrieval_json(indexed: Path, tmp_path: Path) -> None:
    dataset = tmp_path / "set.jsonl"
    cases = [
        {"id": "1", "question": "기초연금 신청", "lang": "ko", "expected_policies": ["기초연금제도"]},
        {"id": "2", "question": "아동수당 얼마", "lang": "ko", "expected_policies": ["nat-child"]},
        {
            "id": "3",
            "question": "고양시 출산",
            "lang": "ko",
            "expected_policies": ["goyang-birth"],
            "region": "경기도 고양시",
        },
    ]
    dataset.write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in cases), encoding="utf-8")
    per_case = tmp_path / "cases.jsonl"
    result = runner.invoke(app, ["eval", "retrieval", "--dataset", str(dataset), "--json", "--out", str(per_case)])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert set(summary) >= {
        "n",
        "recall@1",
        "recall@5",
        "recall@10",
        "mrr@10",
        "ndcg@10",
        "latency_ms_p50",
        "latency_ms_p95",
    }
    assert summary["n"] == 3 and summary["recall@5"] == 1.0
    assert len(per_case.read_text(encoding="utf-8").splitlines()) == 3


def test_eval_rejects_a_malformed_dataset(indexed: Path, tmp_path: Path) -> None:
    dataset = tmp_path / "bad.jsonl"
    dataset.write_text('{"id": "1", "question": "x", "lang": "fr"}\n', encoding="utf-8")
    result = runner.invoke(app, ["eval", "retrieval", "--dataset", str(dataset)])
    assert result.exit_code == 2 and "bad.jsonl:1" in result.stderr


def test_ask_prints_the_answer_frame(indexed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COUNSELOR_LLM", "extractive")
    monkeypatch.setenv("COUNSELOR_CHAT_CONFIDENCE_THRESHOLD", "0.3")
    result = runner.invoke(app, ["ask", "기초연금은 얼마나 받아요?", "--json"])
    assert result.exit_code == 0, result.output
    frame = json.loads(result.stdout)
    assert frame["type"] == "answer" and frame["status"] == "answered"
    assert frame["citations"][0]["policy_id"] == "nat-pension" and "33만 4,810원" in frame["text"]
    crisis = json.loads(runner.invoke(app, ["ask", "I want to kill myself", "--json"]).stdout)
    assert crisis["status"] == "crisis" and "109" in crisis["text"]
    assert runner.invoke(app, ["ask", "기초연금", "--region", "어딘가"]).exit_code != 0


def test_queue_lists_nothing_on_a_new_database(indexed: Path) -> None:
    result = runner.invoke(app, ["queue"])
    assert result.exit_code == 0 and "ticket" in result.stdout


def test_eval_answers_scores_the_answers(indexed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COUNSELOR_LLM", "extractive")
    monkeypatch.setenv("COUNSELOR_CHAT_CONFIDENCE_THRESHOLD", "0.3")
    dataset = tmp_path / "answers.jsonl"
    dataset.write_text(
        json.dumps(
            {
                "id": "a1",
                "question": "기초연금은 얼마나 받아요?",
                "lang": "ko",
                "expected_policies": ["기초연금제도"],
                "expected_facts": ["334,810원", "만 8세 미만"],
            },
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    args = ["eval", "run", "--suite", "answers", "--dataset", str(dataset), "--out", str(tmp_path / "run")]
    result = runner.invoke(app, [*args, "--no-gate", "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)["summaries"]["answers"]
    assert summary["n"] == 1 and summary["citation_precision"] == 1.0 and summary["numeric_groundedness"] == 1.0
    # The amount is in the answer; a fact of another policy (아동수당's age limit) is not.
    assert summary["fact_recall_answered"] == 0.5, summary


def test_counselors_add_disable_enable_remove(data_dir: Path) -> None:
    added = runner.invoke(app, ["counselors", "add", "kim", "--password-stdin"], input="kim-long-passphrase\n")
    assert added.exit_code == 0, added.output
    weak = runner.invoke(app, ["counselors", "add", "lee", "--password-stdin"], input="password\n")
    assert weak.exit_code != 0 and "12 characters" in weak.output
    assert runner.invoke(app, ["counselors", "disable", "kim"]).exit_code == 0
    assert "disabled" in runner.invoke(app, ["counselors", "list"]).output
    assert runner.invoke(app, ["counselors", "enable", "kim"]).exit_code == 0
    assert "disabled" not in runner.invoke(app, ["counselors", "list"]).output
    assert runner.invoke(app, ["counselors", "remove", "kim"]).exit_code == 0
    assert "kim" not in runner.invoke(app, ["counselors", "list"]).output
    assert runner.invoke(app, ["counselors", "remove", "kim"]).exit_code != 0
