"""``/ws/chat``: the citizen's websocket (docs/protocol.md).

A frame that cannot be used gets an ``error`` frame and the connection stays open; only a bad resume token
closes it. A client that vanishes mid-answer does not stop the turn: the answer is stored and replayed when
it reconnects with ``?token=...&after=<last message id>``.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import anyio
from fastapi import FastAPI, WebSocket
from pydantic import BaseModel

from counselor.chat.frames import (
    AckFrame,
    ErrorCode,
    ErrorFrame,
    FrameError,
    PingFrame,
    PongFrame,
    ProfileRequestFrame,
    SessionFrame,
    parse_client_frame,
)
from counselor.chat.service import answer_from_stored
from counselor.deps import Deps
from counselor.errors import CounselorError
from counselor.queue.bus import Subscription
from counselor.queue.service import citizen_topic, handoff_frame
from counselor.store.records import StoredMessage

log = logging.getLogger(__name__)
CLOSE_BAD_TOKEN = 4401


class Connection:
    """Sends frames while the client is there; afterwards drops them so the turn can still finish."""

    def __init__(self, ws: WebSocket) -> None:
        self.ws = ws
        self.open = True

    async def send(self, frame: BaseModel) -> None:
        if not self.open:
            return
        try:
            await self.ws.send_text(frame.model_dump_json())
        except Exception:  # the client went away; what it missed is replayed on resume
            self.open = False

    async def error(self, code: ErrorCode, message: str) -> None:
        await self.send(ErrorFrame(code=code, message=message))


def replay_frame(message: StoredMessage) -> BaseModel:
    if message.role == "citizen":
        return AckFrame(
            message_id=message.id,
            client_id=message.client_id,
            text=message.text,
            masked=list(message.payload.get("masked", [])),
        )
    if message.role in ("counselor", "event"):
        return handoff_frame(message)
    return answer_from_stored(message)


async def forward(subscription: Subscription, conn: Connection, replayed: set[str]) -> None:
    """A caseworker's frames to the citizen, live, for as long as the socket is open; those already replayed
    are not sent twice."""
    while conn.open:
        event = await subscription.get()
        if conn.open and event.get("message_id") not in replayed:
            try:
                await conn.ws.send_text(json.dumps(event, ensure_ascii=False))
            except Exception:
                conn.open = False


def register_chat(app: FastAPI, deps: Deps) -> None:
    settings = deps.settings
    raw_limit = settings.chat.max_message_chars * 4 + 1024  # JSON escapes can quadruple Korean text

    @app.websocket("/ws/chat")
    async def chat(
        ws: WebSocket, token: str | None = None, after: str | None = None, region: str | None = None
    ) -> None:
        await ws.accept()
        conn = Connection(ws)
        store = deps.store
        session = await open_session(deps, conn, token)
        if session is None:
            await ws.close(code=CLOSE_BAD_TOKEN)
            return
        conversation_id, token, resumed = session
        if region:
            try:
                place = deps.regions.parse(region)
                await anyio.to_thread.run_sync(store.set_region, conversation_id, place.sido, place.district)
            except ValueError as exc:
                await conn.error(ErrorCode.BAD_FRAME, f"region: {exc}")
        async with deps.bus.subscribe(citizen_topic(conversation_id)) as subscription:
            # Subscribed before reading what was missed: a caseworker's message stored meanwhile is then in the
            # replay, the live events or both (sent once), never in neither.
            missed = await anyio.to_thread.run_sync(store.messages_after, conversation_id, after) if resumed else []
            last = await anyio.to_thread.run_sync(store.last_message_id, conversation_id)
            frame = SessionFrame(session_id=conversation_id, token=token, resumed=resumed, last_message_id=last)
            ticket = await anyio.to_thread.run_sync(store.tickets.open_for, conversation_id)
            if ticket is not None:
                frame.handoff = "claimed" if ticket[0].state == "claimed" else "waiting"
                frame.counselor, frame.queue_position = ticket[0].claimed_by, ticket[1]
            await conn.send(frame)
            for message in missed:
                await conn.send(replay_frame(message))
            live = asyncio.create_task(forward(subscription, conn, {m.id for m in missed}))
            try:
                while conn.open:
                    event = dict(await ws.receive())
                    if event["type"] == "websocket.disconnect":
                        break
                    await receive_one(deps, conn, conversation_id, event, raw_limit)
            finally:
                conn.open = False
                live.cancel()


async def open_session(deps: Deps, conn: Connection, token: str | None) -> tuple[str, str, bool] | None:
    """(conversation id, token, resumed), or None for a token we do not know."""
    if token is None:
        conversation_id, new_token = await anyio.to_thread.run_sync(deps.store.open_conversation)
        return conversation_id, new_token, False
    found = await anyio.to_thread.run_sync(deps.store.find_by_token, token)
    if found is None:
        await conn.error(ErrorCode.BAD_TOKEN, "unknown session token; connect without one to start anew")
        return None
    return found, token, True


async def receive_one(deps: Deps, conn: Connection, conversation_id: str, event: dict[str, Any], limit: int) -> None:
    text = event.get("text")
    if text is None:
        await conn.error(ErrorCode.BAD_FRAME, "binary frames are not accepted: send JSON text frames")
        return
    if len(text) > limit:
        await conn.error(
            ErrorCode.TOO_LONG, f"a message may have at most {deps.settings.chat.max_message_chars} characters"
        )
        return
    try:
        frame = parse_client_frame(text)
        if isinstance(frame, PingFrame):
            await conn.send(PongFrame())
            return
        if isinstance(frame, ProfileRequestFrame):
            await conn.send(await deps.chat.profile_request(conversation_id, frame))
            return
        await deps.chat.handle(conversation_id, frame, conn.send)
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
