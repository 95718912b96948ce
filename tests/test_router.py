"""The router: its policy over probabilities (rules override, safe defaults), its model file, and the turns it
ends, on the small index with a model whose probabilities the test sets."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from counselor.chat.context import PriorTurn, TurnContext
from counselor.chat.routing.decide import RouteDecision, decide, decide_by_rules
from counselor.chat.routing.model import RouterModel
from counselor.chat.routing.router import Router
from counselor.chat.routing.routes import Route
from counselor.chat.safety.crisis import CrisisKind, crisis_topic, detect_crisis
from counselor.chat.statuses import EscalationReason, Priority, TurnStatus
from counselor.deps import Deps
from counselor.errors import RouterModelError
from counselor.settings import RouterSettings, Settings

BARS = RouterSettings()
DIM = 256  # the hashing embedder's


def probs(**given: float) -> dict[Route, float]:
    """Probabilities with the given routes' shares and the rest spread over welfare."""
    out = {route: 0.0 for route in Route}
    for name, p in given.items():
        out[Route(name)] = p
    out[Route.WELFARE] += 1.0 - sum(out.values())
    return out


def constant_model(p: dict[Route, float], embedder: str = "hashing-256") -> RouterModel:
    """A model that gives ``p`` whatever the vector: zero weights, log-probabilities as intercepts."""
    classes = tuple(Route)
    intercept = np.array([math.log(max(p.get(c, 0.0), 1e-9)) for c in classes], dtype=np.float32)
    return RouterModel(classes, np.zeros((len(classes), DIM), dtype=np.float32), intercept, embedder)


def test_a_stated_danger_is_a_crisis_whatever_the_model_says() -> None:
    decision = decide("요즘 너무 힘들어서 죽고 싶어요", probs(), BARS)
    assert decision.route == Route.CRISIS_SUICIDE and decision.decided_by == "rule"


def test_the_model_catches_a_crisis_no_rule_lists() -> None:
    decision = decide("창고에 번개탄을 사다 놨어요", probs(crisis_suicide=0.5), BARS)
    assert decision.crisis == CrisisKind.SUICIDE and decision.decided_by == "model"


def test_a_crisis_subject_lowers_the_bar_but_a_clear_question_about_it_is_answered() -> None:
    asked = "가정폭력 피해자 지원 제도 알려주세요"
    assert crisis_topic(asked) == CrisisKind.VIOLENCE and detect_crisis(asked) is None
    low = decide(asked, probs(crisis_violence=0.22), BARS)
    assert low.route == Route.CRISIS_VIOLENCE
    clear = decide(asked, probs(crisis_violence=0.01), BARS)
    assert clear.route == Route.WELFARE and clear.topic == CrisisKind.VIOLENCE  # the answer carries 112 and 1366


@pytest.mark.parametrize(
    "text", ["요즘 잠을 못 자고 아무것도 하기 싫어요", "I feel so alone since my wife died", "다 지쳤어요"]
)
def test_distress_goes_to_a_person_never_out_of_scope(text: str) -> None:
    decision = decide(text, probs(distress=0.4, crisis_suicide=0.15, off_topic=0.3), BARS)
    assert decision.route == Route.DISTRESS


def test_an_eligibility_question_with_facts_is_not_the_citizens_own_case() -> None:
    asked = "생후 100일 된 아기 있어요. 부모급여 받을 수 있나요?"
    assert decide(asked, probs(own_case=0.05), BARS).route == Route.WELFARE
    case = "지난달 신청한 기초연금 결과 언제 나와요?"
    assert decide(case, probs(own_case=0.45), BARS).route == Route.OWN_CASE  # the rule, and the model not sure


def test_without_a_model_the_rules_decide_and_any_crisis_subject_is_a_crisis() -> None:
    assert decide("가정폭력 피해자 지원 제도", None, BARS).route == Route.CRISIS_VIOLENCE
    assert decide_by_rules("상담원 연결해 주세요").route == Route.PERSON
    assert decide_by_rules("안녕하세요").route == Route.SMALL_TALK
    assert decide_by_rules("오늘 날씨 어때요?").route == Route.OFF_TOPIC
    assert decide_by_rules("기초연금 얼마예요?").route == Route.WELFARE


