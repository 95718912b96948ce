"""What caseworkers write beside a conversation: private notes on a case, their messages to the citizen, and
the audit log of every action. Each action's audit entry commits in the same transaction as the action, so
a process killed at any point leaves both or neither."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select, update

from counselor.casework import AuditAction
from counselor.shared_frames import PolicyLink
from counselor.store.audit import AuditDetail, AuditDraft, AuditRecord, add_audit
from counselor.store.ids import new_id
from counselor.store.notes import NoteKind, NoteView, note_row
from counselor.store.payloads import CounselorPayload, Role
from counselor.store.records import StoredMessage
from counselor.store.sessions import Sessions
from counselor.store.tables import AuditEntry, CaseNote, Message, Ticket, utcnow
from counselor.store.tickets import TicketState


class CaseworkStore:
    def __init__(self, sessions: Sessions) -> None:
        self._session = sessions

    def add_note(self, ticket_id: int, author: str, text: str, kind: NoteKind = "note") -> NoteView:
        with self._session.begin() as session:
            row = note_row(session, ticket_id, author, text, kind)
            detail = AuditDetail(note_id=row.id)
            add_audit(session, AuditDraft(actor=author, action=AuditAction.NOTE, ticket_id=ticket_id, detail=detail))
            return NoteView.model_validate(row)

    def notes(self, ticket_id: int) -> list[NoteView]:
        with self._session() as session:
            rows = session.scalars(select(CaseNote).where(CaseNote.ticket_id == ticket_id).order_by(CaseNote.id))
            return [NoteView.model_validate(r) for r in rows]

    def reply(
        self,
        ticket_id: int,
        conversation_id: str,
        author: str,
        text: str,
        template: str | None = None,
        links: Sequence[PolicyLink] = (),
    ) -> StoredMessage | None:
        """A caseworker's message to the citizen, stored only while ``author`` holds the ticket (checked in the
        same transaction), with the ticket's first-reply time and the audit entry. None: not theirs."""
        with self._session.begin() as session:
            held = session.scalar(
                select(Ticket.id).where(
                    Ticket.id == ticket_id, Ticket.state == TicketState.CLAIMED, Ticket.claimed_by == author
                )
            )
            if held is None:
                return None
            row = Message(
                id=new_id(),
                conversation_id=conversation_id,
                role=Role.COUNSELOR,
                text=text,
                payload=CounselorPayload(counselor=author, links=list(links)).model_dump(mode="json"),
                created_at=utcnow(),
            )
            session.add(row)
            session.execute(
                update(Ticket)
                .where(Ticket.id == ticket_id, Ticket.first_reply_at.is_(None))
                .values(first_reply_at=row.created_at)
            )
            detail = AuditDetail(message_id=row.id, template=template)
            add_audit(session, AuditDraft(actor=author, action=AuditAction.SEND, ticket_id=ticket_id, detail=detail))
            session.flush()
            return StoredMessage.model_validate(row)

    def record(self, draft: AuditDraft) -> None:
        """An action that changes nothing else (opening a case, an export, a login)."""
        with self._session.begin() as session:
            add_audit(session, draft)

    def audit_log(self, ticket_id: int | None = None, actor: str | None = None, limit: int = 200) -> list[AuditRecord]:
        """Newest first."""
        with self._session() as session:
            query = select(AuditEntry)
            if ticket_id is not None:
                query = query.where(AuditEntry.ticket_id == ticket_id)
            if actor is not None:
                query = query.where(AuditEntry.actor == actor)
            rows = session.scalars(query.order_by(AuditEntry.id.desc()).limit(limit))
            return [
                AuditRecord(
                    id=r.id,
                    at=r.at,
                    actor=r.actor,
                    action=AuditAction(r.action),
                    ticket_id=r.ticket_id,
                    detail=AuditDetail.model_validate(r.detail or {}),
                )
                for r in rows
            ]
