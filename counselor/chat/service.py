"""The conversation service: store what the citizen says, run the turn, store and return the answer.

Order matters for durability: the citizen's (masked) message is committed before it is acknowledged, and
the answer, its audit record and any ticket commit together before the answer frame is sent. A retry with
the same ``client_id`` gets the stored answer again instead of a second turn.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from typing import TypeVar

import anyio

from counselor.chat.context import PriorTurn, TurnContext
from counselor.chat.frames import (
    AckFrame,
    AnswerFrame,
    ErrorCode,
    FrameError,
    MessageFrame,
    ProfileFrame,
    ProfileRequestFrame,
    TokenFrame,
)
from counselor.chat.pipeline import Pipeline
from counselor.chat.profile_service import ProfileService, load_profile
from counselor.chat.publisher import QueuePublisher
from counselor.chat.rate_limit import MessageRateLimiter
from counselor.chat.safety.pii import mask_identifiers
from counselor.chat.statuses import ESCALATING, Priority, TurnStatus
from counselor.chat.turn_records import ticket_draft, turn_record
from counselor.language import detect_language
from counselor.prompts import Prompt
from counselor.queue.bus import EventBus
from counselor.queue.hours import OfficeHours
from counselor.settings import ChatSettings, QueueSettings
from counselor.store.conversations import ConversationStore
from counselor.store.ids import new_id
from counselor.store.payloads import AnswerPayload, CitizenPayload, Role
from counselor.store.records import StoredMessage, TurnState
from counselor.store.tables import utcnow
from counselor.store.tickets import TicketState, TicketView
from counselor.throttle import Throttle

T = TypeVar("T")
Send = Callable[[AckFrame | TokenFrame | AnswerFrame | ProfileFrame], Awaitable[None]]


def answer_from_stored(message: StoredMessage) -> AnswerFrame:
    """The answer frame a bot or system message was sent as."""
    if isinstance(message.payload, AnswerPayload) and message.payload.frame is not None:
        return message.payload.frame
    raise ValueError(f"message {message.id} holds no answer frame")


def ack_frame(message: StoredMessage, duplicate: bool = False) -> AckFrame:
    """The acknowledgement of a citizen's stored message (sent, and replayed on resume)."""
    masked = message.payload.masked if isinstance(message.payload, CitizenPayload) else []
    return AckFrame(
        message_id=message.id, client_id=message.client_id, text=message.text, masked=list(masked), duplicate=duplicate
    )


