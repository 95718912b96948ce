"""The output guard against a model that invents: each kind of thing a citizen would act on (a phone number, a
web or e-mail address, an office, a date, an age, an amount), written by a scripted fake over the real
OpenAI-compatible protocol, is caught; it reaches neither the answer nor the streamed tokens."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from counselor.chat.answerers.budget import PromptSpeed, ServerTokens, estimate_tokens
from counselor.chat.answerers.chat_model import ChatModelAnswerer
from counselor.chat.answerers.stream_guard import open_tail
from counselor.chat.claims import ClaimKind, Grounds, claims_in
from counselor.chat.context import TurnContext
from counselor.chat.statuses import TurnStatus
from counselor.chat.steps.guard_output import sentences, trim
from counselor.deps import Deps
from counselor.settings import LLMSettings, Settings
from counselor.testing.fake_llm import FakeLLMServer, serve

SOURCE = (
    "기초연금제도\n대상: 만 65세 이상이며 소득인정액이 선정기준액 이하인 어르신\n내용: 월 최대 33만 4,810원까지 지원\n"
    "방법: 읍면동 주민센터(행정복지센터) 또는 국민연금공단 지사 방문 신청, 복지로(www.bokjiro.go.kr)\n"
    "문의: 보건복지상담센터(☎129), 국민연금공단 ☎1355, 02-2133-7000, help@nps.or.kr\n기간: 2024년 3월 31일까지"
)
GROUNDED = (
    "기초연금은 만 65세 이상 어르신에게 월 최대 33만 4,810원까지 지원합니다 [1]. 읍면동 주민센터에서 신청하세요 [1]. "
)
INVENTED = [
    (ClaimKind.PHONE, "02-1234-5678", "자세한 문의는 02-1234-5678로 전화하세요."),
    (ClaimKind.URL, "basicpension.go.kr", "온라인 신청은 www.basicpension.go.kr/apply 에서 하세요."),
    (ClaimKind.EMAIL, "pension@mohw.go.kr", "서류는 pension@mohw.go.kr 로 보내세요."),
    (ClaimKind.OFFICE, "서울노인복지센터", "서울노인복지센터에서도 상담받을 수 있어요."),
    (ClaimKind.DATE, "2025년 3월 31일", "신청은 2025년 3월 31일까지입니다."),
    (ClaimKind.AGE, "60세", "만 60세부터 받을 수 있어요."),
    (ClaimKind.AMOUNT, "50만 원", "부부는 월 50만 원을 받습니다."),
]


@pytest.mark.parametrize(
    ("text", "kind", "grounded"),
    [
        ("02-2133-7000", ClaimKind.PHONE, True),
        ("(02) 2133-7000", ClaimKind.PHONE, True),
        ("1577-0199", ClaimKind.PHONE, True),  # the counselor's own 24-hour line
        ("02-2133-7001", ClaimKind.PHONE, False),
        ("https://www.bokjiro.go.kr", ClaimKind.URL, True),
        ("bokjiro.go.kr/apply", ClaimKind.URL, False),
        ("HELP@nps.or.kr", ClaimKind.EMAIL, True),
        ("국민연금공단에서", ClaimKind.OFFICE, True),
        ("가까운 행정복지센터에", ClaimKind.OFFICE, True),  # every citizen has one
        ("강남구청에", ClaimKind.OFFICE, False),
        ("the National Pension Service", ClaimKind.OFFICE, False),
        ("3월 31일", ClaimKind.DATE, True),
        ("2025년 3월 31일", ClaimKind.DATE, False),
        ("March 31, 2024", ClaimKind.DATE, True),
        ("만 65세", ClaimKind.AGE, True),
        ("65 or older", ClaimKind.AGE, True),
        ("7살", ClaimKind.AGE, False),
        ("334,810 won", ClaimKind.AMOUNT, True),
        ("33만 4,810원", ClaimKind.AMOUNT, True),
        ("33만 원", ClaimKind.AMOUNT, False),
        ("50%", ClaimKind.AMOUNT, False),
    ],
)
def test_each_kind_of_claim_is_found_and_checked_against_the_source(text: str, kind: ClaimKind, grounded: bool) -> None:
    grounds = Grounds(SOURCE, urls=["https://www.bokjiro.go.kr"])
    claims = claims_in(text)
    assert [c.kind for c in claims] == [kind]
    assert grounds.grounded(claims[0]) is grounded


def test_words_that_look_like_claims_are_none() -> None:
    assert not claims_in("3세대 가구의 세금 감면, 신청 센터로 문의 [1]")[1:]
    assert [c.kind for c in claims_in("3세대 가구")] == [ClaimKind.NUMBER]


def test_sentences_join_back_and_trim_keeps_the_rest() -> None:
    text = "첫째입니다 [1]. 둘째는 02-1234-5678 입니다.\n1. 셋째 [1]\n- 넷째?"
    assert "".join(sentences(text)) == text
    trimmed, removed = trim(text, [c for c in claims_in(text) if c.kind == ClaimKind.PHONE])
    assert removed == ["둘째는 02-1234-5678 입니다."] and trimmed == "첫째입니다 [1]. 1. 셋째 [1]\n- 넷째?"


def openai_turn(deps: Deps, question: str) -> tuple[TurnContext, list[str]]:
    tokens: list[str] = []

    async def emit(token: str) -> None:
        tokens.append(token)

    ctx = TurnContext(question=question, emit=emit)
    asyncio.run(deps.pipeline.run(ctx))
    return ctx, tokens


def with_openai(settings: Settings, url: str, **options: object) -> Settings:
    llm_options = LLMSettings.model_validate({"openai_url": f"{url}/v1", "openai_model": "served", **options})
    return settings.model_copy(update={"llm": "openai", "llm_options": llm_options})


@pytest.mark.parametrize(("kind", "needle", "sentence"), INVENTED, ids=[k.value for k, _, _ in INVENTED])
def test_an_invention_of_each_kind_never_reaches_the_citizen(
    make_deps: Callable[..., Deps], indexed_settings: Settings, kind: ClaimKind, needle: str, sentence: str
) -> None:
    fake = FakeLLMServer(replies=[GROUNDED + sentence])
    with serve(fake) as url:
        ctx, tokens = openai_turn(make_deps(with_openai(indexed_settings, url)), "기초연금은 얼마나 받아요?")
    guard = next(s for s in ctx.steps if s.name == "guard_output")
    assert ctx.status == TurnStatus.ANSWERED and guard.note["verdict"] == "trimmed"
    assert any(u["kind"] == kind.value and needle in u["text"] for u in guard.note["ungrounded"]), guard.note
    assert needle not in ctx.answer and needle not in "".join(tokens)
    assert ctx.answer == GROUNDED.strip() and ctx.answerer == "openai:served (trimmed)"
    compose = next(s for s in ctx.steps if s.name == "compose")
    assert any(needle in w for w in compose.note["withheld"]) and compose.note["held_tokens"] >= 1


def test_a_draft_that_is_mostly_invented_is_replaced(
    make_deps: Callable[..., Deps], indexed_settings: Settings
) -> None:
    invented = "기초연금은 국민연금공단 콜센터 1355번에서 상담합니다 [1]. 강남구청에 2025년 1월 2일까지 신청하세요 [1]."
    with serve(FakeLLMServer(replies=[invented])) as url:
        ctx, tokens = openai_turn(make_deps(with_openai(indexed_settings, url)), "기초연금은 얼마나 받아요?")
    guard = next(s for s in ctx.steps if s.name == "guard_output")
    assert guard.note["verdict"] == "replaced" and ctx.answerer == "extractive (rewritten)"
    assert "1355" not in ctx.answer + "".join(tokens) and "강남구청" not in ctx.answer + "".join(tokens)
    assert "33만 4,810원" in ctx.answer


def test_the_counselors_own_hotline_and_grounded_claims_pass(
    make_deps: Callable[..., Deps], indexed_settings: Settings
) -> None:
    reply = GROUNDED + "급하면 보건복지상담센터 ☎129 (24시간)에 전화하세요."
    fake = FakeLLMServer(replies=[reply])
    with serve(fake) as url:
        ctx, tokens = openai_turn(make_deps(with_openai(indexed_settings, url)), "기초연금은 얼마나 받아요?")
    guard = next(s for s in ctx.steps if s.name == "guard_output")
    assert guard.note["verdict"] == "accepted" and ctx.answer == reply.strip() and "".join(tokens) == reply


def test_sources_are_held_to_the_token_budget_counted_by_the_server(
    make_deps: Callable[..., Deps], indexed_settings: Settings
) -> None:
    fake = FakeLLMServer(replies=[GROUNDED])
    with serve(fake) as url:
        settings = with_openai(indexed_settings, url, source_tokens=100)
        ctx, _ = openai_turn(make_deps(settings), "기초연금은 얼마나 받아요?")
    compose = next(s for s in ctx.steps if s.name == "compose")
    assert fake.tokenized and compose.note["source_tokens"] <= 100
    sources = fake.requests[0]["messages"][1]["content"].split("Conversation so far:")[0]
    assert "[1] 기초연금제도" in sources and (len(sources) + 1) // 2 <= 100 + 60  # the prompt's own words besides
    assert (
        compose.note["prompt_tokens"] == (len("\n".join(m["content"] for m in fake.requests[0]["messages"])) + 1) // 2
    )


def test_without_a_tokenizer_the_budget_is_estimated(
    make_deps: Callable[..., Deps], indexed_settings: Settings
) -> None:
    fake = FakeLLMServer(replies=[GROUNDED], tokenizer=False)
    with serve(fake) as url:
        deps = make_deps(with_openai(indexed_settings, url, source_tokens=120))
        ctx, _ = openai_turn(deps, "기초연금은 얼마나 받아요?")
        openai_turn(deps, "기초연금은 얼마나 받아요?")
    compose = next(s for s in ctx.steps if s.name == "compose")
    assert compose.note["source_tokens"] <= 120 and ctx.status == TurnStatus.ANSWERED
    assert isinstance(deps.answerer, ChatModelAnswerer) and isinstance(deps.answerer.counter, ServerTokens)
    assert deps.answerer.counter.unsupported and deps.answerer.counter.estimated >= 2


def test_the_first_token_wait_follows_the_prompt_and_falls_back_at_once(
    make_deps: Callable[..., Deps], indexed_settings: Settings
) -> None:
    """A server measured fast gets little time: a first token 1.5 s late means the extractive answer now,
    not after the 20 s ceiling."""
    with serve(FakeLLMServer(first_token_delay_s=1.5)) as url:
        settings = with_openai(indexed_settings, url, prompt_tokens_per_s=5000.0, first_token_floor_s=0.3)
        ctx, tokens = openai_turn(make_deps(settings), "기초연금은 얼마나 받아요?")
    compose = next(s for s in ctx.steps if s.name == "compose")
    assert not tokens and ctx.answerer == "extractive (fallback)" and ctx.status == TurnStatus.ANSWERED
    assert "no first token within 0.3s" in compose.note["error"] and compose.ms < 1200


def test_the_prompt_speed_is_measured_and_bounds_the_wait() -> None:
    speed = PromptSpeed(tokens_per_s=100.0, margin=3.0, floor_s=2.0, ceiling_s=20.0)
    assert speed.timeout(100) == 3.0 and speed.timeout(10) == 2.0 and speed.timeout(10_000) == 20.0
    speed.observe(1000, 2.0)  # 500 tokens/s measured: the assumption gives way at once
    assert speed.tokens_per_s == 500.0 and speed.timeout(1000) == 6.0
    for _ in range(3):
        speed.observe(1000, 0.5)  # a cached prompt prefix starts fast: it does not shorten the wait
    assert speed.tokens_per_s == 500.0
    speed.observe(1000, 10.0)
    speed.observe(1000, 10.0)  # a server grown slower gets more time
    assert speed.tokens_per_s == 100.0


def test_the_estimate_errs_on_the_long_side() -> None:
    assert estimate_tokens("기초연금") == 4 and estimate_tokens("basic pension") == 5


def test_the_stream_holds_only_words_that_may_grow_into_a_claim() -> None:
    assert open_tail("기초연금은 월 33만 ", 0) == len("기초연금은 월 ")
    assert open_tail("기초연금은 월 33만 4,810원까지 받아요 [1]. ", 0) == len(
        "기초연금은 월 33만 4,810원까지 받아요 [1]. "
    )
    assert open_tail("신청은 bokjiro.go", 0) == len("신청은 ")
    long_digits = "1" * 5000 + ".2 " * 2000  # a model repeating itself: once a regex here backtracked for seconds
    assert open_tail(long_digits + "끝", 0) == len(long_digits + "끝")
