"""Facts from everyday words (issue 17): income, where the citizen lives, short replies and corrections, who a
child's question is about, conditions said in words, and what the office settles."""

from __future__ import annotations

from datetime import date

import pytest

from counselor.eligibility.conditions import conditions
from counselor.eligibility.criteria import Criterion
from counselor.eligibility.engine import EligibilityEngine, PolicyCriteria
from counselor.eligibility.facts import read
from counselor.eligibility.income import income
from counselor.eligibility.naming import PolicyNames
from counselor.eligibility.profile import Child, Profile
from counselor.eligibility.reference import ReferenceTables
from counselor.eligibility.residence import Residence
from counselor.eligibility.subject import for_policy, for_verdict
from counselor.retrieval.regions import RegionDirectory
from counselor.settings import PROJECT_ROOT

TODAY = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("text", "monthly"),
    [
        ("월 150 버는데 주거급여 받을 수 있나요?", 1_500_000),
        ("남편 혼자 버는데 월 210 정도요", 2_100_000),
        ("I earn 1.6 million won a month", 1_600_000),
        ("my pension is about 1.2 million won a month", 1_200_000),
        ("About 500,000 won a month from part-time work.", 500_000),
        ("연봉 3600만 원이에요", 3_000_000),
        ("we make 48 million won a year", 4_000_000),
        ("소득이 거의 없어요", 0),
    ],
)
def test_income_monthly_yearly_or_none(text: str, monthly: int) -> None:
    said = income(text)
    assert said is not None and said[0] == monthly


def test_rent_and_a_grown_childs_pay_elsewhere_are_no_income() -> None:
    assert income("월세가 월 50만 원이에요") is None
    assert read("혼자 사는 예순 살이고 소득이 없어요. 따로 사는 아들이 연봉 1억 5천이에요").facts.monthly_income == 0


@pytest.fixture(scope="module")
def residence() -> Residence:
    return Residence(RegionDirectory.load(PROJECT_ROOT / "knowledge" / "reference" / "region_codes.json"))


@pytest.mark.parametrize(
    ("text", "district"),
    [
        ("순천 사는데 광양시 기본출생수당 받을 수 있나요?", "순천시"),  # the program's city is not where they live
        ("광양에서 쌍둥이를 낳았어요", "광양시"),
        ("We live in Yeosu.", "여수시"),
        ("I'm a single mom in Goyang", "고양시"),
        ("일산에 살아요", "고양시"),
        ("아 잘못 말했어요. 고양이 아니라 광양이에요.", "광양시"),
        ("광양시 기본출생수당 받을 수 있나요?", None),
        ("고양이 키우는데 사료값 지원 있나요?", None),  # a cat is no place
    ],
)
def test_where_the_citizen_lives(residence: Residence, text: str, district: str | None) -> None:
    place = residence.of(text)
    assert (place[1] if place else None) == district


@pytest.mark.parametrize(
    ("known", "reply", "facts"),
    [
        (Profile(children=[Child(age_years=8)]), "아 잘못 말했어요, 여섯 살이에요.", {"children": [{"age_years": 6}]}),
        (Profile(age=64), "아, 제가 잘못 말했네요. 만 67세예요.", {"age": 67}),
        (Profile(age=63), "Sorry, I misspoke, she's 73.", {"age": 73}),
        (Profile(children=[Child(age_months=13)]), "Oh wait — she's 3 months old.", {"children": [{"age_months": 3}]}),
        (Profile(children=[Child()]), "He's two and a half", {"children": [{"age_months": 30}]}),
        (Profile(recipient=["medical"]), "1955년생이에요", {"age": 71}),
    ],
)
def test_a_correction_or_a_reply_changes_the_fact_it_restates(
    known: Profile, reply: str, facts: dict[str, object]
) -> None:
    reading = read(reply, known=known, today=TODAY)
    got = reading.facts.model_dump(exclude_none=True, include=set(facts))
    assert got == facts and reading.only_facts


