"""A reply right after the bot asked something answers its question: "네", "no", "예 광양읍이요" are neither small
talk nor vague (issue 15), while a crisis or distress is never turned into a question this way."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np

from counselor.chat.context import PriorTurn
from counselor.chat.routing.model import RouterModel
from counselor.chat.routing.router import Router
from counselor.chat.routing.routes import Route
from counselor.chat.statuses import TurnStatus
from counselor.chat.steps.route import _question_asked
from counselor.deps import Deps
from counselor.settings import RouterSettings, Settings
from tests.test_router import deps_with, probs, turn

ASKED = PriorTurn(question="기초연금 받을 수 있나요?", answer="만 65세 이상이신가요?", policy_titles=["기초연금제도"])
TOLD = PriorTurn(question="기초연금 받을 수 있나요?", answer="기초연금은 ... 입니다.", policy_titles=["기초연금제도"])


def test_yes_or_no_to_the_bots_question_is_answered_not_small_talk(
    make_deps: Callable[..., Deps], indexed_settings: Settings, tmp_path: Path
) -> None:
    deps = deps_with(make_deps, indexed_settings, tmp_path, probs(small_talk=0.9))
    for reply in ("네", "아니요", "yes", "예 광양읍이요"):
        ctx = turn(deps, reply, [ASKED])
        assert ctx.status != TurnStatus.SMALL_TALK, (reply, ctx.status)
    assert turn(deps, "네", []).status == TurnStatus.SMALL_TALK  # nothing asked: an acknowledgement
    assert turn(deps, "네", [TOLD]).status == TurnStatus.SMALL_TALK
    assert turn(deps, "감사합니다", [ASKED]).status == TurnStatus.SMALL_TALK  # thanks is no answer


def test_a_reply_the_model_calls_off_topic_is_searched_on_the_conversations_program(
    make_deps: Callable[..., Deps], indexed_settings: Settings, tmp_path: Path
) -> None:
    deps = deps_with(make_deps, indexed_settings, tmp_path, probs(off_topic=0.9))
    assert turn(deps, "grade 2 middle school and grade 5", [ASKED]).status != TurnStatus.OUT_OF_SCOPE
    assert turn(deps, "grade 2 middle school and grade 5", []).status == TurnStatus.OUT_OF_SCOPE


def test_a_crisis_in_a_reply_stays_a_crisis(
    make_deps: Callable[..., Deps], indexed_settings: Settings, tmp_path: Path
) -> None:
    deps = deps_with(make_deps, indexed_settings, tmp_path, probs(crisis_suicide=0.9))
    assert turn(deps, "네 근데 이제 다 소용없어요", [ASKED]).status == TurnStatus.CRISIS


def _two_readings(tmp_path: Path, alone: dict[Route, float], asked: dict[Route, float]) -> Router:
    """A router whose model reads ``asked`` when the text holds the bot's question, else ``alone``."""
    classes = tuple(Route)
    columns = [[math.log(max(p.get(c, 0.0), 1e-6)) for c in classes] for p in (asked, alone)]
    coef = np.array(columns, dtype=np.float32).T
    RouterModel(classes, coef, np.zeros(len(classes), dtype=np.float32), "two").save(tmp_path / "two.npz")

    def embed(text: str) -> np.ndarray:
        return np.array([1.0, 0.0] if "몇 학년" in text else [0.0, 1.0], dtype=np.float32)

    return Router(RouterSettings(model_dir=tmp_path), embed, "two", 2)


def test_a_reply_is_read_as_the_answer_to_the_bots_question(tmp_path: Path) -> None:
    reply = "초등 3학년이요 학교 끝나면 2시인데 제가 6시에 퇴근해요"
    # Alone, a child's hours read as a child left alone; after "몇 학년이에요?", as the answer it is.
    router = _two_readings(tmp_path, probs(crisis_child=0.5), probs(crisis_child=0.05))
    assert router.decide(reply).is_crisis
    assert router.decide(reply, "아이돌봄서비스 아이가 몇 학년이에요?").route == Route.WELFARE
    # A context that leaves doubt (the crisis classes still past half the crisis bar) changes nothing.
    unsure = _two_readings(tmp_path, probs(crisis_child=0.5), probs(crisis_child=0.2))
    assert unsure.decide(reply, "아이돌봄서비스 아이가 몇 학년이에요?").is_crisis


def test_the_bots_last_question_is_what_a_reply_answers() -> None:
    answer = "아이돌봄서비스는 ... 입니다.\n\n정확히 판단하려면 여쭤볼게요. 아이가 몇 학년이에요? 소득도 알려 주세요."
    assert _question_asked(answer) == "정확히 판단하려면 여쭤볼게요. 아이가 몇 학년이에요?"
    assert _question_asked("기초연금은 ... 입니다.") is None


def test_a_reply_before_any_program_is_cited_completes_the_question_it_answers(
    make_deps: Callable[..., Deps], indexed_settings: Settings, tmp_path: Path
) -> None:
    deps = deps_with(make_deps, indexed_settings, tmp_path, probs())
    narrowing = PriorTurn(question="how much is the child allowance", answer="How old is your child?", policy_titles=[])
    ctx = turn(deps, "she's 6", [narrowing])
    assert ctx.standalone == "how much is the child allowance she's 6"
    # After a cited program the reply is about that program instead (Understand's follow-up).
    assert turn(deps, "she's 6", [ASKED]).standalone != "기초연금 받을 수 있나요? she's 6"
