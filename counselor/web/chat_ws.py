"""``/ws/chat``: the citizen's websocket (docs/protocol.md).

A frame that cannot be used gets an ``error`` frame and the connection stays open; only a bad resume token
closes it. A client that vanishes mid-answer does not stop the turn: the answer is stored and replayed when
it reconnects offering the subprotocol ``token.<token>`` (never in the URL, which logs keep) with
``?after=<last message id>``.

A new socket writes nothing: its conversation is stored at the first message (or profile change), so opening
sockets costs the database nothing. Messages are limited per conversation and per client address
(counselor/throttle.py), so opening new conversations does not get round the limit, and at most
``COUNSELOR_WEB__TURNS_PER_ADDRESS`` of an address's turns run at once (counselor/web/fairness.py).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from dataclasses import dataclass

import anyio
from fastapi import FastAPI, WebSocket
from starlette.types import Message

from counselor.chat.frames import (
    CounselorMessageFrame,
    ErrorCode,
    ErrorFrame,
    FeedbackFrame,
    FrameError,
    HandoffFrame,
    MessageFrame,
    PingFrame,
    PongFrame,
    ProfileRequestFrame,
    SatisfactionFrame,
    ServerFrame,
    SessionFrame,
    parse_client_frame,
)
from counselor.chat.service import ack_frame, answer_from_stored
from counselor.deps import Deps
from counselor.errors import CounselorError
from counselor.queue.bus import Subscription
from counselor.queue.events import citizen_topic
from counselor.queue.service import handoff_frame
from counselor.store.ids import new_id
from counselor.store.payloads import Role
from counselor.store.records import StoredMessage
from counselor.store.tickets import TicketState
from counselor.web.fairness import TurnsPerAddress
from counselor.web.sockets import address, admit, offered_token

log = logging.getLogger(__name__)
CLOSE_BAD_TOKEN = 4401
CLOSE_TRY_LATER = 1013


@dataclass
class Conversation:
    """The socket's conversation; ``stored`` once its row exists (resumed, or after the first message)."""

    id: str
    token: str
    stored: bool
    region: tuple[str | None, str | None] = (None, None)


class Connection:
    """Sends frames while the client is there; afterwards drops them so the turn can still finish."""

    def __init__(self, ws: WebSocket) -> None:
        self.ws = ws
        self.open = True

    async def send(self, frame: ServerFrame) -> None:
        if not self.open:
            return
        try:
            await self.ws.send_text(frame.model_dump_json())
        except Exception:  # the client went away; what it missed is replayed on resume
            self.open = False

    async def error(self, code: ErrorCode, message: str) -> None:
        await self.send(ErrorFrame(code=code, message=message))


def replay_frame(message: StoredMessage) -> ServerFrame:
    if message.role == Role.CITIZEN:
        return ack_frame(message)
    if message.role in (Role.COUNSELOR, Role.EVENT):
        return handoff_frame(message)
    return answer_from_stored(message)


async def forward(subscription: Subscription, conn: Connection, replayed: set[str]) -> None:
    """A caseworker's frames to the citizen, live, for as long as the socket is open; those already replayed
    are not sent twice. Only the citizen's frames are published on its topic."""
    while conn.open:
        event = await subscription.get()
        if isinstance(event, CounselorMessageFrame | HandoffFrame) and event.message_id not in replayed:
            await conn.send(event)


