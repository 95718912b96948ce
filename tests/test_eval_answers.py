"""Answer metrics on hand-made cases, Korean text and number formats included."""

from __future__ import annotations

import pytest

from counselor.evaluation.answers import (
    citation_scores,
    fact_found,
    fact_recall,
    language_matches,
    numeric_groundedness,
)


@pytest.mark.parametrize(
    ("fact", "answer"),
    [
        ("33만 4,810원", "월 최대 334,810원까지 지원"),
        ("334,810원", "up to 334,810 won a month"),
        ("33만 4,810원", "단독가구 월 최대 33만 4,810원"),
        ("주민센터", "가까운 주민 센터에 신청하세요"),
        ("만 65세", "aged 65 or older"),
        ("1,000만 원", "최대 1000만 원"),
    ],
)
def test_facts_are_found_however_written(fact: str, answer: str) -> None:
    assert fact_found(fact, answer)


@pytest.mark.parametrize(
    ("fact", "answer"),
    [("33만 4,810원", "월 최대 33만 원"), ("국민연금공단", "주민센터에 신청"), ("70%", "소득하위 50%")],
)
def test_facts_that_are_not_there(fact: str, answer: str) -> None:
    assert not fact_found(fact, answer)


def test_fact_recall_counts_each_fact_and_none_when_none_expected() -> None:
    assert fact_recall(["33만 4,810원", "국민연금공단"], "월 334,810원, 주민센터") == 0.5
    assert fact_recall([], "anything") is None


def test_citation_precision_and_recall() -> None:
    cited = [("mohw2024-p220-1", "기초연금제도"), ("mohw2024-p235-1", "노인맞춤돌봄서비스")]
    assert citation_scores(cited, ["기초연금제도"]) == (0.5, 1.0)
    assert citation_scores(cited, ["mohw2024-p220-1", "아동수당"]) == (0.5, 0.5)
    assert citation_scores([], ["기초연금제도"]) == (None, 0.0)
    assert citation_scores(cited, []) == (None, None)


def test_numeric_groundedness() -> None:
    source = "단독가구 월 최대 33만 4,810원, 만 65세 이상, 소득하위 70%"
    assert numeric_groundedness("월 334,810원 [1], 65세 이상 [1]", source) == 1.0
    assert numeric_groundedness("월 50만 원 [1], 65세 [1]", source) == 0.5
    assert numeric_groundedness("신청은 주민센터에서 [1]", source) is None
    assert numeric_groundedness("67세라면 [1]", source, question="저는 67세예요") == 1.0


def test_language_match() -> None:
    assert language_matches("기초연금은 주민센터에서 신청해요", "ko")
    assert language_matches("Apply at the community service center (주민센터).", "en")
    assert not language_matches("Apply at the center", "ko")
