"""The audit log's records: who did what, when, to which case. Written by the store in the transaction of
the action itself (``add_audit``), read by supervisors (``CaseworkStore.audit_log``)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from counselor.casework import AuditAction, Outcome
from counselor.store.tables import AuditEntry, utcnow


class AuditDetail(BaseModel):
    """What an action was done with; only the fields it has are set."""

    model_config = ConfigDict(extra="forbid")

    message_id: str | None = None
    note_id: int | None = None
    to: str | None = Field(default=None, description="transfer: the new holder; None with requeue")
    outcome: Outcome | None = None
    tags: list[str] | None = None
    date_from: str | None = None
    date_to: str | None = None
    rows: int | None = None
    template: str | None = Field(default=None, description="send: the ready reply it started from")


class AuditDraft(BaseModel):
    actor: str
    action: AuditAction
    ticket_id: int | None = None
    detail: AuditDetail = Field(default_factory=AuditDetail)


class AuditRecord(AuditDraft):
    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime


def add_audit(session: Session, draft: AuditDraft | None) -> None:
    if draft is not None:
        session.add(
            AuditEntry(
                actor=draft.actor,
                action=draft.action.value,
                ticket_id=draft.ticket_id,
                detail=draft.detail.model_dump(mode="json", exclude_none=True),
                at=utcnow(),
            )
        )
