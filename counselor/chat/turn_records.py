"""What a finished turn leaves in the store besides its answer: the turn's audit record, and the ticket an
escalated or crisis turn opens, with the brief a caseworker reads first."""

from __future__ import annotations

from counselor.chat.context import TurnContext
from counselor.chat.statuses import ESCALATING, EscalationReason, Priority, TurnStatus
from counselor.store.records import Candidate, TicketBrief, TicketDraft, TurnRecord


def turn_record(ctx: TurnContext) -> TurnRecord:
    return TurnRecord(
        question_id=ctx.reply_to or "",
        status=ctx.status or TurnStatus.ERROR,
        reason=ctx.reason,
        confidence=ctx.confidence,
        answerer=ctx.answerer,
        prompts=ctx.prompts,
        steps=ctx.steps,
    )


def ticket_draft(ctx: TurnContext) -> TicketDraft | None:
    """The ticket the turn opens: None unless it ended escalated or in a crisis. A crisis, or distress, goes to
    the front of the queue."""
    if ctx.status not in ESCALATING:
        return None
    urgent = ctx.status == TurnStatus.CRISIS or ctx.reason == EscalationReason.DISTRESS
    return TicketDraft(
        priority=Priority.CRISIS if urgent else Priority.NORMAL,
        reason=ctx.reason or EscalationReason.LOW_CONFIDENCE,
        detail=ctx.detail,
        question_id=ctx.reply_to,
        brief=TicketBrief(
            question=ctx.question,
            standalone=ctx.standalone,
            answer=ctx.answer,
            candidates=_candidates(ctx),
            language=ctx.language,
            sido=ctx.sido,
            district=ctx.district,
        ),
    )


def _candidates(ctx: TurnContext) -> list[Candidate]:
    """Each retrieved policy once, by its best chunk, best first."""
    found: dict[str, Candidate] = {}
    for h in ctx.hits:
        found.setdefault(
            h.policy_id, Candidate(policy_id=h.policy_id, title=h.title, section=h.section, source=h.source)
        )
    return list(found.values())
