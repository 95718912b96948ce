"""Every way a turn can end, declared once. Frames, stored turns, replies and evals all use these."""

from __future__ import annotations

from enum import IntEnum, StrEnum


class TurnStatus(StrEnum):
    ANSWERED = "answered"  # a cited answer from the knowledge
    NEEDS_MORE_INFO = "needs_more_info"  # too vague to search; the citizen is asked to say more
    OUT_OF_SCOPE = "out_of_scope"  # not about welfare; the reply says what the counselor helps with
    SMALL_TALK = "small_talk"  # a greeting, thanks or goodbye, answered in kind
    ESCALATED = "escalated"  # handed to the caseworker queue
    CRISIS = "crisis"  # hotlines now, and a top-priority ticket
    ERROR = "error"  # something failed on our side; the citizen gets a kind reply, never a traceback


class EscalationReason(StrEnum):
    """Why a chat went to a caseworker; the code travels on the ticket and the answer frame."""

    CRISIS = "crisis"
    PERSON_REQUESTED = "person_requested"
    OWN_CASE = "own_case"  # a decision, payment or application of the citizen's: only a caseworker can look it up
    DISTRESS = "distress"  # distress or hardship without a clear danger now: a person, with priority
    SEVERAL_PROBLEMS = "several_problems"  # three or more kinds of trouble at once: a caseworker makes the plan
    LOW_CONFIDENCE = "low_confidence"
    NO_MATCH = "no_match"
    UNGROUNDED_ANSWER = "ungrounded_answer"


class Priority(IntEnum):
    """Lower is served first; within a priority, tickets are served in order of arrival."""

    CRISIS = 0
    NORMAL = 1


ESCALATING = frozenset({TurnStatus.ESCALATED, TurnStatus.CRISIS})
