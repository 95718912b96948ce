"""``/ws/counselor``: the caseworker's console socket (docs/protocol.md).

Every event is checked when it is delivered, by the rule the HTTP API uses (``may_see``): a console that
opened a case another caseworker has since claimed gets nothing more of it. The session is checked again
before each action, before each delivery and every ``session_check_s`` while idle; once it has expired, been
logged out or its account disabled, the socket closes with 4401.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any, Literal

import anyio
from fastapi import FastAPI, WebSocket
from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from counselor.deps import Deps
from counselor.queue.bus import Event, Subscription
from counselor.queue.service import QueueError, case_topic
from counselor.store.accounts import Account
from counselor.web.sockets import admit, offered_token

log = logging.getLogger(__name__)
CLOSE_UNAUTHORISED = 4401
MAX_TICKET_ID = 2**63 - 1  # the database's integer: a larger id is a bad frame, not an overflow


class Action(BaseModel):
    model_config = {"extra": "forbid"}

    type: Literal["open", "claim", "send", "return", "resolve", "ping"]
    ticket_id: int | None = Field(default=None, ge=1, le=MAX_TICKET_ID)
    text: str | None = Field(default=None, max_length=4000)
    note: str = Field(default="", max_length=4000)
    tags: list[str] = Field(default_factory=list, max_length=20)


_ACTION = TypeAdapter(Action)


def _dump(frame: dict[str, Any]) -> str:
    return json.dumps(frame, ensure_ascii=False, default=str)


class ConsoleSocket:
    def __init__(self, ws: WebSocket, deps: Deps, token: str) -> None:
        self.ws, self.deps, self.token = ws, deps, token
        self.closed = False

    async def current(self) -> Account | None:
        return await anyio.to_thread.run_sync(self.deps.store.accounts.who, self.token)

    async def send(self, frame: dict[str, Any]) -> None:
        if self.closed:
            return
        try:
            await self.ws.send_text(_dump(frame))
        except Exception:  # the console went away
            self.closed = True

    async def end(self) -> None:
        """The session is over: say so and close; the console logs in again."""
        await self.send({"type": "error", "code": "unauthorised", "message": "your session has ended; log in again"})
        if not self.closed:
            self.closed = True
            try:
                await self.ws.close(code=CLOSE_UNAUTHORISED)
            except Exception:
                log.debug("console closed before its session ended")

    async def deliverable(self, who: Account, event: Event) -> Event | None:
        """What of ``event`` this console may see now; None for nothing."""
        counselors = self.deps.counselors
        if event.get("type") == "ticket":
            ticket_id = int(event["ticket"]["id"])
            return (
                event
                if await counselors.still_sees(who, ticket_id)
                else {"type": "ticket_removed", "ticket_id": ticket_id}
            )
        if event.get("type") == "case_message":
            return event if await counselors.still_sees(who, int(event["ticket_id"])) else None
        return None  # a kind this socket does not know is not forwarded

    async def forward(self, subscription: Subscription) -> None:
        while not self.closed:
            event = await subscription.get()
            who = await self.current()
            if who is None:
                await self.end()
                return
            frame = await self.deliverable(who, event)
            if frame is not None:
                await self.send(frame)

    async def watch(self, every_s: float) -> None:
        while not self.closed:
            await asyncio.sleep(every_s)
            if await self.current() is None:
                await self.end()


def register_console_socket(app: FastAPI, deps: Deps) -> None:
    settings = deps.settings

    @app.websocket("/ws/counselor")
    async def console(ws: WebSocket) -> None:
        token = offered_token(ws)
        if not await admit(ws, settings.web.allowed_origins):
            return
        sock = ConsoleSocket(ws, deps, token or "")
        who = await sock.current() if token else None
        if who is None:
            await sock.send({"type": "error", "code": "unauthorised", "message": "log in first"})
            await ws.close(code=CLOSE_UNAUTHORISED)
            return
        async with deps.bus.subscribe("queue") as subscription:
            cards = await deps.counselors.visible(who)
            await sock.send({"type": "queue", "tickets": [c.model_dump(mode="json") for c in cards]})
            tasks = [
                asyncio.create_task(sock.forward(subscription)),
                asyncio.create_task(sock.watch(settings.queue.session_check_s)),
            ]
            try:
                while not sock.closed:
                    event = await ws.receive()
                    if event["type"] == "websocket.disconnect":
                        break
                    who = await sock.current()
                    if who is None:
                        await sock.end()
                        break
                    await sock.send(await _handle(deps, who, subscription, event.get("text")))
            finally:
                sock.closed = True
                for task in tasks:
                    task.cancel()


async def _handle(deps: Deps, who: Account, subscription: Subscription, raw: str | None) -> dict[str, Any]:
    try:
        action = _ACTION.validate_python(json.loads(raw or ""))
    except (ValueError, ValidationError) as exc:  # ValueError: bad JSON, or an integer too long to read
        return {"type": "error", "code": "bad_frame", "message": str(exc).splitlines()[0]}
    if action.type == "ping":
        return {"type": "pong"}
    if action.ticket_id is None:
        return {"type": "error", "code": "bad_frame", "message": "ticket_id is required"}
    service, ticket_id = deps.counselors, action.ticket_id
    try:
        if action.type == "send":
            sent = await service.send(who, ticket_id, action.text or "")
            return {"type": "sent", "ticket_id": ticket_id, "message": sent.model_dump(mode="json")}
        if action.type == "claim":
            await service.claim(who, ticket_id)
        elif action.type == "return":
            await service.return_to_bot(who, ticket_id)
        elif action.type == "resolve":
            await service.resolve(who, ticket_id, action.note, action.tags)
        case = await service.case(who, ticket_id)
    except QueueError as exc:
        return {"type": "error", "code": exc.code, "message": str(exc)}
    await subscription.add(case_topic(case.card.ticket.conversation_id))
    return {"type": "case", **case.model_dump(mode="json")}
