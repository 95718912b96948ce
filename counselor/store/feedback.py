"""Citizens' feedback, stored with what it rates: a bot answer (keyed by the answer's id, which is its turn's
``answer_id``) or a chat with a caseworker (keyed by the message that ended it). Rating again replaces the
earlier rating. Read back joined to the turn and the answer for ``counselor eval feedback``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from counselor.casework import FeedbackReason
from counselor.store.payloads import AnswerPayload, EventPayload, Role
from counselor.store.records import StoredMessage
from counselor.store.sessions import Sessions
from counselor.store.tables import Feedback, Message, Turn, utcnow
from counselor.store.tickets import as_utc

ENDS_A_HUMAN_CHAT = ("resolved", "returned_to_bot")


class AnswerRating(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kind: Literal["answer"] = "answer"
    message_id: str
    helpful: bool
    reason: FeedbackReason | None = None


class ChatRating(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kind: Literal["satisfaction"] = "satisfaction"
    message_id: str
    rating: int = Field(ge=1, le=5)
    ticket_id: int | None = None
    counselor: str | None = None


Rating = Annotated[AnswerRating | ChatRating, Field(discriminator="kind")]


class RatedAnswer(BaseModel):
    """One rated answer with what the report groups it by."""

    message_id: str
    rated_at: datetime
    helpful: bool
    reason: FeedbackReason | None
    status: str
    escalation: str | None
    language: str
    policy_id: str | None
    policy_title: str | None
    question: str
    answer: str


class RatedChat(BaseModel):
    message_id: str
    rated_at: datetime
    rating: int
    ticket_id: int | None
    counselor: str | None


class FeedbackStore:
    def __init__(self, sessions: Sessions) -> None:
        self._session = sessions

    def rate_answer(
        self, conversation_id: str, message_id: str, helpful: bool, reason: FeedbackReason | None
    ) -> AnswerRating | None:
        """None when ``message_id`` is not a bot answer of this conversation."""
        with self._session() as session:
            message = _message(session, message_id, conversation_id)
        if message is None or message.role != Role.BOT:
            return None
        rating = AnswerRating(message_id=message_id, helpful=helpful, reason=reason if not helpful else None)
        self._put(conversation_id, rating)
        return rating

    def rate_chat(self, conversation_id: str, message_id: str, rating: int) -> ChatRating | None:
        """None when ``message_id`` is not the end of a caseworker's chat (resolved, handed back) here."""
        with self._session() as session:
            message = _message(session, message_id, conversation_id)
        event = message.payload if message is not None else None
        if not isinstance(event, EventPayload) or event.event not in ENDS_A_HUMAN_CHAT:
            return None
        chat = ChatRating(
            message_id=message_id, rating=rating, ticket_id=event.ticket_id, counselor=event.counselor or None
        )
        self._put(conversation_id, chat)
        return chat

    def _put(self, conversation_id: str, rating: AnswerRating | ChatRating) -> None:
        values = rating.model_dump(mode="json", exclude={"message_id"})
        for _ in range(2):  # two first ratings of one message at once: the loser updates the winner's row
            try:
                with self._session.begin() as session:
                    row = session.scalar(select(Feedback).where(Feedback.message_id == rating.message_id))
                    if row is None:
                        now = utcnow()
                        row = Feedback(
                            conversation_id=conversation_id,
                            message_id=rating.message_id,
                            created_at=now,
                            updated_at=now,
                        )
                        session.add(row)
                    row.helpful, row.reason, row.rating = None, None, None
                    for key, value in values.items():
                        setattr(row, key, value)
                    row.updated_at = utcnow()
                return
            except IntegrityError:
                continue

    def ratings(self, conversation_id: str) -> list[AnswerRating | ChatRating]:
        with self._session() as session:
            rows = session.scalars(
                select(Feedback).where(Feedback.conversation_id == conversation_id).order_by(Feedback.id)
            )
            return [
                AnswerRating.model_validate(r) if r.kind == "answer" else ChatRating.model_validate(r) for r in rows
            ]

    def rated_answers(self, since: datetime | None = None) -> list[RatedAnswer]:
        with self._session() as session:
            query = (
                select(Feedback, Message, Turn)
                .join(Message, Message.id == Feedback.message_id)
                .outerjoin(Turn, Turn.answer_id == Feedback.message_id)
                .where(Feedback.kind == "answer")
            )
            if since is not None:
                query = query.where(Feedback.updated_at >= as_utc(since))
            out = []
            for feedback, row, turn in session.execute(query.order_by(Feedback.id)):
                answer = StoredMessage.model_validate(row)
                question = session.scalar(select(Message.text).where(Message.id == answer.reply_to))
                frame = answer.payload.frame if isinstance(answer.payload, AnswerPayload) else None
                first = frame.citations[0] if frame and frame.citations else None
                out.append(
                    RatedAnswer(
                        message_id=feedback.message_id,
                        rated_at=feedback.updated_at,
                        helpful=bool(feedback.helpful),
                        reason=FeedbackReason(feedback.reason) if feedback.reason else None,
                        status=turn.status if turn else (frame.status if frame else ""),
                        escalation=turn.reason if turn else None,
                        language=frame.language if frame else "ko",
                        policy_id=first.policy_id if first else None,
                        policy_title=first.title if first else None,
                        question=question or "",
                        answer=answer.text,
                    )
                )
            return out

    def rated_chats(self, since: datetime | None = None) -> list[RatedChat]:
        with self._session() as session:
            query = select(Feedback).where(Feedback.kind == "satisfaction")
            if since is not None:
                query = query.where(Feedback.updated_at >= as_utc(since))
            return [
                RatedChat(
                    message_id=r.message_id,
                    rated_at=r.updated_at,
                    rating=int(r.rating or 0),
                    ticket_id=r.ticket_id,
                    counselor=r.counselor,
                )
                for r in session.scalars(query.order_by(Feedback.id))
            ]


def _message(session: Session, message_id: str, conversation_id: str) -> StoredMessage | None:
    row = session.scalar(select(Message).where(Message.id == message_id, Message.conversation_id == conversation_id))
    return StoredMessage.model_validate(row) if row is not None else None