def test_a_reply_with_anything_more_is_not_only_facts() -> None:
    known = Profile(children=[Child(age_years=8)])
    assert not read("네 살이요. 근데 요즘 너무 힘들어요", known=known).only_facts
    assert not read("죽고 싶어요 66살이에요", known=Profile(age=64)).only_facts


def test_twins_births_and_first_birthdays() -> None:
    twins = read("쌍둥이가 일곱 살이에요", today=TODAY).facts.children or []
    assert [c.age_years for c in twins] == [7, 7]
    born = read("We had twins two weeks ago", today=TODAY).facts.children or []
    assert [c.age_months for c in born] == [0, 0]
    assert (read("돌 된 아기가 있어요", today=TODAY).facts.children or [Child()])[0].age_months == 12
    third = read("작년 12월에 셋째를 낳았어요", today=TODAY).facts.children or []
    assert len(third) == 3 and third[-1].birth == "2025-12"


def test_old_grades_and_disability_wording() -> None:
    assert read("남편이 시각장애 1급이에요").facts.disability == "severe"
    assert read("아내가 지체장애 예전 2급이고 마흔둘이에요").facts.disability == "severe"
    assert read("장애 4급이고 예순 살이에요").facts.disability == "mild"
    assert read("I'm registered with a severe physical disability").facts.disability == "severe"


def test_a_spouse_asked_about_and_a_relative_named_by_an_age() -> None:
    husband = read("남편이 시각장애 1급이에요. 쉰두 살이고 저랑 둘이 살아요. 장애인연금 받을 수 있을까요?")
    assert husband.subject == "husband" and husband.facts.age == 52
    father = read(
        "할아버지가 6·25 때 전사하셨고 저희 아버지가 그 자녀세요. 아버지 일흔다섯이신데 수당 받으실 수 있나요?"
    )
    assert father.subject == "father" and father.facts.age == 75
    household = read(
        "가장인 아버지가 쓰러지셔서 입원하셨어요. 엄마, 저, 동생, 아버지 네 식구예요. 긴급복지 받을 수 있을까요?"
    )
    assert household.subject in (None, "self") and household.facts.household_size == 4 and household.facts.crisis


def test_conditions_said_in_words() -> None:
    assert conditions("30개월 아이 어린이집 안 보내고 집에서 키워요")["daycare"][0] is False
    assert conditions("네 살 딸이 어린이집 다니는데")["daycare"][0] is True
    assert conditions("아버지가 화랑무공훈장 받으셨어요")["medal"][0] is True
    assert "daycare" not in conditions("아이가 세 살이에요")
    # In English with the Korean institution's name, or another word for it.
    assert conditions("My daughter is 2 and goes to a 어린이집.")["daycare"][0] is True
    assert conditions("My son goes to a private kindergarten (유치원).")["daycare"][0] is True
    assert "daycare" not in conditions("it is in a nursery rhyme")


def _engine(*policies: PolicyCriteria) -> EligibilityEngine:
    tables = ReferenceTables.load(PROJECT_ROOT / "knowledge" / "reference", 2024)
    return EligibilityEngine(policies, tables, today=lambda: TODAY)


def test_the_program_decides_whom_a_childs_question_is_about() -> None:
    pads = PolicyCriteria("pads", "생리용품 바우처", (Criterion(fact="age", min=9, max=24, source="9~24세"),))
    allowance = PolicyCriteria("child", "아동수당", (Criterion(fact="child_age", below=8, source="만 8세 미만"),))
    profile = read("딸이 열다섯 살이고 저희 집은 차상위예요").facts
    moved = for_policy(profile, pads)
    assert moved.subject == "daughter" and moved.about().age == 15 and moved.about().recipient == ["near_poverty"]
    assert for_policy(profile, allowance) == profile  # 아동수당 is the parent's, for a child of the household
    grown = read("아들이 열아홉 살이에요")
    son = Profile(subject="son", others={"son": grown.facts})
    assert (for_policy(son, allowance).children or [Child()])[0].age_years == 19
    assert for_verdict(Profile(age=10), "son").children == [Child(age_years=10)]


