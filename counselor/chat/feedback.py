"""Citizens' ratings: 도움이 됐어요 / 아니에요 on a bot answer (with an optional reason), and one satisfaction
question after a chat with a caseworker. Stored with what they rate (counselor/store/feedback.py) and read
by ``counselor eval feedback``."""

from __future__ import annotations

import anyio
from limits import RateLimitItem

from counselor.chat.frames import ErrorCode, FeedbackFrame, FeedbackSavedFrame, FrameError, SatisfactionFrame
from counselor.store.feedback import AnswerRating, FeedbackStore
from counselor.throttle import Throttle


class CitizenFeedback:
    def __init__(self, store: FeedbackStore, throttle: Throttle, per_conversation: RateLimitItem) -> None:
        self.store = store
        self.throttle = throttle
        self.per_conversation = per_conversation  # each rating writes a row: as many as messages, no more

    async def rate(self, conversation_id: str, frame: FeedbackFrame | SatisfactionFrame) -> FeedbackSavedFrame:
        """Store a rating; a FrameError when it names nothing rateable in this conversation."""
        if not await self.throttle.hit(self.per_conversation, "chat-feedback", conversation_id):
            raise FrameError(ErrorCode.RATE_LIMITED, "too many ratings at once; try again shortly")
        if isinstance(frame, FeedbackFrame):
            rated = (conversation_id, frame.message_id, frame.helpful, frame.reason)
            answer = await anyio.to_thread.run_sync(self.store.rate_answer, *rated)
            if answer is None:
                raise FrameError(ErrorCode.BAD_FRAME, "message_id: not an answer of this conversation")
            return FeedbackSavedFrame(message_id=answer.message_id, helpful=answer.helpful, reason=answer.reason)
        chat = await anyio.to_thread.run_sync(self.store.rate_chat, conversation_id, frame.message_id, frame.rating)
        if chat is None:
            raise FrameError(ErrorCode.BAD_FRAME, "message_id: not the end of a chat with a caseworker here")
        return FeedbackSavedFrame(message_id=chat.message_id, rating=chat.rating)

    async def ratings(self, conversation_id: str) -> list[FeedbackSavedFrame]:
        """The conversation's ratings as frames, replayed on resume so the page shows them as given."""
        found = await anyio.to_thread.run_sync(self.store.ratings, conversation_id)
        return [
            FeedbackSavedFrame(message_id=r.message_id, helpful=r.helpful, reason=r.reason)
            if isinstance(r, AnswerRating)
            else FeedbackSavedFrame(message_id=r.message_id, rating=r.rating)
            for r in found
        ]
