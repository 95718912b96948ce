"""A message's plain facts (ages, children, a place, a program's name) do not make it a crisis: the router's
reading other than a welfare question is checked against the words left without them (issue 17)."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable
from pathlib import Path

import numpy as np

from counselor.chat.context import PriorTurn, TurnContext
from counselor.chat.routing.model import RouterModel
from counselor.chat.routing.router import Router
from counselor.chat.routing.routes import Route
from counselor.chat.statuses import TurnStatus
from counselor.deps import Deps
from counselor.eligibility.facts import read
from counselor.eligibility.rest import without_plain_facts
from counselor.settings import RouterSettings

DIM = 256  # the hashing embedder's


def _log_p(p: dict[Route, float]) -> np.ndarray:
    return np.array([math.log(max(p.get(c, 0.0), 1e-9)) for c in Route], dtype=np.float32)


def marker_router(tmp_path: Path, marks: dict[str, dict[Route, float]]) -> Router:
    """A router whose model reads a text by the words in it: each marker word, when present, moves the
    reading to its probabilities (one embedding dimension per marker); a text with none is a welfare question."""
    welfare = {Route.WELFARE: 1.0}
    coef = np.zeros((len(Route), DIM), dtype=np.float32)
    for i, p in enumerate(marks.values()):
        coef[:, i] = _log_p(p) - _log_p(welfare)
    RouterModel(tuple(Route), coef, _log_p(welfare), "hashing-256").save(tmp_path / "hashing-256.npz")

    def embed(text: str) -> np.ndarray:
        vector = np.zeros(DIM, dtype=np.float32)
        for i, word in enumerate(marks):
            vector[i] = float(word in text)
        return vector

    return Router(RouterSettings(model_dir=tmp_path), embed, "hashing-256", DIM)


CHILD_AT_RISK = {Route.CRISIS_CHILD: 0.9, Route.WELFARE: 0.1}


def test_the_words_left_are_the_message_without_its_ages_children_and_programs() -> None:
    rest = read("애가 일곱 살이요 내년에 초등학교 들어가요", None).rest
    assert rest is not None and "7" not in rest and "일곱" not in rest and "초등학교 들어가요" in rest
    programs = lambda t: [(t.index("에너지바우처"), t.index("에너지바우처") + len("에너지바우처"))]  # noqa: E731
    rest = read("에너지바우처 우리집 되나요? 애 둘 키워요", None, programs=programs).rest
    assert rest is not None and "에너지바우처" not in rest and "우리집 되나요?" in rest
    assert read("요즘 너무 힘들어요", None).rest is None  # no facts: nothing to read again


def test_a_span_that_joins_facts_said_far_apart_is_not_cut() -> None:
    text = "딸이 7살인데 아빠가 매일 때리고 밥도 안 줘요 아들은 9살"
    assert without_plain_facts(text, [(0, len(text))]) is None
    first, last = (0, text.index("인데")), (text.index("아들은"), len(text))
    # A span ending inside a word takes the whole word: no stub ("인데") is left to read as a sentence.
    assert without_plain_facts(text, [first, last]) == "아빠가 매일 때리고 밥도 안 줘요"


def test_a_crisis_read_from_the_facts_alone_is_a_welfare_question(tmp_path: Path) -> None:
    router = marker_router(tmp_path, {"살": CHILD_AT_RISK})
    text, rest = "애가 일곱 살이요 내년에 초등학교 들어가요", "이요 내년에 초등학교 들어가요"
    assert router.decide(text).route == Route.CRISIS_CHILD  # the facts not known: the safe side
    decision = router.decide(text, "초등학생 돌봄", rest)
    assert decision.route == Route.WELFARE and decision.crisis is None and decision.decided_by == "model_less_facts"
    assert router.decide("일곱 살", None, "").route == Route.WELFARE  # nothing but facts


def test_distress_read_from_the_facts_alone_is_a_welfare_question_and_in_the_other_words_stays(
    tmp_path: Path,
) -> None:
    sad = {Route.DISTRESS: 0.8, Route.WELFARE: 0.2}
    router = marker_router(tmp_path, {"혼자": sad, "울어요": sad})
    alone = router.decide("서른둘이고 혼자 살아요", None, "이고")
    assert alone.route == Route.WELFARE and alone.decided_by == "model_less_facts"
    crying = router.decide("서른둘이고 혼자 살아요 매일 울어요", None, "이고 매일 울어요")
    assert crying.route == Route.DISTRESS


def test_a_danger_in_the_words_besides_the_facts_stays_a_crisis(tmp_path: Path) -> None:
    router = marker_router(tmp_path, {"살": CHILD_AT_RISK, "혼자": CHILD_AT_RISK})
    starving = router.decide("일곱 살 애가 이틀째 혼자 있어요", None, "애가 이틀째 혼자 있어요")
    assert starving.route == Route.CRISIS_CHILD and starving.decided_by == "model"
    # A rule's danger is never read again, facts or not.
    stated = router.decide("일곱 살 애가 있는데 죽고 싶어요", None, "애가 있는데 죽고 싶어요")
    assert stated.is_crisis and stated.decided_by == "rule"


def test_a_reply_with_facts_in_a_conversation_is_answered_not_taken_for_a_crisis(
    make_deps: Callable[..., Deps], tmp_path: Path
) -> None:
    deps = make_deps()
    deps.__dict__["router"] = marker_router(tmp_path, {"살": CHILD_AT_RISK, "혼자": CHILD_AT_RISK})
    earlier = PriorTurn(question="아동수당 받을 수 있나요?", answer="아이가 몇 살인가요?", policy_titles=["아동수당"])
    ctx = asyncio.run(deps.pipeline.run(TurnContext(question="애가 일곱 살이요 내년에 학교 가요", history=[earlier])))
    assert ctx.without_facts is not None and ctx.status != TurnStatus.CRISIS, (ctx.status, ctx.without_facts)
    alone = "애가 일곱 살이요 이틀째 혼자 집에 있어요"
    ctx = asyncio.run(deps.pipeline.run(TurnContext(question=alone, history=[earlier])))
    assert ctx.status == TurnStatus.CRISIS


def test_a_danger_of_any_kind_in_one_sentence_of_a_question_is_a_crisis(tmp_path: Path) -> None:
    marks = {"belt": CHILD_AT_RISK, "prison": {Route.CRISIS_VIOLENCE: 0.75, Route.WELFARE: 0.25}}
    router = marker_router(tmp_path, marks)
    whole = router.embed

    def embed(text: str) -> np.ndarray:  # the whole question reads as welfare; each sentence by its words
        return np.zeros(DIM, dtype=np.float32) if "?" in text else whole(text)

    router.embed = embed
    hidden = router.decide("Can I apply for daycare support? Also, my husband hits our 4-year-old with a belt.")
    assert hidden.route == Route.CRISIS_CHILD and hidden.decided_by == "model_in_sentence"
    # Below the far higher bar for kinds other than suicide, a sentence that tells the situation is no danger.
    told = router.decide("Is there family support for us? My husband is in prison.")
    assert told.route == Route.WELFARE


def test_a_sentences_danger_is_read_after_the_conversation_made_the_message_a_question(tmp_path: Path) -> None:
    unsure = {Route.CRISIS_SUICIDE: 0.35, Route.WELFARE: 0.65}  # below crisis_in_conversation: read again
    router = marker_router(tmp_path, {"pension": unsure, "tonight": {Route.CRISIS_SUICIDE: 0.9}})
    marked = router.embed

    def embed(text: str) -> np.ndarray:  # after the policy's name the whole reads as a question
        if text.startswith("기초연금제도"):
            return np.zeros(DIM, dtype=np.float32)
        vector = marked(text)
        vector[1] *= float("pension" not in text)  # the sentence alone, not drowned by the question
        return vector

    router.embed = embed
    text = "thanks. also, will the pension go to my daughter after I'm gone? I've decided tonight is it"
    decision = router.decide(text, "기초연금제도")
    assert decision.route == Route.CRISIS_SUICIDE and decision.decided_by == "model_in_sentence"
    assert router.decide("also, will the pension go to my daughter?", "기초연금제도").route == Route.WELFARE


def test_the_words_left_hold_no_stub_of_a_word_a_fact_cut_into() -> None:
    text = "고양 사는데 이번에 둘째 낳았어요. 셋째 이상 출산지원금 받을 수 있나요?"
    cut = [(text.index("둘째"), text.index("낳") + 1)]  # a birth read as "둘째 낳": the word goes on past it
    assert without_plain_facts(text, cut) == "고양 사는데 이번에 . 셋째 이상 출산지원금 받을 수 있나요?"
