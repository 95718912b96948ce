"""Reading facts from what citizens say: number words, births as dates, who the question is about, and the
words each fact came from."""

from __future__ import annotations

from datetime import date

import pytest

from counselor.eligibility.facts import read
from counselor.eligibility.numerals import normalize
from counselor.eligibility.profile import Child, Profile

TODAY = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("아들이 열다섯 살이에요", "아들이 15 살이에요"),
        ("어머니가 일흔두 살이세요", "어머니가 72 살이세요"),
        ("생후 백일 된 아기", "생후 100일 된 아기"),
        ("한 달에 이백오십만 원 벌어요", "1 달에 2500000 원 벌어요"),
        ("월소득 500만원", "월소득 500만원"),  # digits with a unit stay as they are
        ("네, 세금이 많아요", "네, 세금이 많아요"),  # 네 = yes, 세금 is no number
        ("I am seventy-two", "I am 72"),
    ],
)
def test_number_words_become_digits(text: str, digits: str) -> None:
    assert normalize(text).text == digits


def test_the_words_map_back_to_what_the_citizen_wrote() -> None:
    reading = read("우리 딸이 네 살인데 아동수당 받을 수 있어요?")
    assert reading.facts.children is not None and reading.facts.children[0].age_years == 4
    assert reading.facts.sources["children"].words == "딸이 네 살"


@pytest.mark.parametrize(
    ("text", "child"),
    [
        ("지난주에 낳았어요", {"age_months": 0}),
        ("작년 12월에 셋째를 낳았어요", {"birth": "2025-12"}),
        ("두 달 전에 태어났어요", {"birth": "2026-10"}),
        ("지난달에 첫째 낳았어요", {"birth": "2026-11"}),
        ("my baby was born in December 2025", {"birth": "2025-12"}),
        ("I gave birth last week", {"age_months": 0}),
        ("생후 100일 된 아기 있어요", {"age_months": 3}),
    ],
)
def test_a_birth_stated_as_an_event_is_the_childs_age(text: str, child: dict[str, object]) -> None:
    children = read(text, today=TODAY).facts.children
    assert children is not None
    assert {k: v for k, v in children[-1].model_dump().items() if v is not None} == child


def test_a_third_child_born_means_three_children() -> None:
    children = read("작년 12월에 셋째를 낳았어요", today=TODAY).facts.children
    assert children is not None and len(children) == 3


@pytest.mark.parametrize(
    ("text", "subject", "facts"),
    [
        ("아버지가 70세이신데 혼자 사세요. 기초연금 받으실 수 있나요?", "father", {"age": 70, "lives_alone": True}),
        ("우리 엄마가 72세예요", "mother", {"age": 72}),
        ("My mother is 72 and lives alone. Can she get the basic pension?", "mother", {"age": 72, "lives_alone": True}),
        ("어머니가 기초연금 받으실 수 있나요?", "mother", {}),
        ("Can my mother get the basic pension?", "mother", {}),
        ("남편이 갑자기 실직했어요", None, {"crisis": True}),  # a spouse's job is the household's crisis
        ("참전유공자 아버지를 모시고 살아요", None, {"veteran": True}),  # named in passing
        ("저는 45살이에요", "self", {"age": 45}),
    ],
)
def test_who_the_message_is_about(text: str, subject: str | None, facts: dict[str, object]) -> None:
    reading = read(text)
    assert reading.subject == subject
    known = reading.facts.known()
    assert {k: known.get(k) for k in facts} == facts


def test_an_age_beside_a_relative_is_theirs_not_the_citizens() -> None:
    reading = read("62세 남편과 둘이 살아요")
    assert reading.facts.age is None and reading.others["husband"].age == 62


@pytest.mark.parametrize(
    ("text", "fact", "value"),
    [
        ("저는 6·25 참전유공자이고 85세예요", "veteran", True),
        ("지체장애 2급이에요", "disability", "severe"),
        ("장애 정도가 심하지 않은 장애인이에요", "disability", "mild"),
        ("소득이 거의 없어요", "monthly_income", 0),
        ("연봉 3600만원이에요", "monthly_income", 3_000_000),
        ("I earn 30 million won a year", "monthly_income", 2_500_000),
        ("가게가 폐업했어요", "crisis", True),
        ("월남전 참전했고 올해 일흔여덟이에요", "age", 78),
        ("she gets about 500k a month", "monthly_income", 500_000),
        ("he earns 800 thousand won a month", "monthly_income", 800_000),
    ],
)
def test_statuses_incomes_and_crises(text: str, fact: str, value: object) -> None:
    assert read(text).facts.known().get(fact) == value


@pytest.mark.parametrize(
    ("text", "asked", "facts"),
    [
        ("네 살이요", "child_age", {"children": [{"age_years": 4, "age_months": None, "birth": None}]}),
        ("8개월이요", "child_age", {"children": [{"age_years": None, "age_months": 8, "birth": None}]}),
        ("두 명이요", "household", {"household_size": 2}),
        ("일흔두 살이세요", "age", {"age": 72}),
        ("She's 81", "age", {"age": 81}),
        ("He is 3", "child_age", {"children": [{"age_years": 3, "age_months": None, "birth": None}]}),
    ],
)
def test_a_short_reply_answers_the_question_asked(text: str, asked: str, facts: dict[str, object]) -> None:
    assert read(text, asked=asked).facts.known() == facts