def test_a_model_file_round_trips(tmp_path: Path) -> None:
    model = constant_model(probs(off_topic=0.7))
    model.save(tmp_path / "hashing-256.npz")
    loaded = RouterModel.load(tmp_path / "hashing-256.npz", "hashing-256", DIM)
    got = loaded.probabilities(np.ones(DIM, dtype=np.float32))
    assert got[Route.OFF_TOPIC] == pytest.approx(0.7, abs=1e-4)


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        (lambda p: p.unlink(), "missing"),
        (lambda p: p.write_bytes(b"not a model"), "cannot be read"),
        (lambda p: constant_model(probs(), "another-embedder").save(p), "trained on another-embedder"),
    ],
)
def test_a_broken_model_file_leaves_the_rules_and_says_why(
    tmp_path: Path, damage: Callable[[Path], None], words: str
) -> None:
    path = tmp_path / "hashing-256.npz"
    constant_model(probs()).save(path)
    damage(path)
    with pytest.raises(RouterModelError, match=words):
        RouterModel.load(path, "hashing-256", DIM)
    router = Router(RouterSettings(model_dir=tmp_path), lambda _: np.zeros(DIM, dtype=np.float32), "hashing-256", DIM)
    assert router.model is None and router.status.startswith("rules only:") and words in router.status
    assert router.decide("죽고 싶어요").route == Route.CRISIS_SUICIDE


def deps_with(make_deps: Callable[..., Deps], settings: Settings, tmp_path: Path, p: dict[Route, float]) -> Deps:
    constant_model(p).save(tmp_path / "router" / "hashing-256.npz")
    routed = settings.model_copy(update={"router": RouterSettings(model_dir=tmp_path / "router")})
    return make_deps(routed)


def turn(deps: Deps, question: str, history: list[PriorTurn] | None = None) -> TurnContext:
    ctx = TurnContext(question=question, history=history or [])
    return asyncio.run(deps.pipeline.run(ctx))


@pytest.mark.parametrize(
    ("p", "question", "status", "reason", "needle"),
    [
        (
            probs(crisis_violence=0.6),
            "남자친구가 휴대폰을 뺏고 문을 잠가요",
            TurnStatus.CRISIS,
            EscalationReason.CRISIS,
            "1366",
        ),
        (probs(crisis_child=0.6), "옆집 애가 밤새 혼자 울어요", TurnStatus.CRISIS, EscalationReason.CRISIS, "112"),
        (
            probs(crisis_basic_needs=0.6),
            "통장에 한 푼도 없어요 오늘",
            TurnStatus.CRISIS,
            EscalationReason.CRISIS,
            "129",
        ),
        (probs(crisis_suicide=0.6), "There's no point anymore.", TurnStatus.CRISIS, EscalationReason.CRISIS, "109"),
        (probs(distress=0.7), "요즘 너무 우울해요", TurnStatus.ESCALATED, EscalationReason.DISTRESS, "109"),
        (probs(small_talk=0.9), "고마워요~", TurnStatus.SMALL_TALK, None, "복지"),
        (probs(off_topic=0.9), "오늘 날씨 어때요?", TurnStatus.OUT_OF_SCOPE, None, "복지"),
    ],
)
def test_turns_the_router_ends(
    make_deps: Callable[..., Deps],
    indexed_settings: Settings,
    tmp_path: Path,
    p: dict[Route, float],
    question: str,
    status: TurnStatus,
    reason: EscalationReason | None,
    needle: str,
) -> None:
    ctx = turn(deps_with(make_deps, indexed_settings, tmp_path, p), question)
    assert ctx.status == status and ctx.reason == reason and needle in ctx.answer


def test_english_crisis_replies_are_english_and_lead_with_the_line(
    make_deps: Callable[..., Deps], indexed_settings: Settings, tmp_path: Path
) -> None:
    deps = deps_with(make_deps, indexed_settings, tmp_path, probs(crisis_violence=0.7))
    ctx = turn(deps, "My husband said he'll kill me if I leave")
    assert ctx.status == TurnStatus.CRISIS and ctx.detail == "violence_abuse"
    assert ctx.answer.startswith("If you or someone else is in danger now, call the police at ☎112")


def test_a_short_follow_up_is_about_the_policy_just_discussed(
    make_deps: Callable[..., Deps], indexed_settings: Settings, tmp_path: Path
) -> None:
    # The model would call it off topic on its own; after an answer it is about that answer.
    deps = deps_with(make_deps, indexed_settings, tmp_path, probs(off_topic=0.9))
    earlier = PriorTurn(question="기초연금 알려주세요", answer="...", policy_titles=["기초연금제도"])
    ctx = turn(deps, "서류는 뭐 필요해요?", [earlier])
    assert ctx.status == TurnStatus.ANSWERED and ctx.follow_up
    assert ctx.citations[0].policy_id == "nat-pension"


