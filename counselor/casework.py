"""The vocabulary of casework and of citizens' feedback, declared once: the kinds a ticket is shown as, how a
case ends, what the audit log records, and why a citizen found an answer unhelpful. The console, the store,
the CSV export and the feedback report all use these codes; the Korean words are here too, so the page and
the export say the same thing."""

from __future__ import annotations

from enum import StrEnum


class TicketKind(StrEnum):
    """What a ticket is about, as a caseworker reads the queue: the crisis kind for a crisis, else the reason."""

    SUICIDE = "suicide_self_harm"
    VIOLENCE = "violence_abuse"
    CHILD = "child_in_danger"
    BASIC_NEEDS = "basic_needs_today"
    CRISIS = "crisis"  # a crisis whose kind the router did not name
    DISTRESS = "distress"
    PERSON = "person_requested"
    LOW_CONFIDENCE = "low_confidence"
    OWN_CASE = "own_case"
    SEVERAL = "several_problems"
    SYSTEM = "system_error"


KIND_LABELS: dict[TicketKind, str] = {
    TicketKind.SUICIDE: "자살·자해 위험",
    TicketKind.VIOLENCE: "폭력·학대",
    TicketKind.CHILD: "아동 위험",
    TicketKind.BASIC_NEEDS: "오늘의 생계",
    TicketKind.CRISIS: "위기",
    TicketKind.DISTRESS: "정서적 어려움",
    TicketKind.PERSON: "상담 요청",
    TicketKind.LOW_CONFIDENCE: "낮은 확신",
    TicketKind.OWN_CASE: "본인 사안",
    TicketKind.SEVERAL: "여러 어려움",
    TicketKind.SYSTEM: "시스템 오류",
}

# Escalation reasons (counselor/chat/statuses.py) that are not their own kind.
_REASON_KINDS = {
    "distress": TicketKind.DISTRESS,
    "person_requested": TicketKind.PERSON,
    "own_case": TicketKind.OWN_CASE,
    "several_problems": TicketKind.SEVERAL,
    "low_confidence": TicketKind.LOW_CONFIDENCE,
    "no_match": TicketKind.LOW_CONFIDENCE,
    "ungrounded_answer": TicketKind.LOW_CONFIDENCE,
    # Reasons no turn gives any more; tickets stored with them are still read.
    "answerer_failed": TicketKind.SYSTEM,
    "pipeline_error": TicketKind.SYSTEM,
}


def ticket_kind(reason: str, detail: str) -> TicketKind:
    """A crisis ticket carries its kind's code as its detail (counselor/chat/steps/route.py)."""
    if reason == "crisis":
        try:
            return TicketKind(detail)
        except ValueError:
            return TicketKind.CRISIS
    return _REASON_KINDS.get(reason, TicketKind.LOW_CONFIDENCE)


class Outcome(StrEnum):
    """How a resolved case ended (the tag a caseworker picks when resolving)."""

    INFORMED = "informed"
    APPLICATION_HELPED = "application_helped"
    REFERRED = "referred"
    EMERGENCY_SUPPORT = "emergency_support"
    NO_RESPONSE = "no_response"
    OTHER = "other"


OUTCOME_LABELS: dict[Outcome, str] = {
    Outcome.INFORMED: "제도 안내",
    Outcome.APPLICATION_HELPED: "신청 도움",
    Outcome.REFERRED: "기관 연계",
    Outcome.EMERGENCY_SUPPORT: "긴급 지원 연결",
    Outcome.NO_RESPONSE: "시민 응답 없음",
    Outcome.OTHER: "기타",
}


class AuditAction(StrEnum):
    """Every caseworker action the audit log records (who, what, when, which case)."""

    LOGIN = "login"
    LOGOUT = "logout"
    OPEN = "open"
    CLAIM = "claim"
    SEND = "send"
    NOTE = "note"
    TRANSFER = "transfer"
    REQUEUE = "requeue"
    RETURN = "return"
    RESOLVE = "resolve"
    EXPORT = "export"
    READ_AUDIT = "read_audit"


class FeedbackReason(StrEnum):
    """Why a citizen said an answer did not help (optional)."""

    WRONG_PROGRAM = "wrong_program"
    MISSING_FACT = "missing_fact"
    HARD_TO_READ = "hard_to_read"
    WANTED_PERSON = "wanted_person"


FEEDBACK_REASON_LABELS: dict[FeedbackReason, str] = {
    FeedbackReason.WRONG_PROGRAM: "다른 제도 안내",
    FeedbackReason.MISSING_FACT: "필요한 내용 없음",
    FeedbackReason.HARD_TO_READ: "읽기 어려움",
    FeedbackReason.WANTED_PERSON: "상담사와 이야기하고 싶음",
}