def test_the_office_settles_what_the_policy_leaves_to_it_and_the_tables_what_income_rules_out() -> None:
    local = PolicyCriteria(
        "local",
        "광양시 기본출생수당",
        (
            Criterion(fact="residence", sido="전라남도", district="광양시", source="광양시"),
            Criterion(fact="other", office=True, source="세부 요건은 시에 문의"),
        ),
    )
    allowance = PolicyCriteria(
        "allowance",
        "장애수당",
        (
            Criterion(fact="disability", any_of=("mild",), source="경증"),
            Criterion(fact="recipient", any_of=("livelihood", "near_poverty"), source="수급자 또는 차상위"),
        ),
    )
    engine = _engine(local, allowance)
    verdict = engine.verdict(Profile(sido="전라남도", district="광양시"), "local")
    assert verdict is not None and verdict.verdict == "likely" and verdict.missing == []
    rich = Profile(disability="mild", household_size=3, monthly_income=4_000_000)
    poor = Profile(disability="mild", household_size=3, monthly_income=1_000_000)
    assert verdict_of(engine, rich, "allowance") == "not_eligible"
    assert verdict_of(engine, poor, "allowance") == "unknown"


def verdict_of(engine: EligibilityEngine, profile: Profile, policy_id: str) -> str | None:
    verdict = engine.verdict(profile, policy_id)
    return verdict.verdict if verdict else None


def test_programs_named_as_citizens_call_them() -> None:
    livelihood = PolicyCriteria("basic", "맞춤형 기초생활보장제도", (), names=("생계급여",))
    pension = PolicyCriteria("pension", "기초연금제도", ())
    local = PolicyCriteria("gy", "광양시 기본출생수당", (), sido="전라남도", district="광양시")
    names = PolicyNames([livelihood, pension, local])
    assert names.named("두 식구인데 생계급여 받을 수 있어요?") == "basic"
    assert names.named("어머니가 생계급여 받으세요. 기초연금도 받을 수 있나요?") == "pension"  # received: a fact
    assert names.exact("생계급여 받고 있어요") is None
    assert names.named("기본출생수당 받을 수 있어요?") == "gy"


def test_a_name_is_never_taken_for_a_neighbours() -> None:
    """Names are looked up among all programs, criteria or not: a shared bracket ("훈련수당") names neither, and
    the program whose title the question holds whole is the one named."""
    supported = PolicyCriteria("supported", "중증장애인 지원고용(훈련수당)", ())
    training = PolicyCriteria(
        "training", "장애인 직업능력개발 운영(훈련수당)", (Criterion(fact="age", min=15, source="15세"),)
    )
    engine = _engine(supported, training)
    assert set(engine.policies) == {"training"}  # verdicts only where there are criteria
    names = PolicyNames(engine.programs.values())
    assert names.exact("중증장애인 지원고용(훈련수당) 몇 살부터 받을 수 있어요?") == "supported"
    assert names.exact("훈련수당 받을 수 있어요?") is None


def test_a_citys_title_part_that_other_titles_hold_is_no_name() -> None:
    single = PolicyCriteria("single", "한부모가족 아동 양육비 지원", ())
    county = PolicyCriteria("county", "영광군 양육비 지원", (), sido="전라남도", district="영광군")
    birth = PolicyCriteria("birth", "광양시 기본출생수당", (), sido="전라남도", district="광양시")
    shingles = PolicyCriteria("gumi", "구미시 예방접종(대상포진) 지원사업", (), sido="경상북도", district="구미시")
    names = PolicyNames([single, county, birth, shingles])
    assert names.named("이혼하고 혼자 애 키우는데 양육비 지원 월 얼마 나와요?") is None
    assert names.named("영광군 양육비 지원 받을 수 있어요?") == "county"
    assert names.named("양육비 지원 받을 수 있어요?", "전라남도", "영광군") == "county"  # the citizen's own city
    # Another city's program is not named for someone who lives elsewhere, unless the question says the city.
    assert names.named("대상포진 예방접종 지원 돼요?", "전라남도", "광양시") is None
    assert names.named("구미시 대상포진 지원 돼요?", "전라남도", "광양시") == "gumi"
    assert names.named("기본출생수당 받을 수 있어요?") == "birth"


