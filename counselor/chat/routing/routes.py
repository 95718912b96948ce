"""The kinds of message the router tells apart, declared once: the model's classes, the training labels and
the evaluation's expectations all use these."""

from __future__ import annotations

from enum import StrEnum

from counselor.chat.safety.crisis import CrisisKind


class Route(StrEnum):
    WELFARE = "welfare"  # a question the knowledge may answer: search and answer it
    CRISIS_SUICIDE = "crisis_suicide"
    CRISIS_VIOLENCE = "crisis_violence"
    CRISIS_CHILD = "crisis_child"
    CRISIS_BASIC_NEEDS = "crisis_basic_needs"
    DISTRESS = "distress"  # hardship or distress without a clear danger now: a person, with priority
    PERSON = "person"  # asks for a human
    OWN_CASE = "own_case"  # the citizen's own decision, payment or application: only a caseworker can look it up
    OFF_TOPIC = "off_topic"
    SMALL_TALK = "small_talk"  # greetings, thanks, goodbyes
    VAGUE = "vague"  # wants help, says nothing to search yet


CRISIS_ROUTES: dict[Route, CrisisKind] = {
    Route.CRISIS_SUICIDE: CrisisKind.SUICIDE,
    Route.CRISIS_VIOLENCE: CrisisKind.VIOLENCE,
    Route.CRISIS_CHILD: CrisisKind.CHILD,
    Route.CRISIS_BASIC_NEEDS: CrisisKind.BASIC_NEEDS,
}
