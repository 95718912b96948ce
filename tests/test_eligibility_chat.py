"""Eligibility through ``/ws/chat``: another person's facts kept apart and named, one question at a time,
the short reply answering it, corrections, and the end-to-end suite's scoring."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession

from counselor.chat.context import PriorTurn, TurnContext
from counselor.chat.statuses import TurnStatus
from counselor.deps import Deps
from counselor.eligibility.facts import read
from counselor.eligibility.profile import Child
from counselor.evaluation.chat_eligibility import ChatCase, load_chat_cases, run_chat_eligibility
from counselor.evaluation.dataset import DatasetError
from counselor.evaluation.registry import summarise
from counselor.web.app import create_app


@pytest.fixture
def deps(make_deps: Callable[..., Deps]) -> Deps:
    return make_deps()


@pytest.fixture
def client(deps: Deps) -> Iterator[TestClient]:
    with TestClient(create_app(deps.settings, deps)) as client:
        yield client


def say(ws: WebSocketTestSession, text: str) -> dict[str, Any]:
    ws.send_json({"type": "message", "text": text})
    while True:
        frame = ws.receive_json()
        if frame["type"] in ("answer", "error"):
            return frame


def verdict(answer: dict[str, Any], policy: str) -> dict[str, Any]:
    return next(i for i in answer["eligibility"] if i["policy_id"] == policy and not i["discovered"])


def test_another_persons_facts_are_theirs_and_the_reply_names_them(client: TestClient) -> None:
    with client.websocket_connect("/ws/chat") as ws:
        ws.receive_json()
        answer = say(ws, "우리 엄마가 일흔두 살이신데 기초연금 받으실 수 있을까요?")
        assert answer["status"] == "answered"
        item = verdict(answer, "nat-pension")
        assert item["subject"] == "mother" and item["verdict"] == "likely"
        assert "어머님은" in answer["text"]
        facts = ws.receive_json()  # what the turn learnt, right after the answer
        assert facts["type"] == "profile"
        facts = facts["facts"]
        assert facts.get("age") is None and facts["others"]["mother"]["age"] == 72


def test_one_question_then_the_short_reply_settles_the_verdict(client: TestClient) -> None:
    with client.websocket_connect("/ws/chat") as ws:
        ws.receive_json()
        first = say(ws, "아동수당 받을 수 있나요?")
        assert first["status"] == "answered" and first["asks"] == "child_age"
        assert verdict(first, "nat-child")["verdict"] == "unknown"  # asked whether: not known yet is the answer
        second = say(ws, "네 살이요")
        assert verdict(second, "nat-child")["verdict"] == "eligible"
        # A correction wins: the child is older than the program allows.
        third = say(ws, "아 잘못 말했어요, 아이가 아홉 살이에요")
        assert verdict(third, "nat-child")["verdict"] == "not_eligible"


def test_the_suite_scores_verdicts_and_facts_end_to_end(deps: Deps, tmp_path: Path) -> None:
    cases = [
        ChatCase(id="c1", lang="ko", turns=["아동수당 받을 수 있나요?", "네 살이요"], policy_id="nat-child",
                 expected_profile={"children": [{"age_years": 4}]}, expected_verdict="eligible"),
        ChatCase(id="c2", lang="ko", turns=["어머니가 일흔 살이세요. 기초연금 받으실 수 있나요?"],
                 policy_id="nat-pension", subject="mother", expected_profile={"age": 70}, expected_verdict="likely"),
    ]  # fmt: skip
    records = run_chat_eligibility(deps, [("t", c) for c in cases], lambda: None)
    assert [r.problems for r in records] == [[], []]
    summary = summarise("eligibility_chat", records)
    assert summary["verdict_accuracy"] == 1.0 and summary["multi_turn_accuracy"] == 1.0
    assert summary["fact_precision"] == 1.0 and summary["fact_recall"] == 1.0


def test_a_case_file_with_a_typo_fails_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "x", "lang": "ko", "turns": ["a"], "policy_id": "p", "expected_profile": {},'
                    ' "expected_verdict": "maybe"}\n', encoding="utf-8")  # fmt: skip
    with pytest.raises(DatasetError, match=r"bad\.jsonl:1"):
        load_chat_cases(path)


@pytest.mark.parametrize(
    ("text", "carried"),
    [
        ("She's 72 and still goes to the market every morning by herself", True),
        ("혼자 사시고 일흔두 살이세요 시장도 혼자 다니세요", True),
        ("She's 72. Can she get help with her dentures?", False),  # a question of its own: searched on its own
        ("still goes to the market every morning", False),  # no fact told
    ],
)
def test_facts_told_after_an_answer_are_about_its_program(deps: Deps, text: str, carried: bool) -> None:
    remember = next(s for s in deps.pipeline.steps if s.name == "remember")
    title = "기초연금"
    ctx = TurnContext(
        question=text,
        history=[PriorTurn(question="우리 엄마 기초연금 받을 수 있나요?", answer="…", policy_titles=[title])],
    )
    asyncio.run(remember(ctx))
    assert (ctx.named_policy == title) is carried


def test_a_grown_up_told_with_a_childs_words_is_no_child() -> None:
    assert read("I live with my 90-year-old grandmother and I take care of her").facts.children is None


def test_facts_that_cannot_be_read_leave_the_turn_answered(deps: Deps, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> object:
        return Child(age_years=300)  # a ValidationError, as a fact no profile can hold raises

    monkeypatch.setattr("counselor.chat.steps.remember.read", broken)
    ctx = TurnContext(question="기초연금 신청은 어디서 해요?")
    asyncio.run(deps.pipeline.run(ctx))
    assert ctx.status == TurnStatus.ANSWERED and ctx.citations