@pytest.mark.parametrize(
    ("text", "who", "age"),
    [
        ("할머니가 여든인데 백내장 수술 해야 된대요", "grandmother", 80),
        ("할아버지 여든셋 혼자 사시는데", "grandfather", 83),
        ("엄마 70 넘으셨어요", "mother", 70),
    ],
)
def test_a_bare_number_after_a_relative_is_their_age(text: str, who: str, age: int) -> None:
    reading = read(text)
    assert reading.subject == who and reading.facts.age == age


@pytest.mark.parametrize(
    ("text", "age"),
    [
        # Two digits right after the child word, a school year between at most.
        ("발달장애 아들 열여덟 고3인데", 18),
        ("중학생 딸 열다섯 디딤씨앗통장 되나요", 15),
        ("딸이 중2 열다섯살인데", 15),
        # In English, a word for which child, and "turned" for "is".
        ("My only kid is 19.", 19),
        ("my son turned 13 last month", 13),
        ("our youngest daughter just turned 6", 6),
        # The age as the noun: "a 3-year-old" with no word for the child.
        ("I'm a single mom with a 3-year-old.", 3),
        ("We have a 4-year-old at home", 4),
    ],
)
def test_a_childs_age_said_in_everyday_words(text: str, age: int) -> None:
    assert [c.age_years for c in read(text).facts.children or []] == [age]


@pytest.mark.parametrize(
    "text", ["애 둘 키워요", "아버지 6.25 참전하셨어요", "아버지 3등급", "할머니 80만원 받으세요", "딸 15개월"]
)
def test_a_count_a_date_a_grade_or_money_is_no_age(text: str) -> None:
    reading = read(text)
    assert reading.facts.age is None and not any(c.age_years for c in reading.facts.children or [])


def test_a_grown_ups_age_as_a_noun_phrase_is_no_child() -> None:
    assert read("I'm a 35-year-old man").facts.children is None
    assert read("She is a 70-year-old woman").facts.children is None


def test_two_digits_after_i_are_my_age_unless_money_is_meant() -> None:
    assert read("저 서른여섯 직장인이고 수급자 아니에요").facts.age == 36
    assert read("저 스물다섯 여자고").facts.age == 25
    assert read("제가 50 벌어요").facts.age is None and read("저 30 정도 벌어요").facts.age is None


@pytest.mark.parametrize(
    ("text", "months"),
    [("우리 아이 두돌 지났는데", 24), ("우리 아이 두 돌 지났는데", 24), ("우리 애 돌 지난지 두달 됐는데", 14)],
)
def test_first_birthdays_said_in_words_are_one_child_of_that_age(text: str, months: int) -> None:
    assert [c.age_months for c in read(text).facts.children or []] == [months]


@pytest.mark.parametrize(
    ("text", "female"),
    [
        ("생리용품 바우처 저도 되나요? 여자고 차상위예요", True),
        ("I'm 22, female, and our family is 차상위.", True),
        ("남자예요 서른", False),
        ("우리 아들이 여자고등학교 앞에 살아요", None),  # a school's name says nothing of the speaker
    ],
)
def test_the_speaker_saying_their_own_sex(text: str, female: bool | None) -> None:
    assert (read(text).facts.conditions or {}).get("female") == female


def test_one_age_told_of_twins_is_both_twins_age() -> None:
    assert [c.age_years for c in read("쌍둥이고 세 살이에요").facts.children or []] == [3, 3]
    assert [c.age_years for c in read("애 둘이고 세 살이에요").facts.children or []] == [None, None]  # which one?
