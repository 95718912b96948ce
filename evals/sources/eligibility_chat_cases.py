"""End-to-end eligibility cases over /ws/chat: what a citizen says (one message, or a question and then the short
answer to the bot's one question), the facts of the person asked about, and the verdict for one policy.
`python evals/sources/eligibility_chat_cases.py` writes evals/datasets/eligibility_chat.jsonl.

Written by hand, by the developer of the fact reader, from the policies' 대상 text and the 2024 tables (median
income for 3 people 4,714,657 won, 75% = 3,535,993; basic pension single 213만 원), before the held-out set was
read. The date is 2026-12-01 so births stated as dates are counted the same on any day.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent.parent / "datasets" / "eligibility_chat.jsonl"
TODAY = "2026-12-01"

CHILD_ALLOWANCE, PARENT_BENEFIT, FIRST_MEETING = "mohw2024-p123-1", "mohw2024-p124-1", "mohw2024-p108-1"
WAR_VETERANS, EMERGENCY, BASIC_PENSION = "mohw2024-p310-1", "mohw2024-p019-1", "mohw2024-p220-1"
DISABILITY_PENSION, YOUTH_MIND, INFANT_CHECKUP = "mohw2024-p244-1", "mohw2024-p207-2", "mohw2024-p136-1"

y = lambda n: {"age_years": n}  # noqa: E731
m = lambda n: {"age_months": n}  # noqa: E731

# (turns, policy, subject, expected profile of that person, verdict)
KO: list[tuple[list[str], str, str, dict[str, Any], str]] = [
    (["생후 100일 된 아기 있어요. 부모급여 받을 수 있나요?"], PARENT_BENEFIT, "self", {"children": [m(3)]}, "eligible"),
    (
        ["아들이 열다섯 살이에요. 아동수당 받을 수 있나요?"],
        CHILD_ALLOWANCE,
        "self",
        {"children": [y(15)]},
        "not_eligible",
    ),
    (["우리 딸이 네 살인데 아동수당 받을 수 있어요?"], CHILD_ALLOWANCE, "self", {"children": [y(4)]}, "eligible"),
    (
        ["작년 12월에 셋째를 낳았어요. 첫만남이용권 받을 수 있나요?"],
        FIRST_MEETING,
        "self",
        {"children": [{}, {}, {"birth": "2025-12"}]},
        "eligible",
    ),
    (
        ["저는 6·25 참전유공자이고 85세예요. 참전명예수당 받을 수 있나요?"],
        WAR_VETERANS,
        "self",
        {"age": 85, "veteran": True},
        "eligible",
    ),
    (
        ["3인 가구 월소득 500만원인데 긴급복지 지원 받을 수 있나요?"],
        EMERGENCY,
        "self",
        {"household_size": 3, "monthly_income": 5_000_000},
        "not_eligible",
    ),
    (
        ["아버지가 70세이신데 혼자 사세요. 기초연금 받으실 수 있나요?"],
        BASIC_PENSION,
        "father",
        {"age": 70, "lives_alone": True, "household_size": 1},
        "likely",
    ),
    (
        ["중증장애가 있는 40살이고 소득이 거의 없어요. 장애인연금 받을 수 있나요?"],
        DISABILITY_PENSION,
        "self",
        {"age": 40, "disability": "severe", "monthly_income": 0},
        "likely",
    ),
    (["우리 엄마가 일흔두 살이신데 기초연금 받으실 수 있을까요?"], BASIC_PENSION, "mother", {"age": 72}, "likely"),
    (["어머니가 예순두 살이세요. 기초연금 대상이 되나요?"], BASIC_PENSION, "mother", {"age": 62}, "not_eligible"),
    (
        ["두 달 된 아기가 있는데 첫만남이용권 신청할 수 있나요?"],
        FIRST_MEETING,
        "self",
        {"children": [m(2)]},
        "eligible",
    ),
    (["지난주에 아이를 낳았어요. 부모급여 받을 수 있나요?"], PARENT_BENEFIT, "self", {"children": [m(0)]}, "eligible"),
    (["세 살 아이 키우는데 부모급여 받을 수 있나요?"], PARENT_BENEFIT, "self", {"children": [y(3)]}, "not_eligible"),
    (["스물네 살인데 청년마음건강지원 받을 수 있나요?"], YOUTH_MIND, "self", {"age": 24}, "eligible"),
    (["서른여섯 살 직장인인데 청년마음건강 바우처 되나요?"], YOUTH_MIND, "self", {"age": 36}, "not_eligible"),
    (
        ["남편이 갑자기 실직했어요. 긴급복지 지원 받을 수 있을까요?"],
        EMERGENCY,
        "self",
        {"crisis": True, "couple": True},
        "likely",
    ),
    (
        ["가게가 폐업해서 수입이 없어요. 4인 가구인데 긴급복지 받을 수 있나요?"],
        EMERGENCY,
        "self",
        {"crisis": True, "monthly_income": 0, "household_size": 4},
        "likely",
    ),
    (
        ["할아버지가 여든 살이시고 혼자 사세요. 월 소득은 300만원이에요. 기초연금 받으실 수 있나요?"],
        BASIC_PENSION,
        "grandfather",
        {"age": 80, "lives_alone": True, "household_size": 1, "monthly_income": 3_000_000},
        "not_eligible",
    ),
    (
        ["저는 66세이고 혼자 살아요. 기초연금 받을 수 있어요?"],
        BASIC_PENSION,
        "self",
        {"age": 66, "lives_alone": True, "household_size": 1},
        "likely",
    ),
    (
        ["월남전 참전했고 올해 일흔여덟이에요. 참전명예수당 받을 수 있나요?"],
        WAR_VETERANS,
        "self",
        {"veteran": True, "age": 78},
        "eligible",
    ),
    (["국가유공자인데 참전명예수당 받을 수 있나요?"], WAR_VETERANS, "self", {"veteran": True}, "unknown"),
    (
        ["월남전 참전용사이고 78세입니다. 참전명예수당 대상인가요?"],
        WAR_VETERANS,
        "self",
        {"veteran": True, "age": 78},
        "eligible",
    ),
    (
        ["장애 정도가 심하지 않은 장애인이고 35살이에요. 장애인연금 받을 수 있나요?"],
        DISABILITY_PENSION,
        "self",
        {"disability": "mild", "age": 35},
        "not_eligible",
    ),
    (
        ["지체장애 2급이고 50살이에요. 장애인연금 받을 수 있나요?"],
        DISABILITY_PENSION,
        "self",
        {"disability": "severe", "age": 50},
        "likely",
    ),
    (["다섯 살 딸이 있는데 영유아 건강검진 받을 수 있나요?"], INFANT_CHECKUP, "self", {"children": [y(5)]}, "eligible"),
    (
        ["아이가 일곱 살이에요. 영유아 건강검진 대상인가요?"],
        INFANT_CHECKUP,
        "self",
        {"children": [y(7)]},
        "not_eligible",
    ),
    (["열네 개월 아기 부모급여 받을 수 있나요?"], PARENT_BENEFIT, "self", {"children": [m(14)]}, "eligible"),
]
KO_MULTI: list[tuple[list[str], str, str, dict[str, Any], str]] = [
    (["우리 딸 아동수당 받을 수 있어요?", "네 살이요"], CHILD_ALLOWANCE, "self", {"children": [y(4)]}, "eligible"),
    (["어머니가 기초연금 받으실 수 있나요?", "일흔두 살이세요"], BASIC_PENSION, "mother", {"age": 72}, "likely"),
    (["기초연금 받을 수 있나요?", "68살이에요"], BASIC_PENSION, "self", {"age": 68}, "likely"),
    (["부모급여 받을 수 있나요?", "8개월이요"], PARENT_BENEFIT, "self", {"children": [m(8)]}, "eligible"),
    (
        ["아들 아동수당 받을 수 있을까요?", "열 살이에요"],
        CHILD_ALLOWANCE,
        "self",
        {"children": [y(10)]},
        "not_eligible",
    ),
    (
        ["저는 64살인데 기초연금 받을 수 있나요?", "아 잘못 말했어요, 66살이에요"],
        BASIC_PENSION,
        "self",
        {"age": 66},
        "likely",
    ),
    (["청년마음건강지원사업 받을 수 있나요?", "스물아홉 살이요"], YOUTH_MIND, "self", {"age": 29}, "eligible"),
    (["아버지 기초연금 받으실 수 있을까요?", "여든세 살이세요"], BASIC_PENSION, "father", {"age": 83}, "likely"),
]
EN: list[tuple[list[str], str, str, dict[str, Any], str]] = [
    (
        ["My mother is 72 and lives alone. Can she get the basic pension?"],
        BASIC_PENSION,
        "mother",
        {"age": 72, "lives_alone": True, "household_size": 1},
        "likely",
    ),
    (
        ["My daughter is four. Can we get the child allowance?"],
        CHILD_ALLOWANCE,
        "self",
        {"children": [y(4)]},
        "eligible",
    ),
    (
        ["My son is 12. Is he eligible for the child allowance?"],
        CHILD_ALLOWANCE,
        "self",
        {"children": [y(12)]},
        "not_eligible",
    ),
    (
        ["I gave birth last week. Can I get the parent benefit?"],
        PARENT_BENEFIT,
        "self",
        {"children": [m(0)]},
        "eligible",
    ),
    (["I'm 24. Can I get the youth mental health voucher?"], YOUTH_MIND, "self", {"age": 24}, "eligible"),
    (
        ["We are a family of three and earn 5 million won a month. Can we get emergency welfare support?"],
        EMERGENCY,
        "self",
        {"household_size": 3, "monthly_income": 5_000_000},
        "not_eligible",
    ),
    (
        ["I'm a Korean War veteran and I'm 90. Can I get the war veterans' honor allowance?"],
        WAR_VETERANS,
        "self",
        {"age": 90, "veteran": True},
        "eligible",
    ),
    (["My father is seventy-five. Can he receive the basic pension?"], BASIC_PENSION, "father", {"age": 75}, "likely"),
    (
        ["I have a 3-month-old baby. Can I get the first meeting voucher?"],
        FIRST_MEETING,
        "self",
        {"children": [m(3)]},
        "eligible",
    ),
    (["I'm 63. Can I get the basic pension?"], BASIC_PENSION, "self", {"age": 63}, "not_eligible"),
]
EN_MULTI: list[tuple[list[str], str, str, dict[str, Any], str]] = [
    (
        ["Can I get the child allowance for my son?", "He is 3"],
        CHILD_ALLOWANCE,
        "self",
        {"children": [y(3)]},
        "eligible",
    ),
    (["Can I get the basic pension?", "I'm 70"], BASIC_PENSION, "self", {"age": 70}, "likely"),
    (["Can my mother get the basic pension?", "She's 81"], BASIC_PENSION, "mother", {"age": 81}, "likely"),
    (["Can I get the parent benefit?", "6 months"], PARENT_BENEFIT, "self", {"children": [m(6)]}, "eligible"),
]


def cases() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    groups = (("ko", KO), ("ko", KO_MULTI), ("en", EN), ("en", EN_MULTI))
    n = 0
    for lang, items in groups:
        for turns, policy, subject, profile, verdict in items:
            n += 1
            rows.append({"id": f"echat-{n:03d}", "lang": lang, "turns": turns, "policy_id": policy, "subject": subject,
                         "expected_profile": profile, "expected_verdict": verdict, "today": TODAY,
                         "tags": ["eligibility_chat"] + (["english"] if lang == "en" else [])})  # fmt: skip
    return rows


if __name__ == "__main__":
    rows = cases()
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"{len(rows)} cases -> {OUT}")