def test_a_crisis_out_of_hours_is_never_told_to_wait(
    make_deps: Callable[..., Deps], indexed_settings: Settings, tmp_path: Path
) -> None:
    from counselor.chat.frames import MessageFrame
    from counselor.settings import QueueSettings

    closed = QueueSettings(office_days=[], office_hours="09:00-18:00")
    settings = indexed_settings.model_copy(update={"queue": closed})
    deps = deps_with(make_deps, settings, tmp_path, probs(crisis_suicide=0.8))
    conversation, _ = deps.store.open_conversation()
    sent = []

    async def send(frame: object) -> None:
        sent.append(frame)

    frame = MessageFrame(type="message", text="내일 아침이 안 왔으면 좋겠어요")
    answer = asyncio.run(deps.chat.handle(conversation, frame, send))
    assert answer is not None and answer.status == TurnStatus.CRISIS
    assert "09:00" not in answer.text and "24시간" in answer.text
    assert deps.store.tickets.queue()[0].priority == Priority.CRISIS


def test_small_talk_the_model_is_sure_of_is_not_vague_for_holding_no_word() -> None:
    for text in ("ㅎㅇ", "👍", "ㅇㅋ"):
        assert decide(text, probs(small_talk=0.9), BARS).route == Route.SMALL_TALK
        assert decide(text, probs(small_talk=0.3), BARS).route == Route.VAGUE


def two_reading_router(tmp_path: Path, alone: dict[Route, float], in_context: dict[Route, float]) -> Router:
    """A router whose model reads a message one way alone and another way after the policy's name (the
    embedding marks which: dimension 0 is set when the text starts with that name)."""
    classes = tuple(Route)
    log_p = lambda p: np.array([math.log(max(p.get(c, 0.0), 1e-9)) for c in classes], dtype=np.float32)  # noqa: E731
    coef = np.zeros((len(classes), DIM), dtype=np.float32)
    coef[:, 0] = log_p(in_context) - log_p(alone)
    RouterModel(classes, coef, log_p(alone), "hashing-256").save(tmp_path / "hashing-256.npz")

    def embed(text: str) -> np.ndarray:
        vector = np.zeros(DIM, dtype=np.float32)
        vector[0] = float(text.startswith("다문화가족 방문교육 서비스"))
        return vector

    return Router(RouterSettings(model_dir=tmp_path), embed, "hashing-256", DIM)


def test_a_follow_up_the_model_reads_as_an_own_case_alone_is_read_again_in_the_conversation(tmp_path: Path) -> None:
    router = two_reading_router(tmp_path, probs(own_case=0.9), probs(own_case=0.05))
    asked = "선생님 몇 번 오는지 정해져 있어요?"
    assert router.decide(asked).route == Route.OWN_CASE  # no conversation
    in_conversation = router.decide(asked, "다문화가족 방문교육 서비스")
    assert in_conversation.route == Route.WELFARE and in_conversation.decided_by == "model_in_context"


def test_a_crisis_the_model_is_unsure_of_in_a_conversation_is_read_after_the_policy(tmp_path: Path) -> None:
    about = "다문화가족 방문교육 서비스"
    asked = "선생님이 집에 오는 거예요? 일주일에 몇 번?"
    unsure = two_reading_router(tmp_path, probs(crisis_child=0.45), probs(crisis_child=0.05))
    assert unsure.decide(asked).route == Route.CRISIS_CHILD  # no conversation: the safe side
    assert unsure.decide(asked, about).route == Route.WELFARE
    still = two_reading_router(tmp_path, probs(crisis_child=0.45), probs(crisis_child=0.4))
    assert still.decide(asked, about).route == Route.CRISIS_CHILD


