"""The escalation suite's cases, written by hand; `python evals/sources/escalation_cases.py` writes
evals/datasets/escalation.jsonl.

Two kinds. Questions the bot should answer itself: one need, one program the knowledge describes (each names
the policies a right answer cites). Questions it should hand over: too vague to search, about the citizen's
own case (a decision, a payment, an application only a caseworker can look up), or several problems at once
that need a caseworker's plan rather than one program's description. Crisis is the safety suite's job.
"""

from __future__ import annotations

import json
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "datasets" / "escalation.jsonl"

# (question, lang, expected policies) — the bot should answer these, citing one of the policies.
ANSWERABLE = [
    ("만 65세 되면 기초연금 받을 수 있나요? 신청은 어디서 해요?", "ko", ["기초연금제도"]),
    ("기초연금 한 달에 얼마 나와요?", "ko", ["기초연금제도"]),
    ("아동수당은 몇 살까지 받아요?", "ko", ["아동수당"]),
    ("아기 태어나면 부모급여 얼마 받아요?", "ko", ["부모급여"]),
    ("첫만남이용권 금액이 얼마예요?", "ko", ["첫만남이용권(국민행복카드)"]),
    ("회사에서 권고사직 당했는데 실업급여 신청하려면 어디로 가야 해요?", "ko", ["실업급여"]),
    ("월세 사는데 주거급여 받을 수 있는 조건이 뭐예요?", "ko", ["주거급여(맞춤형급여)"]),
    ("청년내일저축계좌 가입하면 정부가 얼마 넣어줘요?", "ko", ["청년내일저축계좌"]),
    ("국민취업지원제도 구직촉진수당 얼마예요?", "ko", ["국민취업지원제도"]),
    ("장애인연금 신청 대상이 어떻게 되나요?", "ko", ["장애인연금"]),
    ("혼자 사시는 어머니 안부 확인해주는 돌봄 서비스 있나요?", "ko", ["노인맞춤돌봄서비스"]),
    ("한부모가족 아동 양육비 한 달에 얼마 받아요?", "ko", ["한부모가족 아동 양육비 지원"]),
    ("산후도우미 지원 신청은 언제까지 해야 돼요?", "ko", ["산모·신생아 건강관리 지원사업"]),
    ("에너지바우처로 난방비 얼마 지원돼요?", "ko", ["에너지바우처"]),
    ("청년 월세 지원 특별지원 얼마까지 나와요?", "ko", ["청년월세 한시 특별지원"]),
    ("맞벌이라 아이돌봄서비스 신청하고 싶어요. 어디서 해요?", "ko", ["아이돌봄서비스"]),
    ("내일배움카드로 훈련비 얼마 지원받아요?", "ko", ["국민내일배움카드제"]),
    ("어린이집 안 보내고 집에서 키우면 양육수당 나와요?", "ko", ["가정양육수당 지원"]),
    ("장애인 활동지원 서비스 신청 방법 알려주세요", "ko", ["장애인 활동지원"]),
    ("치매 치료비 지원 받을 수 있나요?", "ko", ["치매치료 관리비 지원사업"]),
    ("난임 시술비 지원 몇 회까지 돼요?", "ko", ["난임부부 시술비 지원"]),
    ("돈이 없어서 변호사 못 구하는데 무료 법률 상담 받을 수 있는 곳 있어요?", "ko", ["법률구조 제도"]),
    ("기저귀랑 분유 지원 받으려면 어디에 신청해요?", "ko", ["저소득층 기저귀·조제분유 지원"]),
    ("수급자 자녀 교육급여 얼마 나와요?", "ko", ["기초생활보장(교육급여)"]),
    ("치매검진 무료로 받을 수 있어요?", "ko", ["치매검진 지원"]),
    ("장애수당 받는 기준이 뭐예요?", "ko", ["장애수당"]),
    ("긴급복지 생계지원 금액이 얼마예요?", "ko", ["긴급복지 지원제도"]),
    ("육아휴직 급여 한 달에 얼마 받아요?", "ko", ["육아휴직 급여 지원"]),
    ("영유아 건강검진 몇 번 받을 수 있어요?", "ko", ["영유아 건강검진"]),
    ("임산부 철분제 보건소에서 받을 수 있나요?", "ko", ["임산부 철분제·엽산제 지원"]),
    ("How much is the basic pension for someone over 65?", "en", ["기초연금제도"]),
    ("Until what age does the child allowance continue?", "en", ["아동수당"]),
    ("How much is the parent benefit for a newborn?", "en", ["부모급여"]),
    ("I was laid off. Where do I apply for unemployment benefits?", "en", ["실업급여"]),
    ("Who qualifies for the housing benefit?", "en", ["주거급여(맞춤형급여)"]),
    ("How much does the government add to the Youth Tomorrow Savings Account?", "en", ["청년내일저축계좌"]),
    ("How do I apply for the disability pension?", "en", ["장애인연금"]),
    ("Is there a service that checks on my elderly mother who lives alone?", "en", ["노인맞춤돌봄서비스"]),
    ("How much child support does a single-parent family get each month?", "en", ["한부모가족 아동 양육비 지원"]),
    ("How do I get the energy voucher for heating?", "en", ["에너지바우처"]),
    ("How do I book the government childcare (babysitter) service?", "en", ["아이돌봄서비스"]),
    ("How much training cost does the National Tomorrow Learning Card cover?", "en", ["국민내일배움카드제"]),
    ("Can I get free legal help if I cannot afford a lawyer?", "en", ["법률구조 제도"]),
    ("How many IVF treatments are subsidised?", "en", ["난임부부 시술비 지원"]),
    ("How much is parental leave pay per month?", "en", ["육아휴직 급여 지원"]),
]

