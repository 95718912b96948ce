"""A reply right after the bot asked something answers its question: "네", "no", "예 광양읍이요" are neither small
talk nor vague (issue 15), while a crisis or distress is never turned into a question this way."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from counselor.chat.context import PriorTurn
from counselor.chat.statuses import TurnStatus
from counselor.deps import Deps
from counselor.settings import Settings
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
