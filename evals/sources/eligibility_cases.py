"""The eligibility suite, written by hand from each policy's own 대상 text:
`python evals/sources/eligibility_cases.py` writes evals/datasets/eligibility.jsonl.

Each case is (household, policy, expected verdict). Expectations come from reading the policy's text, not from
its criteria, boundaries included: exactly 65, income exactly at a threshold (the booklet's own rounded
figure), a child turning 8 this month. All cases are judged on 2026-11-23 with the 2024 tables.

Verdicts: eligible (every condition met), likely (nothing fails; the means test is judged on stated income
or still open, or a condition no profile fact can describe is open beside conditions met — 보건소에 등록한,
돌봄이 필요한 — and the office settles it), not_eligible, unknown (a condition a profile fact describes is
open: an age, a child's age, the household).
"""

from __future__ import annotations

import json
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "datasets" / "eligibility.jsonl"
TODAY = "2026-11-23"
ALONE = {"lives_alone": True, "couple": False}
GY = {"sido": "전라남도", "district": "광양시"}
GO = {"sido": "경기도", "district": "고양시"}
R4 = ["livelihood", "medical", "housing", "education"]


def kids(*years: int) -> dict[str, object]:
    return {"children": [{"age_years": y} for y in years]}


def months(*ms: int) -> dict[str, object]:
    return {"children": [{"age_months": m} for m in ms]}


