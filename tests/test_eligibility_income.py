"""Income said in English millions without the word "won" (issue 17): the amount is in won, as anyone in
Korea says it; without a period only an amount a month could be is a month's."""

from __future__ import annotations

import pytest

from counselor.eligibility.facts import read
from counselor.eligibility.income import income
from counselor.eligibility.numerals import normalize
from counselor.eligibility.profile import Profile


@pytest.mark.parametrize(
    ("text", "monthly"),
    [
        ("There are four of us, and we earn about 2.4 million a month.", 2_400_000),
        ("Our income is about 1.5 million a month.", 1_500_000),
        ("We're a family of four with about 5 million a month.", 5_000_000),
        ("It's me and two kids, and I make about 4 million.", 4_000_000),
        ("Me, my husband and our son bring in about 4 million a month.", 4_000_000),
        ("I got laid off, but my wife still earns 7 million a month.", 7_000_000),
        ("I earn 36 million a year.", 3_000_000),
    ],
)
def test_millions_without_won(text: str, monthly: int) -> None:
    said = income(normalize(text).text)
    assert said is not None and said[0] == monthly


@pytest.mark.parametrize("text", ["I make 40 million.", "Our rent is about 1 million a month."])
def test_no_month_said_for_a_years_pay_nor_rent(text: str) -> None:
    assert income(normalize(text).text) is None


@pytest.mark.parametrize(
    ("text", "monthly"),
    [
        # An amount before a word of earning is a month's pay, whatever stands between it and a month word.
        ("한 달에 둘이 합쳐 350 벌어요", 3_500_000),
        ("월세 50 내고 150 벌어요", 1_500_000),
        ("남편이 300 벌어 와요", 3_000_000),
        # A year's pay in thousands of 만 원, as it is said.
        ("연봉 3천 벌어요", 2_500_000),
    ],
)
def test_an_amount_earned_is_a_months_pay(text: str, monthly: int) -> None:
    said = read(normalize(text).text)
    assert said.facts.monthly_income == monthly and not said.others


@pytest.mark.parametrize(
    ("text", "asked", "known", "monthly"),
    [
        ("350이요", "income", None, 3_500_000),
        ("세 식구고 250 정도요", "income", None, 2_500_000),
        # A correction of the income already said, nobody asking.
        ("Oh sorry, it's actually 2 million, not 3.", None, Profile(monthly_income=3_000_000), 2_000_000),
        # ... and after the bot asked something else: the words of a correction say what is corrected, and the
        # numbers of the amount are no child's age.
        ("Oh sorry, it's actually 2 million, not 3.", "child_age", Profile(monthly_income=3_000_000), 2_000_000),
        ("아 잘못 말했어요 월 200이에요", "age", Profile(income_band=(0.5, 0.6)), 2_000_000),
    ],
)
def test_a_reply_about_income_is_read_as_income(
    text: str, asked: str | None, known: Profile | None, monthly: int
) -> None:
    assert read(normalize(text).text, asked=asked, known=known).facts.monthly_income == monthly


def test_an_age_asked_is_not_taken_for_money() -> None:
    assert read("2살이에요", asked="income").facts.monthly_income is None
