"""Which fact a question asks for, in everyday Korean and English, and the program names it spells out."""

from __future__ import annotations

import pytest

from counselor.chat.answerers.aspects import asked_aspects, primary_aspect
from counselor.chat.sources import Aspect
from counselor.retrieval.query_text import clean_query, title_matches


@pytest.mark.parametrize(
    ("question", "aspect"),
    [
        ("기초연금 얼마 나와요?", Aspect.CONTENT),
        ("한 달에 금액이 어느 정도인가요", Aspect.CONTENT),
        ("훈련비 몇 % 지원돼요?", Aspect.CONTENT),
        ("How much is the child allowance?", Aspect.CONTENT),
        ("What do I get from the basic pension?", Aspect.CONTENT),
        ("신청하려면 뭐 챙겨가야 돼요?", Aspect.DOCUMENTS),
        ("주민센터에 가져가야 할 서류가 있나요", Aspect.DOCUMENTS),
        ("What documents do I need?", Aspect.DOCUMENTS),
        ("궁금한 게 있으면 어디로 전화해요?", Aspect.CONTACT),
        ("상담 전화번호 알려주세요", Aspect.CONTACT),
        ("Who do I call about it?", Aspect.CONTACT),
        ("아동수당은 몇 살까지 받아요?", Aspect.TARGET),
        ("누가 받을 수 있어요?", Aspect.TARGET),
        ("Am I eligible if I am 70?", Aspect.TARGET),
        ("언제까지 신청해야 하나요?", Aspect.PERIOD),
        ("How long does it last?", Aspect.PERIOD),
        ("어디서 신청해요?", Aspect.METHOD),
        ("어떻게 받을 수 있나요", Aspect.METHOD),
        ("How do I apply?", Aspect.METHOD),
    ],
)
def test_the_aspect_asked_is_recognised_in_everyday_words(question: str, aspect: Aspect) -> None:
    assert primary_aspect(question) == aspect


def test_a_question_about_the_program_as_a_whole_asks_no_one_aspect() -> None:
    assert asked_aspects("기초연금 알려주세요") == ()
    assert asked_aspects("Tell me about the youth rent support") == ()


def test_the_most_specific_aspect_leads() -> None:
    assert asked_aspects("어디로 전화해서 신청해요?")[:2] == (Aspect.CONTACT, Aspect.METHOD)


def test_a_name_inside_a_longer_name_loses_to_it() -> None:
    titles = ["아동수당", "장애아동수당", "통합문화이용권(문화누리카드)"]
    assert title_matches("아동수당은 몇 살까지 받아요?", titles) == ["아동수당"]
    assert title_matches("장애아동수당 얼마예요", titles) == ["장애아동수당"]
    assert title_matches("문화누리카드 잔액 확인", titles) == ["통합문화이용권(문화누리카드)"]
    assert title_matches("아이 키우는데 지원 있나요", titles) == []


def test_generic_phrasing_is_dropped_but_never_the_whole_question() -> None:
    assert clean_query("이 서비스의 지원 대상은 어떻게 되나요?") == "지원 대상"
    assert clean_query("기초연금에 대해 알려주세요") == "기초연금"
    assert clean_query("알려주세요") == "알려주세요"
