"""Facts read as the words mean them: a fact named only to be denied is a denial, a relative written with a word
of rank or as an in-law is the person asked about."""

import pytest

from counselor.eligibility.facts import extract, read


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        (
            "장애도 없고 수급자도 아니에요. 65세인데 기초연금 받을 수 있나요?",
            {"age": 65, "disability": "none", "recipient": []},
        ),
        ("장애는 없어요", {"disability": "none"}),  # and no "애는 없어요": 장애 is not a child
        ("장애 등급은 없어요", {"disability": "none"}),
        ("수급자는 아니고 차상위도 아니에요", {"recipient": []}),
        ("장애가 있는데 수급자는 아니에요", {"disability": "unspecified", "recipient": []}),
        (
            "기초수급자인데 장애는 없어요",
            {"disability": "none", "recipient": ["livelihood", "medical", "housing", "education"]},
        ),
        ("생계급여 받고 있는데 의료급여는 안 받아요", {"recipient": ["livelihood"]}),
        ("국가유공자는 아니에요", {"veteran": False}),
        ("6·25 참전유공자예요", {"veteran": True}),
        ("I'm not on any benefits and have no disability. I'm 67.", {"age": 67, "disability": "none", "recipient": []}),
        ("I don't know if my disability counts", {"disability": "unspecified"}),
        ("중증장애인이에요", {"disability": "severe"}),
    ],
)
def test_denied_facts(text: str, facts: dict[str, object]) -> None:
    assert extract(text).known() == facts


@pytest.mark.parametrize(
    ("text", "subject", "age"),
    [
        ("My mother-in-law is 81 and lives alone. Can she get the basic pension?", "mother", 81),
        ("my little brother is 19 and disabled", "brother", 19),
        ("My older sister is 45, can she get it?", "sister", 45),
        ("my 80-year-old father lives alone", "father", 80),
    ],
)
def test_relatives_with_a_word_of_rank_or_in_law(text: str, subject: str, age: int) -> None:
    """Relatives written as "my little brother" or "my mother-in-law" are the person asked about, as the
    Korean words are (시어머니 is "mother")."""
    reading = read(text)
    assert (reading.subject, reading.facts.age) == (subject, age)
