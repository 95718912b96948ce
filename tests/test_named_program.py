"""A program named inside a longer question is answered from it only when no other program's title says more of
the question (issue 16: WelSSISKo's questions name 건강보험 or 독립유공자 while asking about a narrower service)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import cast

import pytest

from counselor.chat.safety.intents import asks_to_keep
from counselor.chat.steps.retrieve import Retrieve
from counselor.eligibility.engine import PolicyCriteria
from counselor.eligibility.naming import PolicyNames
from counselor.policies import SearchHit
from counselor.retrieval.hybrid import HybridRetriever

PROGRAMS = [
    PolicyCriteria("health", "건강보험제도", ()),
    PolicyCriteria("farmers", "농어업인 건강보험료 지원", ()),
    PolicyCriteria("child", "아동수당", ()),
    PolicyCriteria("disabled-child", "장애아동수당", ()),
    PolicyCriteria("goyang-third", "고양시 셋째 이상 출산지원금", (), sido="경기도", district="고양시"),
    PolicyCriteria("dorm", "대학생 연합생활관(은행권, 고양)", ()),
]
NAMES = PolicyNames(PROGRAMS)


def retrieval_first(first: str) -> list[SearchHit]:
    return [SearchHit(policy_id="x", title=first, score=0.1, section="대상", text="", source="x")]


RETRIEVE = Retrieve(cast(HybridRetriever, SimpleNamespace()), NAMES, k=5)


@pytest.mark.parametrize(
    ("question", "named", "first", "said_better"),
    [
        # A narrower program holding the name and more of the question's words is what it asks about.
        ("농어업인의 건강보험료 지원 상한은 어떻게 되나요?", "건강보험제도", "농어업인 건강보험료 지원", True),
        # A longer title holding only the name says no more: the named program stands.
        ("아동수당은 몇 살까지 받아요?", "아동수당", "장애아동수당", False),
        # A place says where, not what, in the question as in the titles.
        ("고양 셋째 출산지원금 얼마예요?", "고양시 셋째 이상 출산지원금", "대학생 연합생활관(은행권, 고양)", False),
        # Retrieval's first is the named program: nothing to weigh.
        ("건강보험제도 알려주세요", "건강보험제도", "건강보험제도", False),
        (None, None, "건강보험제도", False),
    ],
)
def test_a_name_inside_a_longer_question(
    question: str | None, named: str | None, first: str, said_better: bool
) -> None:
    assert RETRIEVE._said_better(question or "x", retrieval_first(first), named) is said_better


def test_how_much_of_a_question_a_title_says() -> None:
    question = "농어업인의 건강보험료 지원 상한은 어떻게 되나요?"
    narrow, broad, none = NAMES.holds(question, ["농어업인 건강보험료 지원", "건강보험제도", "없는 제도"])
    assert narrow > broad > 0
    assert none == 0.0


def test_a_program_received_is_the_one_asked_about_when_the_question_is_whether_it_goes_on() -> None:
    question = "아동수당 받고 있는데 애가 곧 여덟 살 돼요 계속 받을 수 있나요"
    assert NAMES.exact(question) is None  # said as received: a fact about the citizen
    assert NAMES.exact(question, received=True) == "child"
    assert asks_to_keep(question) and asks_to_keep("We get 아동수당, can we still get it when she turns 8?")
    assert not asks_to_keep("생계급여 받는데 주거 지원 받을 수 있나요?")  # another program asked about
