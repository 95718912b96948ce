"""The eligibility engine, criteria validation, fact extraction and the profile over the websocket."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from counselor.eligibility.criteria import Criterion
from counselor.eligibility.engine import EligibilityEngine, PolicyCriteria
from counselor.eligibility.facts import extract
from counselor.eligibility.profile import Child, Profile
from counselor.eligibility.reference import ReferenceTables
from counselor.errors import ConfigError
from ingestion.indexer import IngestReport, ingest
from tests.conftest import PROJECT

TABLES = ReferenceTables.load(PROJECT / "knowledge" / "reference", 2024)
TODAY = date(2026, 11, 23)


def C(fact: str, source: str = "원문", **kw: object) -> Criterion:
    return Criterion.model_validate({"fact": fact, "source": source, **kw})


PENSION = PolicyCriteria(
    "pension",
    "기초연금제도",
    (C("age", "만 65세 이상", min=65), C("income", "선정기준액 이하", of="basic_pension", max=1.0)),
)
CHILD = PolicyCriteria("child", "아동수당", (C("child_age", "만 8세 미만(0~95개월)", below=96, unit="months"),))
SINGLE = PolicyCriteria(
    "single",
    "한부모가족 아동 양육비 지원",
    (
        C("household", "한부모가족", any_of=["single_parent"]),
        C("income", "기준 중위소득 63% 이하", of="median_income", max=0.63),
        C("child_age", "18세 미만", below=18),
    ),
)
ENERGY = PolicyCriteria(
    "energy",
    "에너지바우처",
    (
        C("recipient", "수급 세대", any_of=["livelihood", "medical"]),
        C("age", "노인", min=65, any_group="member"),
        C("pregnant", "임산부", any_group="member"),
    ),
)
LOCAL = PolicyCriteria(
    "gy", "광양시 기본출생수당", (C("residence", "광양시", sido="전라남도", district="광양시"),), "전라남도", "광양시"
)
TEETH = PolicyCriteria("teeth", "노인 틀니 지원", (C("age", "만 65세 이상", min=65), C("other", "치아가 하나도 없는")))


@pytest.fixture
def engine() -> EligibilityEngine:
    return EligibilityEngine([PENSION, CHILD, SINGLE, ENERGY, LOCAL, TEETH], TABLES, lambda: TODAY)


def verdict(engine: EligibilityEngine, policy: str, **facts: object) -> str:
    result = engine.verdict(Profile.model_validate(facts), policy)
    assert result is not None
    return result.verdict


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ({"age": 65, "lives_alone": True, "monthly_income": 1_000_000}, "likely"),  # exactly 65
        ({"age": 64, "lives_alone": True, "monthly_income": 1_000_000}, "not_eligible"),
        ({"age": 70, "lives_alone": True, "monthly_income": 2_130_000}, "likely"),  # exactly at the threshold
        ({"age": 70, "lives_alone": True, "monthly_income": 2_130_001}, "not_eligible"),
        ({"age": 70, "couple": True, "monthly_income": 3_408_000}, "likely"),
        ({"age": 70}, "likely"),  # only the means test is open: the office settles it
        ({"lives_alone": True, "monthly_income": 0}, "unknown"),
    ],
)
def test_basic_pension_boundaries(engine: EligibilityEngine, facts: dict[str, object], expected: str) -> None:
    assert verdict(engine, "pension", **facts) == expected


def test_a_child_turning_8_this_month_is_no_longer_under_8(engine: EligibilityEngine) -> None:
    assert verdict(engine, "child", children=[{"birth": "2018-11"}]) == "not_eligible"
    assert verdict(engine, "child", children=[{"birth": "2018-12"}]) == "eligible"
    assert verdict(engine, "child", children=[]) == "not_eligible"
    assert verdict(engine, "child") == "unknown"


def test_income_at_the_booklet_rounded_threshold(engine: EligibilityEngine) -> None:
    # 63% of the 2024 median for two is 2,320,043.67; the booklet writes 232만 44원.
    base = {"single_parent": True, "children": [{"age_years": 10}]}
    assert verdict(engine, "single", **base, monthly_income=2_320_044) == "likely"
    assert verdict(engine, "single", **base, monthly_income=2_320_045) == "not_eligible"


def test_alternatives_and_unmodelled_conditions(engine: EligibilityEngine) -> None:
    assert verdict(engine, "energy", recipient=["livelihood"], age=40, pregnant=True) == "eligible"
    assert verdict(engine, "energy", recipient=["livelihood"], age=40, pregnant=False) == "not_eligible"
    assert verdict(engine, "energy", recipient=["livelihood"], age=40) == "unknown"
    # A condition no profile fact describes, beside the age met: likely, the office confirms it (and it is named).
    assert verdict(engine, "teeth", age=80) == "likely"
    assert verdict(engine, "teeth") == "unknown"  # the age, a fact, is open too
    assert verdict(engine, "teeth", age=60) == "not_eligible"


def test_every_criterion_is_explained(engine: EligibilityEngine) -> None:
    result = engine.verdict(Profile(age=70, lives_alone=True, monthly_income=1_000_000), "pension")
    assert result is not None
    assert [(c.fact, c.outcome, c.source) for c in result.criteria] == [
        ("age", "met", "만 65세 이상"),
        ("income", "met", "선정기준액 이하"),
    ]


def test_an_income_band_gives_the_same_verdicts_as_the_amount(engine: EligibilityEngine) -> None:
    for income in (0, 900_000, 1_400_000, 2_130_000, 2_320_044, 2_320_045, 3_000_000):
        exact = Profile(age=70, lives_alone=True, single_parent=False, monthly_income=income, children=[])
        band = exact.model_copy(update={"monthly_income": None, "income_band": engine.income_band(income, 1)})
        assert [v.verdict for v in engine.all(exact)] == [v.verdict for v in engine.all(band)], income


def test_the_next_question_settles_the_most_open_verdicts(engine: EligibilityEngine) -> None:
    verdicts = engine.all(Profile(lives_alone=True))
    assert engine.next_question(verdicts) == "age"
    # Open: 아동수당 (child's age), 한부모 (household, income, child's age), 기초연금 (income): the child's
    # age and income settle two each; the child's age comes first in the asking order.
    assert engine.next_question(engine.all(Profile(age=70, recipient=["livelihood"]))) == "child_age"
    assert engine.next_question([]) is None


def test_discovery_ranks_and_keeps_other_cities_out(engine: EligibilityEngine) -> None:
    profile = Profile(age=70, lives_alone=True, monthly_income=1_000_000, recipient=["livelihood"])
    found = [v.policy_id for v in engine.discover(profile)]
    assert found[0] == "energy" and "pension" in found and "gy" not in found
    assert "gy" in [
        v.policy_id for v in engine.discover(profile.model_copy(update={"sido": "전라남도", "district": "광양시"}))
    ]
    assert engine.discover(profile, exclude=["energy", "pension"]) == []


def test_discovery_does_not_offer_a_program_whose_only_criterion_met_is_an_age_ceiling() -> None:
    young = PolicyCriteria(
        "kmove", "K-Move 스쿨", (Criterion(fact="age", max=34, source="만 34세 이하 대한민국 국민"),)
    )
    youth_rent = PolicyCriteria(
        "rent",
        "청년월세",
        (
            Criterion(fact="age", min=19, max=34, source="19~34세"),
            Criterion(fact="household", any_of=("single",), source="독립가구"),
        ),
    )
    engine = EligibilityEngine([young, youth_rent], ReferenceTables.load(PROJECT / "knowledge" / "reference", 2024))
    two_year_old = Profile(age=2)
    assert engine.verdict(two_year_old, "kmove").verdict == "eligible"  # asked about, the verdict stands
    assert engine.discover(two_year_old) == []  # offered unasked, it would be news to no one
    # An age with a floor says who the program is for: 청년월세 is offered to a 25-year-old, K-Move 스쿨 is not.
    assert [v.policy_id for v in engine.discover(Profile(age=25, lives_alone=True))] == ["rent"]


def test_verdicts_are_deterministic_and_fast(engine: EligibilityEngine) -> None:
    profile = Profile(age=34, single_parent=True, children=[Child(age_years=5)], monthly_income=1_800_000)
    first = [v.model_dump() for v in engine.all(profile)]
    assert all([v.model_dump() for v in engine.all(profile)] == first for _ in range(5))


@pytest.mark.parametrize(
    ("criterion", "message"),
    [
        ({"fact": "age", "min": 70, "max": 65}, "empty range"),
        ({"fact": "age", "max": 300}, "outside"),
        ({"fact": "household", "any_of": ["alien"]}, "unknown alien"),
        ({"fact": "veteran", "min": 1}, "takes no min"),
        ({"fact": "incme", "max": 1}, "fact"),
        ({"fact": "income", "max": 0.5}, "needs of"),
        ({"fact": "age", "min": 1, "colour": "red"}, "colour"),
    ],
)
def test_impossible_criteria_are_rejected(criterion: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Criterion.model_validate({"source": "원문", **criterion})


def test_ingest_names_the_file_with_bad_criteria(
    tmp_path: Path, small_knowledge: Path, write_policy: Callable[..., Path]
) -> None:
    from counselor.retrieval.embedders import HashingEmbedder

    path = small_knowledge / "national" / "bad-criteria.md"
    path.write_text(
        "---\npolicy_id: bad-criteria\ntitle: 잘못된 조건\neligibility:\n  - {fact: age, min: 70, max: 60, source: x}\n"
        "---\n# 잘못된 조건\n\n## 대상\n\n누구나\n",
        encoding="utf-8",
    )
    report: IngestReport = ingest([small_knowledge], tmp_path / "index", tmp_path / "c.sqlite", HashingEmbedder())
    problems = {Path(p.path).name: p.reason for p in report.errors}
    assert "bad-criteria.md" in problems and "eligibility.0" in problems["bad-criteria.md"]


def test_a_missing_year_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="2031"):
        ReferenceTables.load(PROJECT / "knowledge" / "reference", 2031)


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("67살이고 혼자 살아요", {"age": 67, "lives_alone": True, "household_size": 1}),
        ("월 150만원 벌어요", {"monthly_income": 1_500_000}),
        ("애 둘 키우는 한부모예요", {"single_parent": True}),
        ("I'm 34 and pregnant", {"age": 34, "pregnant": True}),
        ("어머니가 80세인데 치매가 있어요", {}),
        ("애 둘 키워요. 5살, 8살이에요", {"children": [{"age_years": 5}, {"age_years": 8}]}),
        ("기초연금 받을 수 있나요?", {}),  # a question about a benefit is not receiving it
    ],
)
def test_facts_in_korean_and_english(text: str, facts: dict[str, object]) -> None:
    found = extract(text, "m1").model_dump(exclude={"sources"}, exclude_none=True)
    found["children"] = [{k: v for k, v in c.items() if v is not None} for c in found.get("children", [])]
    if not found["children"]:
        found.pop("children")
    for name, value in facts.items():
        assert found.get(name) == value, (name, found)
    if not facts:
        assert found == {}


def test_each_fact_remembers_its_message() -> None:
    profile = extract("67살이고 혼자 살아요", "msg-1")
    assert profile.sources["age"].message_id == "msg-1" and "67살" in profile.sources["age"].text


def test_a_newer_statement_wins_and_a_new_household_resets_its_size() -> None:
    first = extract("67살이고 혼자 살아요")
    merged = first.merge(extract("아니요 68살이에요"))
    assert merged.age == 68 and merged.lives_alone
    family = merged.merge(extract("남편이랑 아이 하나 있어요"))
    assert family.couple and family.lives_alone is False and family.household_size is None


def test_a_share_of_the_median_said_needs_no_household_size(engine: EligibilityEngine) -> None:
    base = {"single_parent": True, "children": [{"age_years": 10}]}
    assert verdict(engine, "single", **base, income_band=(0.5, 0.5)) == "likely"
    assert verdict(engine, "single", **base, income_band=(0.7, 0.7)) == "not_eligible"
