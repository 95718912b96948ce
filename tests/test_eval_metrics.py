from __future__ import annotations

import math

import pytest

from counselor.evaluation.dataset import EvalCase
from counselor.evaluation.facts_metrics import score
from counselor.evaluation.retrieval import score_case, summarise
from counselor.policies import SearchHit


def hit(pid: str, title: str = "") -> SearchHit:
    return SearchHit(policy_id=pid, title=title or pid, score=1.0, section="대상", text="", source="x")


def case(*expected: str, lang: str = "ko") -> EvalCase:
    return EvalCase(id="c", question="q", lang=lang, expected_policies=list(expected))  # type: ignore[arg-type]


def test_hits_match_by_id_or_exact_title() -> None:
    r = score_case(case("기초연금제도"), [hit("x"), hit("p-220", "기초연금제도")], 1.0)
    assert r.first_relevant == 2
    assert r.ndcg10 == pytest.approx(1 / math.log2(3))


def test_summary_recall_mrr_ndcg() -> None:
    results = [
        score_case(case("a"), [hit("a"), hit("b")], 10.0),
        score_case(case("a"), [hit("b"), hit("c"), hit("d"), hit("e"), hit("a")], 20.0),
        score_case(case("a"), [hit("b")], 30.0),
        score_case(case("a", "b"), [hit("b"), hit("a")], 40.0),
    ]
    s = summarise(results)
    assert s["n"] == 4
    assert s["recall@1"] == 0.5 and s["recall@5"] == 0.75 and s["recall@10"] == 0.75
    assert s["mrr@10"] == pytest.approx(round((1 + 0.2 + 0 + 1) / 4, 4))
    assert s["ndcg@10"] == pytest.approx(round((1 + 1 / math.log2(6) + 0 + 1) / 4, 4))
    assert s["latency_ms_p50"] == 25.0


def test_region_parsing_and_validation() -> None:
    c = EvalCase(id="x", question="q", lang="ko", region="전라남도 광양시")
    assert (c.sido, c.district) == ("전라남도", "광양시")
    with pytest.raises(ValueError, match="region"):
        EvalCase(id="x", question="q", lang="ko", region="a b c")


def test_facts_stated_as_lists_or_mappings_are_scored_not_a_crash() -> None:
    expected = {"birth": {"year": 2023, "month": 5}, "caring_for": ["mother"], "recipient": "생계급여"}
    assert score(expected, {"recipient": ["생계급여"]}) == (1, 1, 3)
    assert score(expected, dict(expected)) == (3, 3, 3)