def test_a_short_reply_without_a_question_asked_says_nothing_it_cannot() -> None:
    assert read("두 명이요").facts.known() == {}


def test_each_childs_own_age_in_a_list_of_children() -> None:
    """An age is read once: "네 살 작은애" and "큰애 네 살" share the 4, "작은애 세 살" is the second child's 3."""
    ages = sorted(c.age_years or 0 for c in read("큰애 네 살 작은애 세 살이에요", None, None).facts.children or [])
    assert ages == [3, 4]


@pytest.mark.parametrize(
    ("text", "size", "couple"),
    [
        ("엄마랑 둘이 살아요", 2, None),  # the citizen and their mother: two, no couple
        ("어머니가 아버지랑 두 분이 사세요", 2, True),
        ("식구는 넷이에요", 4, None),
        ("There are three of us", 3, None),
    ],
)
def test_how_many_live_together_in_words(text: str, size: int, couple: bool | None) -> None:
    facts = read(text, None, None).facts
    assert facts.household_size == size and facts.couple == couple


@pytest.mark.parametrize(
    ("text", "children"),
    [
        # The time since the birth, after the verb; twins are both that age.
        ("쌍둥이 낳은지 두 달 됐어요 부모급여 둘 다 받을 수 있나요", [{"age_months": 2}, {"age_months": 2}]),
        ("태어난지 100일 됐어요", [{"age_months": 3}]),
        # "born" after the child it is said of, with a month.
        (
            "We have twins born in May 2019. Are they still getting 아동수당?",
            [{"birth": "2019-05"}, {"birth": "2019-05"}],
        ),
        ("My son, born in March, is in hospital", [{"birth": "2026-03"}]),
    ],
)
def test_a_birth_told_after_the_child_or_as_time_since(text: str, children: list[dict[str, object]]) -> None:
    said = read(normalize(text).text, today=date(2026, 12, 3)).facts.children or []
    assert [{k: v for k, v in c.model_dump().items() if v is not None} for c in said] == children


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("일흔하나시고 수급자나 차상위는 아니시고 기초연금만 받으세요", 71),  # no 이 after 하나
        ("아버지 일흔하나신데 기초연금 되나요", 71),
        ("10시고 늦었어요", None),  # a time, not an age
        ("아버지 10시고", None),
    ],
)
def test_an_honorific_after_a_number_word_ending_in_a_vowel_is_an_age(text: str, age: int | None) -> None:
    assert read(normalize(text).text, known=Profile()).facts.age == age


def test_one_who_turns_an_age_soon_is_a_year_younger_now() -> None:
    assert read("My mom turns 66 this year").facts.age == 66
    assert read("My dad turns 65 next month").facts.age == 64
    known = Profile(children=[Child()])
    said = read("He turns seven next month, so he's still six right now", known=known).facts.children
    assert said is not None and said[0].age_years == 6


def test_a_childs_age_said_after_a_grade_is_the_number_with_an_age_unit() -> None:
    known = Profile(children=[Child()])
    said = read("초등학교 3학년이고 올해 생일 지나서 만 아홉 살 됐어요", known=known).facts.children
    assert said is not None and said[0].age_years == 9


@pytest.mark.parametrize(
    ("text", "subject", "age"),
    [
        ("스물셋 싱글맘이에요", None, 23),
        ("광양 사는 서른넷 여자예요", None, 34),
        ("우리 어무이 일흔다섯인데 깜빡깜빡하시가꼬", "mother", 75),
        ("조카가 열 살이에요", "niece_or_nephew", 10),
        ("my niece is 26 and her family is 차상위.", "niece", 26),
    ],
)
def test_ages_said_before_what_one_is_and_relatives_in_dialect(text: str, subject: str | None, age: int) -> None:
    reading = read(text)
    assert (reading.subject, reading.facts.age) == (subject, age)


def test_an_amount_is_no_age_before_what_one_is() -> None:
    assert read("월 30 직장인").facts.age is None


def test_a_childs_age_asked_for_is_the_childs_not_the_citizens_too() -> None:
    facts = read("열다섯 살이고요, 저희 차상위계층이에요", asked="child_age", known=Profile(children=[Child()])).facts
    assert facts.age is None and facts.children is not None and facts.children[0].age_years == 15


def test_a_share_of_the_median_said_is_the_households_band() -> None:
    assert read("동사무소에서 저희 집 중위소득 60%라고 했어요").facts.income_band == (0.6, 0.6)
    assert read("our household income is about 50% of the median").facts.income_band == (0.5, 0.5)


def test_months_said_beside_the_years_are_the_closer_age() -> None:
    known = Profile(children=[Child()])
    said = read("He's 2 — about 30 months — and goes to a 가정어린이집", known=known).facts.children
    assert said is not None and said[0].age_months == 30
    other = read("He's 2, we have 3 months left on the lease", known=known).facts.children
    assert other is not None and other[0].age_years == 2  # months that are no age of his
