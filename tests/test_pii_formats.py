"""Identifiers in the ways people write them (issue 18 found 29 of 59 formats stored raw): every class here is
masked, and what ordinary welfare questions hold (amounts, dates, office numbers) is left alone.
Numbers are fakes made for these tests."""

from __future__ import annotations

import re

import pytest

from counselor.chat.safety.pii import mask_identifiers


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


@pytest.mark.parametrize(
    ("text", "kind", "secret"),
    [
        # resident registration numbers: separators, spacing, full-width, foreign residents, number words
        ("주민번호 900101—1234567 입니다", "rrn", "9001011234567"),
        ("주민번호 900101.1234567", "rrn", "9001011234567"),
        ("주민번호 900101/1234567", "rrn", "9001011234567"),
        ("주민번호 900101_1234567", "rrn", "9001011234567"),
        ("주민번호 9 0 0 1 0 1 - 1 2 3 4 5 6 7", "rrn", "9001011234567"),
        ("주민번호 ９００１０１－１２３４５６７", "rrn", "9001011234567"),
        ("외국인등록번호 850505-5123456", "rrn", "8505055123456"),
        ("외국인 등록번호는 850505-6123457이에요", "rrn", "8505056123457"),
        ("1899년생? 991231-9123456", "rrn", "9912319123456"),
        ("주민번호 구공공일공일 일이삼사오육칠", "rrn", "9001011234567"),
        # phones
        ("연락처 82-10-2233-4455", "phone", "1022334455"),
        ("연락처 (010) 2233-4455", "phone", "01022334455"),
        ("연락처 010–2233–4455", "phone", "01022334455"),
        ("연락처 010/2233/4455", "phone", "01022334455"),
        ("연락처 010 - 2233 - 4455", "phone", "01022334455"),
        ("연락처 ０１０－２２３３－４４５５", "phone", "01022334455"),
        ("연락처 +82 10 2233 4455", "phone", "1022334455"),
        ("제번호는01022334455입니다", "phone", "01022334455"),
        ("주민번호는9001011234567이고요", "rrn", "9001011234567"),
        # cards
        ("카드 4111.1111.1111.1111", "card", "4111111111111111"),
        ("카드 4111-1111 1111.1111", "card", "4111111111111111"),
        # accounts after a bank name or 통장
        ("국민은행 67890123456789 로 넣어주세요", "account", "67890123456789"),
        ("통장 110 345 678901", "account", "110345678901"),
        ("신한 110-345-678901", "account", "110345678901"),
        # e-mail written out
        ("메일은 name @ daum.net 이에요", "email", "name"),
        ("choi at gmail dot com 으로 주세요", "email", "choi"),
        ("jung(at)hanmail.net", "email", "jung"),
        ("메일 park＠naver.com", "email", "park"),
        ("lee골뱅이naver.com", "email", "lee"),
        # passports
        ("여권번호 M123A4567", "passport", "M123A4567"),
        ("passport m12345678", "passport", "m12345678"),
    ],
)
def test_identifier_formats_are_masked(text: str, kind: str, secret: str) -> None:
    masked = mask_identifiers(text)
    assert kind in masked.kinds, masked
    assert secret.lower() not in masked.text.lower()
    if secret.isdigit():
        assert secret[-4:] not in digits(masked.text), masked.text


@pytest.mark.parametrize(
    "text",
    [
        "월 최대 33만 4,810원까지 지원",
        "소득 150만원, 자녀 2명",
        "2024년 4월 기준 65세 이상",
        "☎129 또는 1577-1000",
        "국민연금공단 1355, 보건복지상담센터 129, 1644-6621 로 문의",
        "2024.03.15 부터 2024.12.31 까지 신청",
        "재산 1,000,000,000원 이하",
        "월 3000000원 이하 가구",
        "기준 중위소득 50% 이하, 4인 가구 2,865,000원",
        "2023-2024년 지원 내역",
        "I earn 2,400,000 won a month; am I eligible?",
        "Call 1588-1234 at 9:30 on 2024/05/01",
    ],
)
def test_ordinary_numbers_are_not_identifiers(text: str) -> None:
    assert mask_identifiers(text).text == text


def test_masking_is_idempotent_and_keeps_the_words() -> None:
    once = mask_identifiers("제 번호 010-2233-4455, 기초연금 신청하려고요")
    assert "기초연금 신청하려고요" in once.text and mask_identifiers(once.text).text == once.text


def test_the_first_half_of_an_identifier_split_across_messages_is_masked() -> None:
    assert "rrn" in mask_identifiers("제 주민번호 앞자리는 900101-").kinds
    assert "rrn" in mask_identifiers("뒷자리 1234567").kinds
    assert "phone" in mask_identifiers("번호는 010-2233").kinds


@pytest.mark.parametrize(
    ("first", "second", "secret"),
    [
        ("제 번호는 010-3300", "4411 이에요", "4411"),
        ("주민번호 900101-", "1234567 입니다", "1234567"),
        ("카드번호 4111-1111", "1111-1111", "1111-1111"),
        ("my email is someone77", "@gmail.com", "gmail"),
    ],
)
def test_the_second_half_is_masked_after_a_masked_first_half(first: str, second: str, secret: str) -> None:
    stored = mask_identifiers(first)
    assert stored.changed
    assert secret not in mask_identifiers(second, before=stored.text).text
    assert mask_identifiers("기초연금 얼마예요?", before=stored.text).text == "기초연금 얼마예요?"


@pytest.mark.parametrize(
    "text",
    ["시청 대표전화 031-900-1000 맞죠?", "주민센터 02-700-1000에 전화했는데 안 받아요", "Should I call 051-100-1000?"],
)
def test_an_office_landline_the_citizen_calls_stays(text: str) -> None:
    assert mask_identifiers(text).text == text


def test_a_landline_given_as_the_citizens_own_is_masked() -> None:
    assert "phone" in mask_identifiers("제 집 전화는 031-900-1234, 여기로 연락 주세요").kinds