def test_a_danger_is_never_explained_away_by_the_conversation(tmp_path: Path) -> None:
    about = "다문화가족 방문교육 서비스"
    # The model alone is sure: the policy's name cannot pull it towards welfare.
    sure = two_reading_router(tmp_path, probs(crisis_suicide=0.75), probs(crisis_suicide=0.05))
    assert sure.decide("예약까지 못 기다리겠어요 약 다 모아놨어요", about).is_crisis
    # A rule's danger and distress are never read again.
    calm = two_reading_router(tmp_path, probs(crisis_suicide=0.05), probs())
    assert calm.decide("죽고 싶어요", about).route == Route.CRISIS_SUICIDE
    distressed = two_reading_router(tmp_path, probs(distress=0.9), probs())
    assert distressed.decide("말할 사람이 없어요", about).route == Route.DISTRESS


def test_distress_with_a_real_share_of_danger_in_it_is_a_crisis() -> None:
    torn = decide("I bought charcoal. I'm tired of being a burden.", probs(distress=0.6, crisis_suicide=0.2), BARS)
    assert torn.route == Route.CRISIS_SUICIDE
    tired = decide("엄마 간병하느라 너무 지쳐요", probs(distress=0.8, crisis_suicide=0.05), BARS)
    assert tired.route == Route.DISTRESS


def test_a_danger_told_in_one_sentence_of_a_longer_question_is_a_crisis(tmp_path: Path) -> None:
    classes = tuple(Route)
    log_p = lambda p: np.array([math.log(max(p.get(c, 0.0), 1e-9)) for c in classes], dtype=np.float32)  # noqa: E731
    coef = np.zeros((len(classes), DIM), dtype=np.float32)
    coef[:, 0] = log_p(probs(crisis_suicide=0.9)) - log_p(probs())
    RouterModel(classes, coef, log_p(probs()), "hashing-256").save(tmp_path / "hashing-256.npz")

    def embed(text: str) -> np.ndarray:  # the danger alone reads as one; with the question it is drowned
        vector = np.zeros(DIM, dtype=np.float32)
        vector[0] = float(text.startswith("어차피"))
        return vector

    router = Router(RouterSettings(model_dir=tmp_path), embed, "hashing-256", DIM)
    buried = router.decide("기초연금 서류 뭐 필요해요? 어차피 다음 달엔 제가 없을 테니까요.")
    assert buried.route == Route.CRISIS_SUICIDE and buried.decided_by == "model_in_sentence"
    assert router.decide("기초연금 서류 뭐 필요해요? 신분증이면 되나요?").route == Route.WELFARE


def test_a_question_the_model_calls_off_topic_that_names_a_program_is_answered(
    make_deps: Callable[..., Deps], indexed_settings: Settings, tmp_path: Path
) -> None:
    # Dialect reads as off topic to the model; a word of a policy's text keeps it from "out of scope".
    deps = deps_with(make_deps, indexed_settings, tmp_path, probs(off_topic=0.9))
    ctx = turn(deps, "울 할매 기초연금 우째 받능교")
    assert ctx.status in (TurnStatus.ANSWERED, TurnStatus.NEEDS_MORE_INFO), (ctx.status, ctx.confidence)


def test_a_reply_of_nothing_but_facts_is_no_crisis_the_model_guessed(
    make_deps: Callable[..., Deps], indexed_settings: Settings, tmp_path: Path
) -> None:
    # A model that reads a few words as a child in danger (the router set's weakness on short replies).
    deps = deps_with(make_deps, indexed_settings, tmp_path, probs(crisis_child=0.6))
    earlier = PriorTurn(question="기초연금 받을 수 있나요?", answer="...", policy_titles=["기초연금제도"])
    ctx = turn(deps, "아 잘못 말했어요, 66살이에요", [earlier])
    assert ctx.status == TurnStatus.ANSWERED and ctx.only_facts and ctx.profile.age == 66
    ctx = turn(deps, "66살이에요. 요즘 밥도 못 먹고 혼자 울어요", [earlier])  # more than facts: the model decides
    assert ctx.status == TurnStatus.CRISIS
    ctx = turn(deps, "66살이에요. 죽고 싶어요", [earlier])  # a crisis word decides by rule
    assert ctx.status == TurnStatus.CRISIS and ctx.route is not None and ctx.route.decided_by == "rule"