class ChatService:
    """One citizen message, start to finish. What is not the turn itself is its own part: the per-conversation
    limit (``limiter``), the profile the citizen sees and corrects (``profiles``), and what caseworkers are told
    through the bus (``publisher``)."""

    def __init__(
        self,
        store: ConversationStore,
        pipeline: Pipeline,
        replies: Prompt,
        settings: ChatSettings,
        bus: EventBus | None = None,
        queue: QueueSettings | None = None,
        throttle: Throttle | None = None,
    ) -> None:
        self.store = store
        self.pipeline = pipeline
        self.replies = replies
        self.settings = settings
        self.queue = queue or QueueSettings()
        self.hours = OfficeHours(self.queue)
        self.limiter = MessageRateLimiter(settings, throttle)
        self.profiles = ProfileService(store)
        self.publisher = QueuePublisher(bus, self.queue)

    async def _db(self, fn: Callable[..., T], *args: object) -> T:
        return await anyio.to_thread.run_sync(fn, *args)

    async def check(self, conversation_id: str, frame: MessageFrame) -> str:
        """The message's text, or a FrameError; its length was checked when the frame was parsed."""
        text = frame.text.strip()
        if not text:
            raise FrameError(ErrorCode.EMPTY, "the message is empty")
        await self.limiter.admit(conversation_id)
        return text

    async def handle(self, conversation_id: str, frame: MessageFrame, send: Send) -> AnswerFrame | None:
        """One citizen message, start to finish. Raises :class:`FrameError` before storing anything."""
        text = await self.check(conversation_id, frame)
        masked = mask_identifiers(text, before=await self._db(self.store.last_citizen_text, conversation_id))
        client_id = _safe_client_id(frame.client_id)
        payload = CitizenPayload(masked=masked.kinds)
        stored, duplicate = await self._db(
            lambda: self.store.add_message(
                conversation_id, Role.CITIZEN, masked.text, client_id=client_id, payload=payload
            )
        )
        await send(ack_frame(stored, duplicate))
        if duplicate:
            earlier = await self._db(self.store.reply_to, conversation_id, stored.id)
            if earlier is not None:
                answer = answer_from_stored(earlier)
                await send(answer)
                return answer
        state = await self._db(self.store.turn_state, conversation_id, stored.id, 4 * self.settings.history_turns)
        if state.ticket is not None:
            await self.publisher.case_message(state.ticket.id, stored)
            return await self._while_handed_over(conversation_id, stored, state.ticket.state, state.position, send)
        answer, opened = await self._turn(conversation_id, stored, state, send)
        if answer.status in ESCALATING and opened is not None:
            await self.publisher.ticket_opened(opened[0])
        return answer

    async def _while_handed_over(
        self, conversation_id: str, question: StoredMessage, state: TicketState, position: int | None, send: Send
    ) -> AnswerFrame | None:
        """A caseworker has the chat (or will): the bot stays silent, saying only that the message waits."""
        if state != TicketState.WAITING:
            return None
        language = detect_language(question.text)
        queue = self.replies.text("queue_position", language, position=position) if position else ""
        frame = AnswerFrame(
            message_id=new_id(),
            reply_to=question.id,
            status=TurnStatus.ESCALATED,
            text=self.replies.text("waiting", language, queue=queue).strip(),
            confidence=1.0,
            queue_position=position,
            language=language,
        )
        await self._db(
            lambda: self.store.add_message(
                conversation_id,
                Role.SYSTEM,
                frame.text,
                message_id=frame.message_id,
                reply_to=question.id,
                payload=AnswerPayload(role=Role.SYSTEM, frame=frame),
            )
        )
        await send(frame)
        return frame

    async def _turn(
        self, conversation_id: str, question: StoredMessage, state: TurnState, send: Send
    ) -> tuple[AnswerFrame, tuple[TicketView, int | None] | None]:
        """Run the pipeline on a stored question; store and send its answer."""
        history = self._history(state.recent)
        sido, district = state.sido, state.district
        message_id = new_id()

        async def emit(text: str) -> None:
            await send(TokenFrame(message_id=message_id, text=text))

        ctx = TurnContext(
            question=question.text,
            conversation_id=conversation_id,
            message_id=message_id,
            reply_to=question.id,
            history=history,
            sido=sido,
            district=district,
            masked_kinds=list(question.payload.masked) if isinstance(question.payload, CitizenPayload) else [],
            emit=emit,
            profile=load_profile(state.profile),
        )
        await self.pipeline.run(ctx)
        frame, opened = await self._db(self._finish, conversation_id, ctx, (sido, district))
        await send(frame)
        if ctx.profile_changed:
            await send(ProfileFrame(facts=ctx.profile.known()))
        return frame, opened

    async def profile_request(self, conversation_id: str, frame: ProfileRequestFrame) -> ProfileFrame:
        """The citizen sees, corrects or erases what the service keeps about them."""
        return await self.profiles.request(conversation_id, frame)

    def _finish(
        self, conversation_id: str, ctx: TurnContext, region: tuple[str | None, str | None]
    ) -> tuple[AnswerFrame, tuple[TicketView, int | None] | None]:
        profile = ctx.profile.model_dump(mode="json") if ctx.profile_changed else None
        moved = (ctx.sido, ctx.district) if (ctx.sido, ctx.district) != region and ctx.sido else None
        ticket = ticket_draft(ctx)
        turn = turn_record(ctx)

        def answer(position: int | None) -> StoredMessage:
            if position:
                ctx.answer += "\n\n" + self.replies.text("queue_position", ctx.language, position=position)
            if ticket is not None and not self.hours.is_open(utcnow()):
                if ticket.priority == Priority.CRISIS:
                    # Someone in danger is never told to wait for the morning: the lines above are 24 hours.
                    ctx.answer += "\n\n" + self.replies.text("office_closed_urgent", ctx.language)
                else:
                    opens = self.hours.next_open(utcnow())
                    closed = self.replies.text("office_closed", ctx.language, opens=f"{opens:%Y-%m-%d %H:%M}")
                    ctx.answer += "\n\n" + closed
            frame = ctx.frame(queue_position=position)
            return StoredMessage(
                id=frame.message_id,
                seq=0,
                conversation_id=conversation_id,
                role=Role.BOT,
                text=frame.text,
                reply_to=ctx.reply_to,
                payload=AnswerPayload(frame=frame),
                created_at=utcnow(),
            )

        stored, opened = self.store.finish_turn(conversation_id, answer, turn, ticket, profile, moved)
        return answer_from_stored(stored), opened

    def _history(self, messages: list[StoredMessage]) -> list[PriorTurn]:
        turns: list[PriorTurn] = []
        question = None
        for m in messages:
            if m.role == Role.CITIZEN:
                question = m.text
            elif m.role == Role.BOT and question is not None:
                frame = m.payload.frame if isinstance(m.payload, AnswerPayload) else None
                titles = [c.title for c in frame.citations] if frame else []
                turns.append(
                    PriorTurn(
                        question=question, answer=m.text, policy_titles=titles, status=frame.status if frame else None
                    )
                )
                question = None
        return turns[-max(self.settings.history_turns, 1) :]


def _safe_client_id(client_id: str | None) -> str | None:
    """A client_id is stored and echoed; one holding an identifier is kept as its hash instead (still unique
    per conversation, so a retry is still recognised)."""
    if client_id is None or not mask_identifiers(client_id).changed:
        return client_id
    return "h-" + hashlib.sha256(client_id.encode()).hexdigest()[:40]
