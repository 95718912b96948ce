"""Which program a verdict is for: the one the citizen names, and when only most of a title's words name one,
only a program with criteria to check (issue 17)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import SimpleNamespace
from typing import cast

from counselor.chat.context import PriorTurn, TurnContext
from counselor.chat.frames import Citation
from counselor.chat.safety.intents import asks_whether_eligible
from counselor.chat.steps.eligibility import CheckEligibility
from counselor.eligibility.criteria import Criterion
from counselor.eligibility.engine import EligibilityEngine, PolicyCriteria
from counselor.eligibility.naming import PolicyNames
from counselor.eligibility.profile import Profile
from counselor.eligibility.reference import ReferenceTables
from counselor.prompts import Prompt, PromptLibrary

PROJECT = Path(__file__).resolve().parent.parent

AGED = PolicyCriteria(
    "daycare-0-2",
    "0~2세 보육료 지원",
    (Criterion(fact="child_age", min=0, max=2, source="어린이집을 이용하는 0~2세 아동"),),
    title_en="Daycare Fee Support for Children Aged 0–2",
)
DISABLED = PolicyCriteria(
    "disabled-daycare", "장애아 보육료 지원", (), title_en="Daycare Fee Support for Disabled Children"
)


def step_with(*policies: PolicyCriteria, named_too: tuple[PolicyCriteria, ...] = ()) -> CheckEligibility:
    """A step whose engine checks ``policies``; ``named_too`` are named (PolicyNames) but have nothing to check."""
    engine = cast(EligibilityEngine, SimpleNamespace(policies={p.policy_id: p for p in policies}))
    return CheckEligibility(engine, PolicyNames([*policies, *named_too]), cast(Prompt, None))


def step() -> CheckEligibility:
    return step_with(AGED, named_too=(DISABLED,))


def cited(question: str, policy: PolicyCriteria) -> TurnContext:
    ctx = TurnContext(question=question)
    ctx.citations = [Citation(number=1, policy_id=policy.policy_id, title=policy.title, section="대상", source="x")]
    return ctx


def test_a_title_named_by_most_of_its_words_but_with_nothing_to_check_leaves_the_verdict_to_the_cited_one() -> None:
    question = "My daughter is 2 and goes to a 어린이집. Is there daycare fee support for disabled kids?"
    assert step().names.covered(question) == DISABLED.policy_id  # named so, yet it has no criteria
    assert step().target(cited(question, AGED)) == AGED.policy_id
    # Named exactly, a program is the one asked about, criteria or not.
    assert step().target(cited("장애아 보육료 지원 받을 수 있나요?", AGED)) == DISABLED.policy_id


def test_a_title_named_by_most_of_its_words_yields_to_the_cited_one_when_that_says_as_much() -> None:
    # Both programs with criteria to check: "daycare fee support" says 0~2세 보육료 지원 (cited) as much as
    # 장애아 보육료 지원, so the verdict is the cited one's; asked for disabled kids, it is the named one's.
    disabled = PolicyCriteria(
        DISABLED.policy_id,
        DISABLED.title,
        (Criterion(fact="disability", any_of=("mild", "severe"), source="장애아동"),),
        title_en=DISABLED.title_en,
    )
    # Other titles make "disabled" and "children" common words, as in the booklet, so that the plain question
    # holds most of 장애아 보육료 지원's title by weight.
    fillers = [
        PolicyCriteria(f"f{i}", f"제도 {i}", (), title_en=title)
        for i, title in enumerate(
            (
                "Disabled Children Allowance",
                "Pension for Disabled People",
                "Child Allowance for Children",
                "Disabled Persons Jobs",
            )
        )
    ]
    both = step_with(AGED, disabled, named_too=tuple(fillers))
    plain = "My daughter is 2 and goes to a 어린이집. Is there daycare fee support for her?"
    assert both.names.covered(plain) == disabled.policy_id
    assert both.target(cited(plain, AGED)) == AGED.policy_id
    for_disabled = "Is there daycare fee support for disabled kids?"
    assert both.target(cited(for_disabled, AGED)) == disabled.policy_id


def test_whether_a_program_applies_is_told_apart_from_how_much_or_how() -> None:
    for asked in ("기초연금 신청하고 싶은데 저 될까요", "청년월세 신청 되나요?", "우리 애도 돼요?", "can we get it?"):
        assert asks_whether_eligible(asked), asked
    for how in ("금액이 어떻게 되나요?", "얼마나 되나요", "신청 방법이 어떻게 되나요", "지원 기간이 어떻게 돼요?"):
        assert not asks_whether_eligible(how), how


def test_likely_on_a_condition_the_office_confirms_names_it_not_the_means_test() -> None:
    registered = PolicyCriteria(
        "iron",
        "임산부 철분제·엽산제 지원",
        (Criterion(fact="pregnant", source="임산부"), Criterion(fact="other", source="보건소에 등록한 임산부")),
    )
    engine = EligibilityEngine([registered], ReferenceTables.load(PROJECT / "knowledge" / "reference", 2024))
    lines = PromptLibrary(PROJECT / "prompts").get("eligibility")
    ctx = cited("임신 16주인데 철분제 받을 수 있나요?", registered)
    ctx.profile = Profile(pregnant=True)
    asyncio.run(CheckEligibility(engine, PolicyNames([registered]), lines)(ctx))
    assert [i.verdict for i in ctx.eligibility] == ["likely"]
    assert "신청할 때 확인하는 조건: 보건소에 등록한 임산부" in ctx.answer and "소득" not in ctx.answer


PAD = PolicyCriteria(
    "pads",
    "여성청소년 생리용품 바우처 지원",
    (Criterion(fact="child_age", min=9, max=24, source="만 9~24세 여성청소년"),),
    title_en="Sanitary Pad Vouchers for Young Women",
)
LIVELIHOOD = PolicyCriteria(
    "livelihood",
    "맞춤형 기초생활보장제도",
    (Criterion(fact="income", of="median_income", max=0.32, source="기준 중위소득 32% 이하"),),
    names=("생계급여", "의료급여"),
)


def test_a_program_said_as_received_is_a_fact_not_the_program_asked_about() -> None:
    both = step_with(PAD, LIVELIHOOD)
    for question in (
        "My daughter is 8, and we get 생계급여. Can she get the sanitary pad voucher early?",
        "딸 열살이고 우리집 의료급여 받아요",
    ):
        assert both.target(cited(question, PAD)) == PAD.policy_id, question
    # Asked for, it is the one asked about.
    assert both.target(cited("Can I get 생계급여?", PAD)) == LIVELIHOOD.policy_id


def test_facts_told_after_an_answer_are_about_the_program_the_turn_carried() -> None:
    ctx = cited("딸 열살이에요", LIVELIHOOD)
    ctx.citations.append(Citation(number=2, policy_id=PAD.policy_id, title=PAD.title, section="대상", source="x"))
    ctx.named_policy = PAD.title  # Remember: facts after an answer are about the program just discussed
    assert step_with(PAD, LIVELIHOOD).target(ctx) == PAD.policy_id


def test_a_program_named_in_facts_told_after_an_answer_leaves_the_verdict_on_the_conversations() -> None:
    ctx = cited("청각장애 경증이고요, 마흔다섯이에요. 의료급여 대상이에요", LIVELIHOOD)
    ctx.citations.insert(0, Citation(number=0, policy_id=PAD.policy_id, title=PAD.title, section="대상", source="x"))
    ctx.history = [PriorTurn(question="생리용품 바우처 받을 수 있나요?", answer="…", policy_titles=[PAD.title])]
    ctx.named_policy = PAD.title  # Remember: the reply asks nothing, so the program named in it is a fact
    assert step_with(PAD, LIVELIHOOD).target(ctx) == PAD.policy_id