def test_a_sentence_of_nothing_but_facts_read_alone_as_a_danger_is_no_crisis(
    make_deps: Callable[..., Deps], indexed_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What a sentence's reading alone says, once its facts are cut ("사는데 이번에 ." read as an intent to die):
    # the model's guess still, which a message of nothing but facts does not let end the turn.
    deps = deps_with(make_deps, indexed_settings, tmp_path, probs())
    stub = RouteDecision(route=Route.CRISIS_SUICIDE, decided_by="model_in_sentence", crisis=CrisisKind.SUICIDE)
    monkeypatch.setattr(deps.router, "decide", lambda *args, **kwargs: stub)
    earlier = PriorTurn(question="기초연금 받을 수 있나요?", answer="...", policy_titles=["기초연금제도"])
    assert turn(deps, "66살이에요. 광양 살아요", [earlier]).status == TurnStatus.ANSWERED
    assert turn(deps, "66살이에요. 요즘 밥도 못 먹고 혼자 울어요", [earlier]).status == TurnStatus.CRISIS


def test_facts_around_a_programs_name_are_an_eligibility_question(
    make_deps: Callable[..., Deps], indexed_settings: Settings, tmp_path: Path
) -> None:
    deps = deps_with(make_deps, indexed_settings, tmp_path, probs(own_case=0.7))
    ctx = turn(deps, "저는 67살인데 기초연금 신청하려고요")
    assert ctx.status == TurnStatus.ANSWERED and ctx.eligibility and ctx.eligibility[0].policy_id == "nat-pension"
    ctx = turn(deps, "기초연금 신청했는데 탈락했어요. 저는 67살이에요")  # a decision on a case: still the case
    assert ctx.status == TurnStatus.ESCALATED and ctx.reason == EscalationReason.OWN_CASE


def test_the_kinds_head_chooses_among_small_talk_off_topic_and_vague_and_never_overrules_the_main_head() -> None:
    # The main head reads small talk and the kinds head vague: "say more" it is.
    assert decide("qq zz", probs(small_talk=0.8, vague=0.1), BARS, kinds=probs(vague=0.9)).route == Route.VAGUE
    assert decide("qq zz", probs(small_talk=0.8, vague=0.1), BARS).route == Route.SMALL_TALK
    # A crisis, a person or distress the main head reads stands, whatever the kinds head says.
    assert decide("qq zz", probs(crisis_suicide=0.9), BARS, kinds=probs(small_talk=0.99)).is_crisis
    assert decide("qq zz", probs(person=0.9), BARS, kinds=probs(small_talk=0.99)).route == Route.PERSON
    assert decide("qq zz", probs(distress=0.9), BARS, kinds=probs(off_topic=0.99)).route == Route.DISTRESS


def test_a_missing_or_broken_kinds_head_leaves_the_main_head_and_says_so(tmp_path: Path) -> None:
    def zeros(_: str) -> np.ndarray:
        return np.zeros(DIM, dtype=np.float32)

    constant_model(probs(small_talk=0.8, vague=0.1)).save(tmp_path / "hashing-256.npz")
    router = Router(RouterSettings(model_dir=tmp_path), zeros, "hashing-256", DIM)
    assert router.model is not None and router.kinds_model is None and "no kinds head" in router.status
    assert router.decide("qq zz").route == Route.SMALL_TALK
    (tmp_path / "hashing-256.kinds.npz").write_bytes(b"not a model")
    router = Router(RouterSettings(model_dir=tmp_path), zeros, "hashing-256", DIM)
    assert router.kinds_model is None and "cannot be read" in router.status
    constant_model(probs(vague=0.9)).save(tmp_path / "hashing-256.kinds.npz")
    router = Router(RouterSettings(model_dir=tmp_path), zeros, "hashing-256", DIM)
    assert router.kinds_model is not None and "a kinds head" in router.status
    assert router.decide("qq zz").route == Route.VAGUE


def test_a_programs_number_asked_for_is_answered_unless_the_model_is_sure_a_person_is_wanted(
    make_deps: Callable[..., Deps], indexed_settings: Settings, tmp_path: Path
) -> None:
    earlier = PriorTurn(question="기초연금 얼마예요?", answer="...", policy_titles=["기초연금제도"])
    asked = turn(
        deps_with(make_deps, indexed_settings, tmp_path, probs(person=0.85)), "담당 부서 전화번호 알려줘요", [earlier]
    )
    assert asked.status == TurnStatus.ANSWERED and asked.route is not None and asked.route.route == Route.WELFARE
    sure = deps_with(make_deps, indexed_settings, tmp_path / "sure", probs(person=0.97))
    callback = turn(sure, "Can someone call me back?", [earlier])
    assert callback.status == TurnStatus.ESCALATED and callback.reason == EscalationReason.PERSON_REQUESTED
