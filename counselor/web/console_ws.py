"""``/ws/counselor``: the caseworker's console socket (docs/protocol.md).

Every event is checked when it is delivered, by the rule the HTTP API uses (``may_see``): a console that
opened a case another caseworker has since claimed gets nothing more of it. The session is checked again
before each action, before each delivery and every ``session_check_s`` while idle; once it has expired, been
logged out or its account disabled, the socket closes with 4401.
"""

from __future__ import annotations

import asyncio
import logging

import anyio
from fastapi import FastAPI, WebSocket

from counselor.chat.frames import FrameError, PongFrame
from counselor.deps import Deps
from counselor.queue.bus import Subscription
from counselor.queue.events import (
    QUEUE_TOPIC,
    AnyBusEvent,
    CaseMessageEvent,
    CaseNoteEvent,
    CrisisOverdueEvent,
    SessionEndedEvent,
    TicketEvent,
    case_topic,
)
from counselor.queue.service import QueueError
from counselor.store.accounts import Account
from counselor.store.ids import hash_token
from counselor.web.console_frames import (
    CaseFrame,
    ConsoleError,
    ConsoleErrorFrame,
    ConsoleServerFrame,
    NoteAction,
    NotedFrame,
    PingAction,
    QueueFrame,
    ResolveAction,
    SendAction,
    SentFrame,
    TicketRemovedFrame,
    TransferAction,
    TransferredFrame,
    parse_console_frame,
)
from counselor.web.sockets import admit, offered_token

log = logging.getLogger(__name__)
CLOSE_UNAUTHORISED = 4401


class ConsoleSocket:
    def __init__(self, ws: WebSocket, deps: Deps, token: str) -> None:
        self.ws, self.deps, self.token = ws, deps, token
        self.session = hash_token(token)  # what a logout's session_ended event names
        self.closed = False

    async def current(self) -> Account | None:
        return await anyio.to_thread.run_sync(self.deps.store.accounts.who, self.token)

    async def send(self, frame: ConsoleServerFrame) -> None:
        if self.closed:
            return
        try:
            await self.ws.send_text(frame.model_dump_json())
        except Exception:  # the console went away
            self.closed = True

    async def end(self) -> None:
        """The session is over: say so and close; the console logs in again."""
        await self.send(
            ConsoleErrorFrame(code=ConsoleError.UNAUTHORISED, message="your session has ended; log in again")
        )
        if not self.closed:
            self.closed = True
            try:
                await self.ws.close(code=CLOSE_UNAUTHORISED)
            except Exception:
                log.debug("console closed before its session ended")

    async def deliverable(self, who: Account, event: AnyBusEvent) -> ConsoleServerFrame | None:
        """What of ``event`` this console may see now; None for nothing."""
        counselors = self.deps.counselors
        if isinstance(event, TicketEvent):
            ticket_id = event.ticket.id
            return event if await counselors.still_sees(who, ticket_id) else TicketRemovedFrame(ticket_id=ticket_id)
        if isinstance(event, CaseMessageEvent | CaseNoteEvent):
            return event if await counselors.still_sees(who, event.ticket_id) else None
        if isinstance(event, CrisisOverdueEvent):  # the supervisors' second alert
            return event if who.supervisor else None
        return None  # the citizen's frames and session ends are not a console's to show

    async def forward(self, subscription: Subscription) -> None:
        while not self.closed:
            event = await subscription.get()
            if isinstance(event, SessionEndedEvent) and event.session == self.session:
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
            await sock.send(ConsoleErrorFrame(code=ConsoleError.UNAUTHORISED, message="log in first"))
            await ws.close(code=CLOSE_UNAUTHORISED)
            return
        async with deps.bus.subscribe(QUEUE_TOPIC) as subscription:
            await sock.send(QueueFrame(tickets=await deps.counselors.visible(who)))
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


async def _handle(deps: Deps, who: Account, subscription: Subscription, raw: str | None) -> ConsoleServerFrame:
    try:
        action = parse_console_frame(raw)
    except FrameError as exc:
        return ConsoleErrorFrame(code=ConsoleError.BAD_FRAME, message=exc.message)
    if isinstance(action, PingAction):
        return PongFrame()
    service, ticket_id = deps.counselors, action.ticket_id
    try:
        if isinstance(action, SendAction):
            sent = await service.send(who, ticket_id, action.text, action.template, action.policies)
            return SentFrame(ticket_id=ticket_id, message=sent)
        if isinstance(action, NoteAction):
            note = await service.note(who, ticket_id, action.text)
            # Its case_note event reaches every console watching the case, this one included.
            return NotedFrame(ticket_id=ticket_id, note=note)
        if isinstance(action, TransferAction):
            await service.transfer(who, ticket_id, action.to, action.note)
            if not await service.still_sees(who, ticket_id):  # handed on: no longer this caseworker's to read
                return TransferredFrame(ticket_id=ticket_id, to=action.to)
        elif isinstance(action, ResolveAction):
            await service.resolve(who, ticket_id, action.note, action.tags, action.outcome)
        elif action.type == "claim":
            await service.claim(who, ticket_id)
        elif action.type == "return":
            await service.return_to_bot(who, ticket_id)
        case = await service.case(who, ticket_id, audit=action.type == "open")
    except QueueError as exc:
        return ConsoleErrorFrame(code=exc.code, message=str(exc))
    await subscription.add(case_topic(case.card.ticket.conversation_id))
    return CaseFrame(**dict(case))
