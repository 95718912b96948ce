"""Replies to the bot's question said in everyday words: they state nothing but facts (so no model's guess of
a crisis ends the turn), and anything more than facts keeps them from it."""

from __future__ import annotations

from datetime import date

import pytest

from counselor.eligibility.facts import read
from counselor.eligibility.profile import Child, Profile
from counselor.eligibility.replies import only_facts

TODAY = date(2026, 12, 2)


@pytest.mark.parametrize(
    ("known", "asked", "reply"),
    [
        (Profile(children=[Child(age_years=8)]), None, "Sorry, I got that wrong, he's 6. He turns 7 next spring."),
        (Profile(couple=True), "child_age", "We have one boy, he's 11 now."),
        (Profile(children=[Child(age_years=2)]), None, "Oh wait, I mixed it up — she's 20 months."),
        (Profile(children=[Child(), Child()]), None, "이번에 셋째 낳았어요"),
        (Profile(children=[Child(age_years=12)]), "recipient", "We're 차상위, near-poverty."),
        (Profile(recipient=["near_poverty"]), None, "아 잘못 말했어요, 차상위 아니고 주거급여 받아요"),
    ],
)
def test_a_reply_in_everyday_words_is_only_facts(known: Profile, asked: str | None, reply: str) -> None:
    reading = read(reply, known=known, asked=asked, today=TODAY)
    assert reading.facts.known() and reading.only_facts, reading


def test_every_benefit_named_is_the_facts_words() -> None:
    reading = read("의료급여 받고 차상위예요", asked="recipient", today=TODAY)
    assert set(reading.facts.recipient or []) == {"medical", "near_poverty"}
    words = reading.facts.sources["recipient"].words
    assert words.startswith("의료급여") and "차상위" in words and reading.only_facts


@pytest.mark.parametrize(
    ("known", "reply"),
    [
        (Profile(children=[Child(age_years=8)]), "He's 6 and his dad hits him."),
        (Profile(age=44), "I'm 45 and I don't want to live anymore."),
        (Profile(children=[Child(age_years=4)]), "세 살이요. 애가 며칠째 굶었어요"),
        (Profile(children=[Child(age_years=4)]), "세 살이에요 근데 애가 자꾸 다쳐요"),
    ],
)
def test_a_reply_with_anything_more_than_facts_is_not(known: Profile, reply: str) -> None:
    assert not read(reply, known=known, today=TODAY).only_facts


def test_words_inside_a_facts_span_leave_no_fragment() -> None:
    # Blanking "셋째 낳" out of "셋째 낳았어요" left "았어요", which the analyser read as a verb.
    assert only_facts("이번에 셋째 낳았어요", [(4, 9)])
    assert not only_facts("이번에 셋째 낳았어요 너무 무서워요", [(4, 9)])


@pytest.mark.parametrize("reply", ["45살이요", "45", "마흔다섯 살 반이에요", "500개월"])
def test_an_age_too_old_for_a_child_is_no_childs_age_and_no_error(reply: str) -> None:
    # Asked a child's age, the citizen gives their own (or a slip): no child is that old (Child's bounds).
    reading = read(reply, known=Profile(children=[Child()]), asked="child_age", today=TODAY)
    assert all(c.age_years is None and c.age_months is None for c in reading.facts.children or [])
    aged = read("생후 100일이요", known=Profile(children=[Child()]), asked="child_age", today=TODAY)
    assert aged.facts.children and aged.facts.children[0].age_months == 3


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        # After asking about a grandmother, nobody asked her age: "she" is the person spoken of.
        ("She's 90 and already has grade 2", {"age": 90}),
        ("She's 13 months old", {"children": [{"age_years": None, "age_months": 13, "birth": None}]}),
        ("she's 4", {}),  # a child's age in years, or the person's? Nothing said: asked, not guessed
    ],
)
def test_he_or_she_with_an_age_is_the_person_spoken_of(text: str, facts: dict[str, object]) -> None:
    assert read(text, known=Profile()).facts.known() == facts


def test_a_disabilitys_degree_said_alone_is_its_degree_once_a_disability_is_known() -> None:
    known = Profile(disability="unspecified")
    assert read("저 마흔다섯이고 중증이에요", known=known, today=TODAY).facts.disability == "severe"
    assert read("심하지 않은 장애예요", known=known, today=TODAY).facts.disability == "mild"


def test_words_the_message_reads_as_one_fact_are_not_taken_for_the_fact_asked() -> None:
    # "일흔넷이세요" right after the income question corrects the age told before; it is not 74만 원.
    reading = read("아 잘못 말했어요 일흔넷이세요", known=Profile(age=73), asked="income", today=TODAY)
    assert reading.facts.age == 74 and reading.facts.monthly_income is None
    assert read("350이요", asked="income", today=TODAY).facts.monthly_income == 3_500_000