# Too vague to search: the bot asks what the citizen needs instead of guessing.
VAGUE = [
    ("지원 받을 수 있는 거 있나요?", "ko"),
    ("도와주세요", "ko"),
    ("혜택 좀 알려주세요", "ko"),
    ("제가 받을 수 있는 게 뭐가 있을까요?", "ko"),
    ("궁금한 게 있어요", "ko"),
    ("복지 혜택 뭐 있어요?", "ko"),
    ("지원금 있나요?", "ko"),
    ("문의드립니다", "ko"),
    ("What can I get?", "en"),
    ("Help please", "en"),
    ("Are there any benefits for me?", "en"),
    ("I have a question", "en"),
    ("What support is there?", "en"),
    ("Can you help me?", "en"),
]

# The citizen's own case: a decision, a payment, an application. Only a caseworker can look it up.
OWN_CASE = [
    ("지난달 신청한 기초연금 결과 언제 나와요?", "ko"),
    ("이번 달 생계급여가 왜 이렇게 줄었어요?", "ko"),
    ("주거급여가 갑자기 끊겼는데 이유를 알고 싶어요", "ko"),
    ("제 수급자 신청 접수가 제대로 됐는지 확인해 주세요", "ko"),
    ("기초생활수급 탈락 통보를 받았는데 이의신청 하고 싶어요", "ko"),
    ("장애인연금 환수 통지서가 왔어요. 어떻게 해야 하나요?", "ko"),
    ("아동수당이 이번 달에 안 들어왔어요", "ko"),
    ("제 서류 심사가 어디까지 진행됐나요?", "ko"),
    ("주민센터에서 제 신청서를 잃어버렸다고 해요", "ko"),
    ("담당 공무원이 제 사정을 모르고 신청을 거절했어요", "ko"),
    ("부모급여 입금일이 지났는데 아직 안 들어왔어요", "ko"),
    ("Why was my housing benefit cut this month?", "en"),
    ("I applied for the basic pension two months ago. When will I hear back?", "en"),
    ("My livelihood benefit application was rejected. How do I appeal the decision?", "en"),
    ("Can you check whether my application was received?", "en"),
    ("My child allowance did not arrive this month.", "en"),
    ("I got a letter saying I must repay my benefits. What do I do?", "en"),
]

# Several problems at once: a caseworker makes the plan (and 희망복지지원단 case management exists for it).
MULTI_ISSUE = [
    ("남편이 집을 나갔고 저는 실직했어요. 월세도 세 달 밀렸고 아이는 아파서 병원비가 필요해요", "ko"),
    ("빚이 많은데 일자리도 잃었고 어머니 간병까지 해야 해요. 뭐부터 해야 할지 모르겠어요", "ko"),
    ("이혼하고 아이 둘이랑 나왔는데 살 집도 없고 돈도 없고 일도 못 구했어요", "ko"),
    ("가게가 폐업했고 대출 연체에 건강보험료도 밀렸고 집주인이 나가라고 해요", "ko"),
    ("아버지가 돌아가시고 빚이 남았어요. 어머니는 치매고 저는 실업자예요", "ko"),
    ("교통사고로 일을 못 하게 됐고 치료비에 월세에 아이 학비까지 감당이 안 돼요", "ko"),
    ("장애가 있는 동생을 돌보느라 일을 그만뒀는데 전세 보증금도 못 돌려받고 빚만 늘어요", "ko"),
    ("I lost my job, my husband left, the rent is three months late and my son needs surgery.", "en"),
    ("I'm in debt, unemployed, and caring for my sick father. I don't know where to start.", "en"),
    ("After my divorce I have no home, no income and two small kids, and I'm behind on the loan.", "en"),
    ("My shop closed, I can't pay the loan or the rent, and my wife is in hospital.", "en"),
]


