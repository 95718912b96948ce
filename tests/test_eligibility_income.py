"""Income said in English millions without the word "won" (issue 17): the amount is in won, as anyone in
Korea says it; without a period only an amount a month could be is a month's."""

from __future__ import annotations

import pytest

from counselor.eligibility.income import income
from counselor.eligibility.numerals import normalize


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
