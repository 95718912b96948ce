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
from typing import Annotated, Any, Literal

import anyio
from fastapi import FastAPI, WebSocket
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from counselor.casework import Outcome
from counselor.deps import Deps
from counselor.queue.bus import Event, Subscription
from counselor.queue.service import QueueError, case_topic
from counselor.store.accounts import Account
from counselor.store.ids import hash_token
from counselor.web.sockets import admit, offered_token

log = logging.getLogger(__name__)
CLOSE_UNAUTHORISED = 4401
MAX_TICKET_ID = 2**63 - 1  # the database's integer: a larger id is a bad frame, not an overflow


TicketId = Annotated[int, Field(ge=1, le=MAX_TICKET_ID)]


class _Action(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Action(_Action):
    """The actions that name at most a ticket."""

    type: Literal["open", "claim", "return", "ping"]
    ticket_id: TicketId | None = None


class SendAction(_Action):
    type: Literal["send"]
    ticket_id: TicketId
    text: str = Field(default="", max_length=4000)
    template: str | None = Field(default=None, max_length=40, description="the ready reply it started from")
    policies: list[str] = Field(default_factory=list, max_length=5, description="policy ids sent as links")


class NoteAction(_Action):
    type: Literal["note"]
    ticket_id: TicketId
    text: str = Field(max_length=4000)


class TransferAction(_Action):
    type: Literal["transfer"]
    ticket_id: TicketId
    to: str | None = Field(default=None, min_length=1, max_length=80, description="None: back to the queue")
    note: str = Field(default="", max_length=4000)


class ResolveAction(_Action):
    type: Literal["resolve"]
    ticket_id: TicketId
    note: str = Field(default="", max_length=4000)
    tags: list[str] = Field(default_factory=list, max_length=20)
    outcome: Outcome | None = None


AnyAction = Action | SendAction | NoteAction | TransferAction | ResolveAction
_ACTION: TypeAdapter[AnyAction] = TypeAdapter(Annotated[AnyAction, Field(discriminator="type")])


def _dump(frame: dict[str, Any]) -> str:
    return json.dumps(frame, ensure_ascii=False, default=str)


class ConsoleSocket:
    def __init__(self, ws: WebSocket, deps: Deps, token: str) -> None:
        self.ws, self.deps, self.token = ws, deps, token
        self.session = hash_token(token)  # what a logout's session_ended event names
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
        kind = event.get("type")
        if kind == "ticket":
            ticket_id = int(event["ticket"]["id"])
            return (
                event
                if await counselors.still_sees(who, ticket_id)
                else {"type": "ticket_removed", "ticket_id": ticket_id}
            )
        if kind in ("case_message", "case_note"):
            return event if await counselors.still_sees(who, int(event["ticket_id"])) else None
        if kind == "crisis_overdue":  # the supervisors' second alert
            return event if who.supervisor else None
        return None  # a kind this socket does not know is not forwarded

    async def forward(self, subscription: Subscription) -> None:
        while not self.closed:
            event = await subscription.get()
            if event.get("type") == "session_ended" and event.get("session") == self.session:
                await self.end()
                return
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
        if isinstance(action, SendAction):
            sent = await service.send(who, ticket_id, action.text, action.template, action.policies)
            return {"type": "sent", "ticket_id": ticket_id, "message": sent.model_dump(mode="json")}
        if isinstance(action, NoteAction):
            note = await service.note(who, ticket_id, action.text)
            # Its case_note event reaches every console watching the case, this one included.
            return {"type": "noted", "ticket_id": ticket_id, "note": note.model_dump(mode="json")}
        if isinstance(action, TransferAction):
            await service.transfer(who, ticket_id, action.to, action.note)
            if not await service.still_sees(who, ticket_id):  # handed on: no longer this caseworker's to read
                return {"type": "transferred", "ticket_id": ticket_id, "to": action.to}
        elif isinstance(action, ResolveAction):
            await service.resolve(who, ticket_id, action.note, action.tags, action.outcome)
        elif action.type == "claim":
            await service.claim(who, ticket_id)
        elif action.type == "return":
            await service.return_to_bot(who, ticket_id)
        case = await service.case(who, ticket_id, audit=action.type == "open")
    except QueueError as exc:
        return {"type": "error", "code": exc.code, "message": str(exc)}
    await subscription.add(case_topic(case.card.ticket.conversation_id))
    return {"type": "case", **case.model_dump(mode="json")}