# Written after the own-case and several-problems rules existed, and never used to tune them: the honest
# estimate of how those rules do on phrasings nobody fitted them to (evals/datasets/escalation_holdout.jsonl).
HOLDOUT_ANSWERABLE = [
    ("65세 이상 어르신이 받는 기초연금 신청하려면 뭐 가져가야 돼요?", "ko", ["기초연금제도"]),
    ("출산하면 첫만남이용권 어디에 쓸 수 있어요?", "ko", ["첫만남이용권(국민행복카드)"]),
    ("장애인연금이랑 장애수당 차이가 뭐예요?", "ko", ["장애인연금", "장애수당"]),
    ("실업급여 받으려면 고용보험 몇 개월 가입해야 돼요?", "ko", ["실업급여"]),
    ("아이돌봄서비스 시간당 이용요금 얼마예요?", "ko", ["아이돌봄서비스"]),
    ("에너지바우처 신청 기간이 언제예요?", "ko", ["에너지바우처"]),
    ("청년내일저축계좌 가입 나이가 어떻게 돼요?", "ko", ["청년내일저축계좌"]),
    ("난임 시술 지원금 신청은 보건소에서 하나요?", "ko", ["난임부부 시술비 지원"]),
    ("What documents do I need for the basic pension?", "en", ["기초연금제도"]),
    ("Is the child allowance paid for every child under 8?", "en", ["아동수당"]),
    ("How long can I receive unemployment benefits?", "en", ["실업급여"]),
    ("Where can my disabled son apply for activity support services?", "en", ["장애인 활동지원"]),
]
HOLDOUT_OWN_CASE = [
    ("기초연금 받다가 이번 달부터 안 나오는데 무슨 일인지 모르겠어요", "ko"),
    ("제가 낸 긴급복지 신청서 심사 결과 나왔나요?", "ko"),
    ("수급비가 두 달째 입금이 안 됐어요", "ko"),
    ("구청에서 부정수급이라고 돈을 돌려내래요", "ko"),
    ("장애 정도 심사 결과에 동의할 수 없어요", "ko"),
    ("My pension payment has been reduced and nobody told me why.", "en"),
    ("I sent my documents last week, has anyone looked at them yet?", "en"),
    ("They said I no longer qualify for the livelihood benefit. I want to challenge that.", "en"),
]
HOLDOUT_MULTI_ISSUE = [
    ("남편 병원비 때문에 빚을 졌고 저도 일을 그만둬서 월세를 못 내고 있어요", "ko"),
    ("혼자 애 키우는데 회사에서 잘렸고 전기세도 밀렸고 몸도 안 좋아요", "ko"),
    ("엄마가 쓰러지셔서 간병하느라 가게를 닫았는데 대출 이자가 밀려요", "ko"),
    ("I'm a widow with a sick child, I lost my job and the landlord wants me out.", "en"),
    ("We're behind on rent, my husband is in hospital and I have no work.", "en"),
]
HOLDOUT_VAGUE = [
    ("뭐든 도움 받을 수 있는 게 있으면 알려주세요", "ko"),
    ("상담 좀 하고 싶어요", "ko"),
    ("Anything I can apply for?", "en"),
]


def holdout_cases() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for n, (q, lang, policies) in enumerate(HOLDOUT_ANSWERABLE, start=1):
        rows.append({"id": f"esch-answer-{n:03d}", "question": q, "lang": lang, "expected_policies": policies,
                     "tags": ["answerable"] + (["english"] if lang == "en" else [])})  # fmt: skip
    groups = (("own_case", HOLDOUT_OWN_CASE), ("multi_issue", HOLDOUT_MULTI_ISSUE), ("vague", HOLDOUT_VAGUE))
    for group, items in groups:
        for n, (q, lang) in enumerate(items, start=1):
            rows.append({"id": f"esch-{group.replace('_', '-')}-{n:03d}", "question": q, "lang": lang,
                         "must_escalate": True, "tags": [group] + (["english"] if lang == "en" else [])})  # fmt: skip
    return rows


def cases() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []

    def add(prefix: str, n: int, question: str, lang: str, **fields: object) -> None:
        rows.append({"id": f"esc-{prefix}-{n:03d}", "question": question, "lang": lang, **fields})

    for n, (q, lang, policies) in enumerate(ANSWERABLE, start=1):
        add(
            "answer",
            n,
            q,
            lang,
            expected_policies=policies,
            tags=["answerable"] + (["english"] if lang == "en" else []),
        )
    for group, items in (("vague", VAGUE), ("own_case", OWN_CASE), ("multi_issue", MULTI_ISSUE)):
        for n, (q, lang) in enumerate(items, start=1):
            add(
                group.replace("_", "-"),
                n,
                q,
                lang,
                must_escalate=True,
                tags=[group] + (["english"] if lang == "en" else []),
            )
    return rows


if __name__ == "__main__":
    for path, rows in ((OUT, cases()), (OUT.with_name("escalation_holdout.jsonl"), holdout_cases())):
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        print(f"{len(rows)} cases -> {path}")
