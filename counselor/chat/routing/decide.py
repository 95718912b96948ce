"""The routing policy: the model's probabilities, the rules that override them, and the safe defaults.

In order (the first that holds decides):
1. words that state a danger now (``detect_crisis``) are a crisis: the model cannot overrule a rule (it may
   only name another kind of crisis, when it is sure of it: ``crisis_kind``);
2. the crisis classes together past ``crisis`` (or past the lower ``crisis_on_topic`` when the words name a
   crisis subject, or the higher ``crisis_over_rule`` when a rule reads the message as off topic or vague
   and no crisis word is in it) are a crisis, of the likeliest crisis kind;
3. a request for a person (rule or model);
4. crisis and distress together past ``distress``: a person, with priority (a crisis when the crisis classes'
   share in it passes ``crisis_in_distress``). Distress is never "out of scope";
5. the citizen's own case (the model, or the rule unless the model is sure it is a welfare question);
6. off topic by its rule (a precise word list), small talk when the model is sure, vague by its rule; which of
   small talk, off topic, vague or a question is the kinds head's to say (router.py), when there is one;
7. off topic and vague are only *candidates*: the turn still searches, and Assess says "out of scope" only when
   retrieval found nothing relevant either (and "say more" only when it found nothing to answer with);
8. everything else is a welfare question.

With no model (rules only) each step uses its rule, and a crisis subject named at all is a crisis.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from counselor.chat.routing.routes import CRISIS_ROUTES, Route
from counselor.chat.safety.crisis import CrisisKind, crisis_topic, detect_crisis
from counselor.chat.safety.intents import about_own_case, asks_for_person, off_topic, small_talk, too_vague
from counselor.settings import RouterSettings

DecidedBy = Literal["rule", "model", "model_in_context", "model_in_sentence", "model_less_facts", "rules_only"]


class RouteDecision(BaseModel):
    route: Route
    decided_by: DecidedBy
    crisis: CrisisKind | None = Field(default=None, description="the kind, when the route is a crisis")
    topic: CrisisKind | None = Field(
        default=None, description="a crisis subject the words name: an answer on it carries that hotline"
    )
    probabilities: dict[Route, float] = Field(default_factory=dict)

    @property
    def is_crisis(self) -> bool:
        return self.route in CRISIS_ROUTES


# What is left to choose once no crisis, person, distress or own case is read: the kinds head's classes.
_KINDS = (Route.WELFARE, Route.SMALL_TALK, Route.OFF_TOPIC, Route.VAGUE)


def _route_of(kind: CrisisKind) -> Route:
    return next(route for route, k in CRISIS_ROUTES.items() if k == kind)


def _crisis(kind: CrisisKind, by: DecidedBy, probs: dict[Route, float]) -> RouteDecision:
    return RouteDecision(route=_route_of(kind), decided_by=by, crisis=kind, topic=kind, probabilities=probs)


def decide_by_rules(text: str) -> RouteDecision:
    topic = crisis_topic(text)
    if topic is not None:
        return _crisis(topic, "rules_only", {})
    for route, rule in (
        (Route.PERSON, asks_for_person),
        (Route.OWN_CASE, about_own_case),
        (Route.SMALL_TALK, small_talk),
        (Route.OFF_TOPIC, off_topic),
        (Route.VAGUE, too_vague),
    ):
        if rule(text):
            return RouteDecision(route=route, decided_by="rules_only")
    return RouteDecision(route=Route.WELFARE, decided_by="rules_only")


def decide(
    text: str, probs: dict[Route, float] | None, bars: RouterSettings, kinds: dict[Route, float] | None = None
) -> RouteDecision:
    """``kinds``: the kinds head's reading (router.py), which chooses among small talk, off topic, vague and a
    question once the crisis, a person, distress and the citizen's own case are ruled out; without it, the
    model's own ``probs``."""
    stated = detect_crisis(text)
    if probs is None:
        return decide_by_rules(text)
    if stated is not None:
        # The rule says it is a crisis; which kind is the model's to refine when it is sure of another
        # ("the kids next door are left alone with no food": a child in danger, not the citizen's own food).
        likeliest = max(CRISIS_ROUTES, key=lambda r: probs.get(r, 0.0))
        if probs.get(likeliest, 0.0) >= bars.crisis_kind:
            return _crisis(CRISIS_ROUTES[likeliest], "rule", probs)
        return _crisis(stated, "rule", probs)
    topic = crisis_topic(text)
    p = {route: probs.get(route, 0.0) for route in Route}
    p_crisis = sum(p[r] for r in CRISIS_ROUTES)
    # A rule that reads the message as off topic ("내일 미세먼지 어때요") or as nothing but generic words ("지원금
    # 있나요?") is precise too: with no crisis word, only a model sure of a crisis outweighs it.
    plain = topic is None and (off_topic(text) or too_vague(text))
    bar = bars.crisis_over_rule if plain else bars.crisis_on_topic if topic is not None else bars.crisis
    if p_crisis >= bar:
        likeliest = max(CRISIS_ROUTES, key=lambda r: p[r])
        return _crisis(CRISIS_ROUTES[likeliest], "model", p)

    def decided(route: Route, by: DecidedBy = "model") -> RouteDecision:
        return RouteDecision(route=route, decided_by=by, topic=topic, probabilities=p)

    if asks_for_person(text):
        return decided(Route.PERSON, "rule")
    if p[Route.PERSON] >= bars.person:
        return decided(Route.PERSON)
    if p_crisis + p[Route.DISTRESS] >= (bars.crisis_over_rule if plain else bars.distress):
        # Distress with a real share of danger in it ("I bought charcoal. I'm tired of being a burden."): the
        # model is torn between the two, and the crisis reply is the safe side of that doubt.
        if p_crisis >= bars.crisis_in_distress:
            likeliest = max(CRISIS_ROUTES, key=lambda r: p[r])
            return _crisis(CRISIS_ROUTES[likeliest], "model", p)
        return decided(Route.DISTRESS)
    if p[Route.OWN_CASE] >= bars.own_case:
        return decided(Route.OWN_CASE)
    if about_own_case(text) and p[Route.WELFARE] < bars.own_case:
        return decided(Route.OWN_CASE, "rule")
    if off_topic(text):
        return decided(Route.OFF_TOPIC, "rule")
    q = {route: kinds.get(route, 0.0) for route in _KINDS} if kinds else p
    top = max(q, key=lambda r: q[r])
    # Before the generic-words rule: "ㅎㅇ", "ㅇㅋ", "👍" hold no word at all, yet they are not vague.
    if top == Route.SMALL_TALK and q[top] >= bars.small_talk:
        return decided(Route.SMALL_TALK)
    if too_vague(text):
        return decided(Route.VAGUE, "rule")
    if top == Route.OFF_TOPIC and q[top] >= bars.off_topic:
        return decided(Route.OFF_TOPIC)
    if top == Route.VAGUE:
        return decided(Route.VAGUE)
    return decided(Route.WELFARE)
