"""The fact-extraction suite: what citizens say about themselves, and the facts it states.
`python evals/sources/fact_cases.py` writes evals/datasets/facts.jsonl. Written by hand, in both languages;
children are listed with the age given ("y": years, "m": months) or None when only the number is said.
"""

from __future__ import annotations

import json
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "datasets" / "facts.jsonl"


def ch(*ages: str | None) -> list[dict[str, int]]:
    out = []
    for a in ages:
        if a is None:
            out.append({})
        elif a.endswith("m"):
            out.append({"age_months": int(a[:-1])})
        else:
            out.append({"age_years": int(a)})
    return out


KO = [
    ("67살이고 혼자 살아요", {"age": 67, "lives_alone": True, "household_size": 1}),
    ("월 150만원 벌어요", {"monthly_income": 1_500_000}),
    ("애 둘 키우는 한부모예요", {"single_parent": True, "children": ch(None, None)}),
    ("7살 아들이랑 3살 딸이 있어요", {"children": ch("7", "3")}),
    (
        "남편이랑 둘이 살고 한 달 수입 200만 원 정도예요",
        {"couple": True, "household_size": 2, "monthly_income": 2_000_000},
    ),
    ("어머니가 80세인데 치매가 있어요", {}),
    (
        "중증장애인이고 기초생활수급자예요",
        {"disability": "severe", "recipient": ["livelihood", "medical", "housing", "education"]},
    ),
    ("국가유공자입니다", {"veteran": True}),
    ("14개월 아기 키우고 있어요", {"children": ch("14m")}),
    ("쌍둥이 임신 중이에요", {"pregnant": True, "multiple_births": True}),
    ("저는 72세이고 기초연금 받고 있어요", {"age": 72, "recipient": ["basic_pension"]}),
    ("35살 미혼모예요. 아이가 한 명 있어요", {"age": 35, "single_parent": True, "children": ch(None)}),
    ("4인 가구이고 월급이 300만원이에요", {"household_size": 4, "monthly_income": 3_000_000}),
    ("임신 20주예요", {"pregnant": True}),
    ("생계급여 받는 수급자입니다", {"recipient": ["livelihood"]}),
    ("차상위계층이에요", {"recipient": ["near_poverty"]}),
    ("아이가 셋이에요", {"children": ch(None, None, None)}),
    ("소득이 전혀 없어요", {"monthly_income": 0}),
    ("장애 정도가 심하지 않은 장애인이에요", {"disability": "mild"}),
    ("휠체어를 타요", {"disability": "unspecified"}),
    ("참전유공자 아버지를 모시고 살아요", {"veteran": True}),
    ("손자 둘을 키우는 할머니예요", {"grandparent": True, "children": ch(None, None)}),
    ("5살 딸 하나 키워요", {"children": ch("5")}),
    ("아들이 초등학생인데 10살이에요", {"children": ch("10")}),
    ("지난주에 출산했어요", {"children": ch("0m")}),
    ("저는 28살 청년이고 혼자 자취해요", {"age": 28}),
    ("62세 남편과 둘이 살아요", {"couple": True, "household_size": 2}),
    ("세 식구예요", {"household_size": 3}),
    ("한 달에 120만원 정도 벌어요", {"monthly_income": 1_200_000}),
    ("월수입 90만원이고 혼자 살아요", {"monthly_income": 900_000, "lives_alone": True, "household_size": 1}),
    ("의료급여 수급자예요", {"recipient": ["medical"]}),
    ("주거급여 받고 있어요", {"recipient": ["housing"]}),
    ("딸이 17살이에요", {"children": ch("17")}),
    ("둘째가 6개월 됐어요", {"children": ch("6m")}),
    ("임산부인데 받을 수 있는 거 있나요?", {"pregnant": True}),
    ("장애인 등록이 되어 있어요", {"disability": "unspecified"}),
    ("저 45살이에요", {"age": 45}),
    ("만 65세 됐어요", {"age": 65}),
    ("싱글맘이고 8살 아들이 있어요", {"single_parent": True, "children": ch("8")}),
    ("아이 없는 신혼부부예요", {"couple": True, "children": []}),
    ("3급 장애가 있어요", {"disability": "severe"}),
    ("임신 준비 중인데 지원 있나요?", {}),
    ("이혼하고 혼자 아이를 키우고 있어요", {"single_parent": True}),
    ("독거노인이에요. 78살이에요", {"lives_alone": True, "household_size": 1, "age": 78}),
    ("엄마가 70살이세요", {}),
    ("아들 2명 키워요", {"children": ch(None, None)}),
    ("세쌍둥이 엄마예요", {"multiple_births": True, "children": ch(None, None, None)}),
    ("제가 다섯 식구 가장이에요", {"household_size": 5}),
    ("보훈대상자예요", {"veteran": True}),
    ("월 250만원 받아요 남편 월급이요", {"monthly_income": 2_500_000}),
    ("무직이고 수입이 없어요", {"monthly_income": 0}),
    ("저는 19살이에요", {"age": 19}),
    ("3살 아이가 있어요", {"children": ch("3")}),
    ("아이가 두 명인데 5살, 2살이에요", {"children": ch("5", "2")}),
    ("남편이랑 아이 하나, 세 식구예요", {"couple": True, "household_size": 3, "children": ch(None)}),
    ("저는 40살 한부모이고 월 180만원 벌어요", {"age": 40, "single_parent": True, "monthly_income": 1_800_000}),
    ("기초생활수급자 가정이에요", {"recipient": ["livelihood", "medical", "housing", "education"]}),
    ("경증 장애인입니다", {"disability": "mild"}),
    ("82세 어르신이 혼자 사세요", {}),
    ("임신 8주차 예비맘이에요", {"pregnant": True}),
]
EN = [
    ("I'm 34 and pregnant", {"age": 34, "pregnant": True}),
    ("I'm a single mother of two, what can I get?", {"single_parent": True, "children": ch(None, None)}),
    ("My son is 5 and my daughter is 8", {"children": ch("5", "8")}),
    ("We are a family of four and I earn 2.5 million won a month", {"household_size": 4, "monthly_income": 2_500_000}),
    ("I am 70 years old and live alone", {"age": 70, "lives_alone": True, "household_size": 1}),
    ("I have a 3-year-old daughter", {"children": ch("3")}),
    ("I'm a veteran", {"veteran": True}),
    ("I'm disabled and use a wheelchair", {"disability": "unspecified"}),
    ("I have a severe disability", {"disability": "severe"}),
    ("I have no income at the moment", {"monthly_income": 0}),
    ("My husband and I have three kids", {"couple": True, "children": ch(None, None, None)}),
    ("I'm 67 and I receive the basic pension", {"age": 67, "recipient": ["basic_pension"]}),
    ("I make about 1.8 million won a month", {"monthly_income": 1_800_000}),
    ("I'm expecting a baby in March", {"pregnant": True}),
    ("I'm a single dad raising a 10-year-old son", {"single_parent": True, "children": ch("10")}),
    ("We have twins", {"multiple_births": True, "children": ch(None, None)}),
    ("I live alone", {"lives_alone": True, "household_size": 1}),
    ("My mother is 80", {}),
    ("I'm 25 and looking for work", {"age": 25}),
    ("I'm 45, married, with a 14-year-old son", {"age": 45, "couple": True, "children": ch("14")}),
    ("I'm a near-poverty (차상위) household", {"recipient": ["near_poverty"]}),
    ("I'm a basic livelihood recipient", {"recipient": ["livelihood", "medical", "housing", "education"]}),
    ("I am 19", {"age": 19}),
    ("We don't have children", {}),
    ("I have two children, aged 4 and 9", {"children": ch("4", "9")}),
    ("I just had a baby", {"children": ch("0m")}),
    ("Our baby is 6 months old", {"children": ch("6m")}),
    ("I'm a single parent with one child", {"single_parent": True, "children": ch(None)}),
    ("I earn 900,000 won per month", {"monthly_income": 900_000}),
    ("I'm 62 and my wife and I live together", {"age": 62, "couple": True}),
    ("I'm raising my grandson", {"grandparent": True}),
    ("I'm 30 weeks pregnant with my first child", {"pregnant": True}),
    ("I'm a 72-year-old widow", {"age": 72}),
    ("I take home about 2 million won a month", {"monthly_income": 2_000_000}),
    ("I have a mild disability", {"disability": "mild"}),
    ("I'm 55", {"age": 55}),
    ("my daughter is 16", {"children": ch("16")}),
    ("I'm 29, no kids", {"age": 29, "children": []}),
    ("We are a 3-person household", {"household_size": 3}),
    ("I'm a 38-year-old single mom", {"age": 38, "single_parent": True}),
    ("I'm unemployed", {}),
    ("I'm 66 and my husband is 70", {"age": 66}),
    ("Help, I'm pregnant and I have nowhere to live", {"pregnant": True}),
    ("I have a 2-month-old baby", {"children": ch("2m")}),
    # "live by myself" is living alone; the first version of this case expected the age only.
    ("I'm 80 and I live by myself", {"age": 80, "lives_alone": True, "household_size": 1}),
]


def cases() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for lang, items in (("ko", KO), ("en", EN)):
        for n, (text, facts) in enumerate(items, start=1):
            rows.append({"id": f"fact-{lang}-{n:03d}", "question": text, "lang": lang, "expected_profile": facts,
                         "tags": ["facts"] + (["english"] if lang == "en" else [])})  # fmt: skip
    return rows


if __name__ == "__main__":
    rows = cases()
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"{len(rows)} cases -> {OUT}")