def register_chat(app: FastAPI, deps: Deps) -> None:
    web = deps.settings.web
    turns = TurnsPerAddress(web.turns_per_address)

    @app.websocket("/ws/chat")
    async def chat(ws: WebSocket, after: str | None = None, region: str | None = None) -> None:
        token = offered_token(ws)
        if not await deps.throttle.hit(web.connect_per_address, "connect-address", address(ws)):
            # Refused in the handshake (HTTP 403): a flood of sockets costs no websocket at all.
            await ws.close(code=CLOSE_TRY_LATER)
            return
        if not await admit(ws, web.allowed_origins):
            return
        conn = Connection(ws)
        store = deps.store
        conversation = await open_session(deps, conn, token)
        if conversation is None:
            await ws.close(code=CLOSE_BAD_TOKEN)
            return
        region_error = None
        if region:
            try:
                place = deps.regions.parse(region)
                conversation.region = (place.sido, place.district)
                if conversation.stored:
                    await anyio.to_thread.run_sync(store.set_region, conversation.id, place.sido, place.district)
            except ValueError as exc:
                region_error = f"region: {exc}"
        async with deps.bus.subscribe(citizen_topic(conversation.id)) as subscription:
            # Subscribed before reading what was missed: a caseworker's message stored meanwhile is then in the
            # replay, the live events or both (sent once), never in neither.
            resumed = conversation.stored
            missed = await anyio.to_thread.run_sync(store.messages_after, conversation.id, after) if resumed else []
            last = await anyio.to_thread.run_sync(store.last_message_id, conversation.id) if resumed else None
            frame = SessionFrame(session_id=conversation.id, token=conversation.token, resumed=resumed)
            frame.last_message_id = last
            ticket = await anyio.to_thread.run_sync(store.tickets.open_for, conversation.id) if resumed else None
            if ticket is not None:
                frame.handoff = "claimed" if ticket[0].state == TicketState.CLAIMED else "waiting"
                frame.counselor, frame.queue_position = ticket[0].claimed_by, ticket[1]
            await conn.send(frame)
            if region_error:  # after the session frame: every socket's first frame is its session
                await conn.error(ErrorCode.BAD_FRAME, region_error)
            for message in missed:
                await conn.send(replay_frame(message))
            if resumed:
                for rating in await deps.feedback.ratings(conversation.id):
                    await conn.send(rating)
            live = asyncio.create_task(forward(subscription, conn, {m.id for m in missed}))
            try:
                while conn.open:
                    event = await ws.receive()
                    if event["type"] == "websocket.disconnect":
                        break
                    await receive_one(deps, conn, conversation, event, turns)
            finally:
                conn.open = False
                live.cancel()


async def open_session(deps: Deps, conn: Connection, token: str | None) -> Conversation | None:
    """The socket's conversation (not yet stored when new), or None for a token we do not know."""
    if token is None:
        return Conversation(id=new_id(), token=secrets.token_urlsafe(24), stored=False)
    found = await anyio.to_thread.run_sync(deps.store.find_by_token, token)
    if found is None:
        await conn.error(ErrorCode.BAD_TOKEN, "unknown session token; connect without one to start anew")
        return None
    return Conversation(id=found, token=token, stored=True)


async def _store(deps: Deps, conversation: Conversation) -> None:
    if not conversation.stored:
        await anyio.to_thread.run_sync(
            lambda: deps.store.open_conversation(
                conversation_id=conversation.id, token=conversation.token, region=conversation.region
            )
        )
        conversation.stored = True


async def receive_one(
    deps: Deps, conn: Connection, conversation: Conversation, event: Message, turns: TurnsPerAddress
) -> None:
    text = event.get("text")
    if text is None:
        await conn.error(ErrorCode.BAD_FRAME, "binary frames are not accepted: send JSON text frames")
        return
    limit = deps.settings.chat.max_message_chars
    # A message frame of `limit` characters, each escaped to \uXXXX at worst, and its keys; uvicorn refuses
    # frames over web.max_frame_bytes before they reach here.
    if len(text) > min(limit * 6 + 1024, deps.settings.web.max_frame_bytes):
        await conn.error(ErrorCode.TOO_LONG, f"a message may have at most {limit} characters")
        return
    try:
        frame = parse_client_frame(text, limit)
        if isinstance(frame, PingFrame):
            await conn.send(PongFrame())
            return
        if isinstance(frame, FeedbackFrame | SatisfactionFrame):
            if not conversation.stored:
                raise FrameError(ErrorCode.BAD_FRAME, "message_id: nothing to rate yet")
            await conn.send(await deps.feedback.rate(conversation.id, frame))
            return
        if isinstance(frame, ProfileRequestFrame):
            if frame.action in ("set", "remove"):
                await _store(deps, conversation)
            await conn.send(await deps.chat.profile_request(conversation.id, frame))
            return
        await _message(deps, conn, conversation, frame, turns)
    except FrameError as exc:
        await conn.error(exc.code, exc.message)
    except CounselorError as exc:
        log.error("chat not ready: %s", exc)
        await conn.error(ErrorCode.NOT_READY, "the service is starting or its index is missing; try again shortly")
    except Exception:
        log.exception("chat turn failed")
        await conn.error(
            ErrorCode.INTERNAL, "something went wrong on our side; your message was not lost if acknowledged"
        )


async def _message(
    deps: Deps, conn: Connection, conversation: Conversation, frame: MessageFrame, turns: TurnsPerAddress
) -> None:
    if not frame.text.strip():
        raise FrameError(ErrorCode.EMPTY, "the message is empty")
    rule = deps.settings.web.messages_per_address
    if not await deps.throttle.hit(rule, "chat-address", address(conn.ws)):
        raise FrameError(ErrorCode.RATE_LIMITED, f"at most {rule} messages from one address")
    await _store(deps, conversation)
    async with turns.turn(address(conn.ws)):
        await deps.chat.handle(conversation.id, frame, conn.send)
