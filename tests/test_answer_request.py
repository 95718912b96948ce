"""Answerers read a frozen AnswerRequest, not the turn's context; who wrote an answer is a field, not a prefix."""

from __future__ import annotations

import dataclasses

import pytest

from counselor.chat.answerers.base import AnswerRequest
from counselor.chat.answerers.extractive import clip
from counselor.chat.context import Authorship, PriorTurn, Revision, TurnContext


def test_a_request_is_a_frozen_copy_of_what_the_answerer_may_read() -> None:
    ctx = TurnContext(question="그럼 신청은?", standalone="기초연금 신청은?", language="ko")
    ctx.history.append(PriorTurn(question="기초연금 얼마예요?", answer="..."))
    request = AnswerRequest.of(ctx)
    ctx.history.clear()
    assert request.asked == "기초연금 신청은?" and len(request.history) == 1 and request.sources == ()
    field = "language"  # set by name: the type checker rightly refuses the assignment written out
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(request, field, "en")


def test_the_audit_label_is_rendered_from_the_authorship() -> None:
    ctx = TurnContext(question="q")
    assert ctx.answerer == ""
    ctx.written_by = Authorship("extractive", Revision.FALLBACK)
    assert ctx.answerer == "extractive (fallback)"
    assert Authorship("openai:served", Revision.TRIMMED).label == "openai:served (trimmed)"
    assert Authorship("model:x").label == "model:x"


def test_a_clipped_source_never_ends_inside_an_amount() -> None:
    text = "안마사 자격이 있는 시각장애인 노인복지시설에서 안마서비스 일 5시간 주 25시간 129만 2,160원 지급 이후 생략"
    cut = clip(text, text.index("2,160원") + 2)
    assert cut.endswith(" …") and "129만 …" not in cut and "129만 2,160원" not in cut
    assert clip(text, len(text)) == text