# policy title -> [(profile, expected verdict, tag)]
CASES: dict[str, list[tuple[dict[str, object], str, str]]] = {
    "기초연금제도": [
        ({"age": 65, **ALONE, "monthly_income": 1_000_000}, "likely", "boundary_age"),
        ({"age": 64, **ALONE, "monthly_income": 500_000}, "not_eligible", "boundary_age"),
        ({"age": 70, **ALONE, "monthly_income": 2_130_000}, "likely", "boundary_income"),
        ({"age": 70, **ALONE, "monthly_income": 2_130_001}, "not_eligible", "boundary_income"),
        ({"age": 72, "couple": True, "monthly_income": 3_000_000}, "likely", "couple"),
        ({"age": 72, "couple": True, "monthly_income": 3_500_000}, "not_eligible", "couple"),
        ({"age": 70}, "likely", "income_open"),
        ({"monthly_income": 500_000, **ALONE}, "unknown", "age_open"),
    ],
    "아동수당": [
        (kids(7), "eligible", "plain"),
        ({"children": [{"birth": "2018-11"}]}, "not_eligible", "boundary_turning_8_this_month"),
        ({"children": [{"birth": "2018-12"}]}, "eligible", "boundary_95_months"),
        ({"children": []}, "not_eligible", "no_children"),
        ({"age": 35}, "unknown", "children_open"),
        (kids(8), "not_eligible", "boundary_age"),
        (kids(10, 3), "eligible", "several_children"),
    ],
    "장애인연금": [
        ({"age": 30, "disability": "severe", **ALONE, "monthly_income": 1_000_000}, "likely", "plain"),
        ({"age": 30, "disability": "mild", **ALONE, "monthly_income": 500_000}, "not_eligible", "grade"),
        ({"age": 17, "disability": "severe", **ALONE, "monthly_income": 0}, "not_eligible", "boundary_age"),
        ({"age": 18, "disability": "severe", **ALONE, "monthly_income": 0}, "likely", "boundary_age"),
        ({"age": 40, "disability": "severe", **ALONE, "monthly_income": 1_300_000}, "likely", "boundary_income"),
        ({"age": 40, "disability": "severe", **ALONE, "monthly_income": 1_400_000}, "not_eligible", "boundary_income"),
        ({"age": 40, "disability": "unspecified", **ALONE, "monthly_income": 0}, "unknown", "grade_open"),
    ],
    "첫만남이용권(국민행복카드)": [
        (months(0), "eligible", "newborn"),
        (months(12), "eligible", "boundary_age"),
        (months(13), "not_eligible", "boundary_age"),
        ({"pregnant": True, "children": []}, "not_eligible", "not_born_yet"),
    ],
    "한부모가족 아동 양육비 지원": [
        ({"single_parent": True, **kids(5, 8), "monthly_income": 1_800_000}, "likely", "plain"),
        ({"single_parent": True, **kids(10), "monthly_income": 2_320_044}, "likely", "boundary_income"),
        ({"single_parent": True, **kids(10), "monthly_income": 2_320_045}, "not_eligible", "boundary_income"),
        (
            {"single_parent": False, "grandparent": False, "couple": True, **kids(4), "monthly_income": 1_000_000},
            "not_eligible",
            "two_parents",
        ),
        ({"single_parent": True, **kids(18), "monthly_income": 1_000_000}, "not_eligible", "boundary_age"),
        ({"single_parent": True, **kids(3), "monthly_income": 0}, "likely", "no_income"),
        ({"grandparent": True, "household_size": 2, **kids(10), "monthly_income": 1_000_000}, "likely", "grandparent"),
        ({"single_parent": True, **kids(3)}, "likely", "income_open"),
    ],
    "아이돌봄서비스": [
        (kids(5), "unknown", "other_condition"),
        (kids(13), "not_eligible", "boundary_age"),
        (months(2), "not_eligible", "boundary_age"),
    ],
    "부모급여": [
        (months(23), "eligible", "boundary_age"),
        (months(24), "not_eligible", "boundary_age"),
        (months(0), "eligible", "newborn"),
        (kids(1), "eligible", "a_one_year_old_is_12_to_23_months"),
        (kids(2), "not_eligible", "a_two_year_old_is_24_months_or_more"),
    ],
    "주거급여(맞춤형급여)": [
        ({**ALONE, "household_size": 1, "monthly_income": 1_000_000}, "likely", "plain"),
        ({**ALONE, "household_size": 1, "monthly_income": 1_069_654}, "likely", "boundary_income"),
        ({**ALONE, "household_size": 1, "monthly_income": 1_100_000}, "not_eligible", "boundary_income"),
        ({"household_size": 4, "monthly_income": 2_750_000}, "likely", "family"),
        ({"household_size": 4, "monthly_income": 2_760_000}, "not_eligible", "family"),
        ({"monthly_income": 1_000_000}, "unknown", "size_open"),
    ],
    "기초생활보장(교육급여)": [
        ({"household_size": 3, **kids(12), "monthly_income": 2_300_000}, "likely", "plain"),
        ({"household_size": 3, **kids(12), "monthly_income": 2_400_000}, "not_eligible", "boundary_income"),
        ({"household_size": 2, "children": [], "monthly_income": 500_000}, "not_eligible", "no_children"),
    ],
    "청년내일저축계좌": [
        ({"age": 34}, "unknown", "other_condition"),
        ({"age": 35}, "not_eligible", "boundary_age"),
        ({"age": 18}, "not_eligible", "boundary_age"),
        ({"age": 25, **ALONE, "household_size": 1, "monthly_income": 2_500_000}, "not_eligible", "income"),
    ],
    "청년월세 한시 특별지원": [
        ({"age": 35}, "not_eligible", "boundary_age"),
        ({"age": 25, **ALONE, "household_size": 1, "monthly_income": 1_300_000}, "likely", "other_condition"),
        ({"age": 25, **ALONE, "household_size": 1, "monthly_income": 1_400_000}, "not_eligible", "boundary_income"),
    ],
    "가정양육수당 지원": [
        (months(30), "unknown", "other_condition"),
        (months(86), "not_eligible", "boundary_age"),
        (months(23), "not_eligible", "boundary_age"),
    ],
    "영유아 건강검진": [
        (kids(5), "eligible", "plain"),
        (kids(6), "not_eligible", "boundary_age"),
        (months(4), "eligible", "infant"),
    ],
    "3~5세 누리과정 지원": [
        (kids(6), "not_eligible", "boundary_age"),
        (kids(2), "not_eligible", "boundary_age"),
        (kids(4), "unknown", "other_condition"),
    ],
    "임산부 철분제·엽산제 지원": [
        ({"pregnant": False}, "not_eligible", "plain"),
        ({"pregnant": True}, "likely", "other_condition"),
    ],
    "노인맞춤돌봄서비스": [
        ({"age": 70, "recipient": ["basic_pension"]}, "eligible", "plain"),
        ({"age": 70, "recipient": []}, "not_eligible", "not_recipient"),
        ({"age": 60, "recipient": R4}, "not_eligible", "boundary_age"),
        ({"age": 70}, "unknown", "recipient_open"),
        ({"age": 65, "recipient": ["near_poverty"]}, "eligible", "boundary_age"),
    ],
    "에너지바우처": [
        ({"age": 70, "recipient": ["livelihood"]}, "eligible", "elderly"),
        (
            {"age": 40, "recipient": ["livelihood"], "children": [], "disability": "none", "pregnant": False},
            "not_eligible",
            "no_member",
        ),
        ({"age": 40, "recipient": ["housing"], "pregnant": True}, "eligible", "pregnant"),
        ({"age": 70, "recipient": ["near_poverty"]}, "not_eligible", "not_recipient"),
        ({"age": 40, "recipient": ["medical"], **kids(6)}, "eligible", "infant"),
        (
            {"age": 40, "recipient": ["medical"], **kids(7), "disability": "none", "pregnant": False},
            "not_eligible",
            "boundary_age",
        ),
    ],
    "장애수당": [
        ({"age": 30, "disability": "mild", "recipient": ["livelihood"]}, "eligible", "plain"),
        ({"age": 30, "disability": "severe", "recipient": ["livelihood"]}, "not_eligible", "grade"),
        ({"age": 30, "disability": "mild", "recipient": ["near_poverty"]}, "eligible", "near_poverty"),
        ({"age": 30, "disability": "mild", "recipient": []}, "not_eligible", "not_recipient"),
        ({"age": 17, "disability": "mild", "recipient": ["livelihood"]}, "not_eligible", "boundary_age"),
    ],
    "장애인 활동지원": [
        ({"age": 65, "disability": "severe"}, "not_eligible", "boundary_age"),
        ({"age": 30, "disability": "severe"}, "likely", "other_condition"),
        ({"age": 30, "disability": "none"}, "not_eligible", "not_disabled"),
        ({"age": 5, "disability": "severe"}, "not_eligible", "boundary_age"),
    ],
    "저소득층 기저귀·조제분유 지원": [
        ({**months(10), "recipient": ["livelihood"]}, "eligible", "plain"),
        ({**months(10), "single_parent": True, "recipient": []}, "eligible", "single_parent"),
        ({**months(30), "recipient": ["livelihood"]}, "not_eligible", "boundary_age"),
        ({**months(10), "couple": True, "single_parent": False, "recipient": []}, "not_eligible", "not_low_income"),
        ({**months(24), "recipient": ["near_poverty"]}, "not_eligible", "boundary_age"),
    ],
    "통합문화이용권(문화누리카드)": [
        ({"age": 30, "recipient": ["near_poverty"]}, "eligible", "plain"),
        ({"age": 30, "recipient": [], "single_parent": False}, "not_eligible", "not_low_income"),
        ({"age": 5, "recipient": ["livelihood"]}, "not_eligible", "boundary_age"),
    ],
    "여성청소년 생리용품 바우처 지원": [
        ({"age": 15, "recipient": ["livelihood"]}, "eligible", "plain"),
        ({"age": 25, "recipient": ["livelihood"]}, "not_eligible", "boundary_age"),
        ({"age": 24, "single_parent": True, "recipient": []}, "eligible", "boundary_age"),
    ],
    "치매검진 지원": [({"age": 59}, "not_eligible", "boundary_age"), ({"age": 60}, "unknown", "other_condition")],
    "주택연금제도": [({"age": 54}, "not_eligible", "boundary_age"), ({"age": 55}, "likely", "other_condition")],
    "노인 틀니 지원": [({"age": 64}, "not_eligible", "boundary_age"), ({"age": 80}, "unknown", "other_condition")],
    "장애아동수당": [
        ({**kids(10), "disability": "severe", "recipient": ["livelihood"]}, "eligible", "plain"),
        ({**kids(10), "disability": "severe", "recipient": []}, "not_eligible", "not_recipient"),
        ({**kids(18), "disability": "severe", "recipient": ["livelihood"]}, "not_eligible", "boundary_age"),
    ],
    "국민연금 실업크레딧": [({"age": 60}, "not_eligible", "boundary_age"), ({"age": 59}, "likely", "other_condition")],
    "청년마음건강지원사업(바우처)": [
        ({"age": 34}, "eligible", "boundary_age"),
        ({"age": 35}, "not_eligible", "boundary_age"),
        ({"age": 19}, "eligible", "boundary_age"),
        ({"age": 18}, "not_eligible", "boundary_age"),
    ],
    "산모·신생아 건강관리 지원사업": [
        ({"pregnant": True, "household_size": 2, "monthly_income": 4_000_000}, "likely", "plain"),
        ({"pregnant": True, "household_size": 2, "monthly_income": 6_000_000}, "not_eligible", "income"),
        (
            {"pregnant": False, "children": [], "household_size": 2, "monthly_income": 1_000_000},
            "not_eligible",
            "no_birth",
        ),
        ({**months(0), "household_size": 3, "monthly_income": 3_000_000}, "likely", "newborn"),
    ],
    "건강보험 임신·출산 진료비(국민행복카드)": [
        ({"pregnant": True}, "eligible", "pregnant"),
        ({"pregnant": False, **kids(1)}, "eligible", "infant"),
        ({"pregnant": False, **kids(3)}, "not_eligible", "boundary_age"),
    ],
    "청소년산모 임신·출산 의료비 지원(국민행복카드)": [
        # 대상: "임신이 확인된 만 19세 이하의 산모" (the first criterion read 만 18세 이하; corrected in issue 17).
        ({"age": 19, "pregnant": True}, "eligible", "boundary_age"),
        ({"age": 20, "pregnant": True}, "not_eligible", "boundary_age"),
        ({"age": 17, "pregnant": False}, "not_eligible", "not_pregnant"),
    ],
    "아동 입원진료비 지원": [(kids(15), "unknown", "boundary_age"), (kids(16), "not_eligible", "boundary_age")],
    "다함께 돌봄 사업": [
        (kids(6), "likely", "boundary_age"),
        (kids(13), "not_eligible", "boundary_age"),
        (kids(5), "not_eligible", "boundary_age"),
    ],
    "학교 밖 청소년 지원": [
        ({"age": 24}, "likely", "boundary_age"),
        ({"age": 25}, "not_eligible", "boundary_age"),
        ({"age": 8}, "not_eligible", "boundary_age"),
    ],
    "청소년상담 1388": [({"age": 9}, "unknown", "boundary_age"), ({"age": 30}, "not_eligible", "plain")],
    "성인 발달장애인 주간활동 서비스": [
        ({"age": 65}, "not_eligible", "boundary_age"),
        ({"age": 17}, "not_eligible", "boundary_age"),
    ],
    "평생교육바우처": [
        ({"household_size": 1, "monthly_income": 1_500_000}, "not_eligible", "income"),
        ({"household_size": 1, "monthly_income": 1_400_000}, "likely", "other_condition"),
    ],
}
SEEDS: dict[str, list[tuple[dict[str, object], str, str]]] = {
    "gwangyang-2025-basic-birth-allowance": [
        ({**GY, **kids(3)}, "eligible", "plain"),
        ({"sido": "전라남도", "district": "여수시", **kids(3)}, "not_eligible", "other_city"),
        ({**GY, **kids(18)}, "not_eligible", "boundary_age"),
        ({"sido": "전라남도", **kids(3)}, "unknown", "district_open"),
        ({**GY, **kids(17)}, "eligible", "boundary_age"),
    ],
    "gwangyang-2025-single-parent-childcare-support": [
        ({**GY, "single_parent": True, **kids(7), "monthly_income": 2_000_000}, "likely", "plain"),
        ({**GO, "single_parent": True, **kids(7), "monthly_income": 2_000_000}, "not_eligible", "other_city"),
        (
            {**GY, "single_parent": False, "couple": True, **kids(7), "monthly_income": 2_000_000},
            "not_eligible",
            "two_parents",
        ),
        ({**GY, "single_parent": True, **kids(7), "monthly_income": 4_000_000}, "not_eligible", "income"),
        ({**GY, "single_parent": True, **kids(7), "monthly_income": 3_682_609}, "likely", "boundary_income"),
    ],
    "goyang-2025-third-child-birth-support": [
        ({**GO, **kids(5, 3, 0)}, "eligible", "plain"),
        ({**GO, **kids(5, 3)}, "not_eligible", "two_children"),
        ({**GY, **kids(5, 3, 0)}, "not_eligible", "other_city"),
    ],
    "gwangyang-2025-shingles-vaccination-support": [
        ({**GY, "age": 65}, "eligible", "boundary_age"),
        ({**GY, "age": 64}, "not_eligible", "boundary_age"),
    ],
    "gwangyang-2025-veterans-honor-allowance": [
        ({**GY, "veteran": True}, "eligible", "plain"),
        ({**GY}, "unknown", "veteran_open"),
        ({**GY, "veteran": False}, "not_eligible", "not_veteran"),
    ],
    "gwangyang-2025-pregnancy-support-fund": [
        ({**GY, "pregnant": True}, "eligible", "plain"),
        ({**GO, "pregnant": True}, "not_eligible", "other_city"),
    ],
    "gwangyang-2025-multiple-birth-safety-insurance": [
        ({**GY, "multiple_births": True}, "eligible", "plain"),
        ({**GY, "multiple_births": False}, "not_eligible", "single_birth"),
    ],
    "gwangyang-2025-infertility-treatment": [
        ({**GY, "couple": True}, "likely", "other_condition"),
        ({**GY, "couple": False, "lives_alone": True}, "not_eligible", "not_couple"),
    ],
    "goyang-2025-disabled-public-jobs": [
        ({**GO, "disability": "mild"}, "unknown", "other_condition"),
        ({**GO, "disability": "none"}, "not_eligible", "not_disabled"),
    ],
    "goyang-2025-daham-care-center": [
        ({**GO, **kids(8)}, "eligible", "plain"),
        ({**GO, "children": []}, "not_eligible", "no_children"),
    ],
    "gwangyang-2025-my-gwangyang-app": [({**GY}, "eligible", "plain"), ({**GO}, "not_eligible", "other_city")],
}


def cases(titles: dict[str, str]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for key, items in [*CASES.items(), *SEEDS.items()]:
        policy = titles.get(key, key)
        for n, (profile, verdict, tag) in enumerate(items, start=1):
            rows.append({
                "id": f"elig-{policy}-{n}", "question": f"{key} — {tag}", "lang": "ko", "expected_policies": [policy],
                "profile": profile, "expected_verdict": verdict, "today": TODAY,
                "tags": ["eligibility", tag] + (["seed"] if key in SEEDS else []),
            })  # fmt: skip
    return rows


if __name__ == "__main__":
    import re

    root = OUT.parent.parent.parent / "knowledge"
    titles = {}
    for path in root.rglob("*.md"):
        head = path.read_text(encoding="utf-8")[:1500]
        title, pid = re.search(r"^title: (.*)$", head, re.M), re.search(r"^policy_id: (.*)$", head, re.M)
        if title and pid:
            titles[title.group(1).strip().strip("'\"")] = pid.group(1).strip()
    rows = cases(titles)
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"{len(rows)} cases -> {OUT}")
