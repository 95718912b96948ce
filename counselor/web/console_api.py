"""The caseworker's side over HTTP and ``/ws/counselor`` (docs/protocol.md): login, the queue, cases, and
claim / send / return / resolve. Every call needs a caseworker's token; nothing here is open to citizens."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable
from typing import Annotated, Any, Literal, TypeVar

import anyio
from fastapi import APIRouter, Depends, FastAPI, Header, HTTPException, WebSocket
from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from counselor.deps import Deps
from counselor.queue.bus import Subscription
from counselor.queue.cards import TicketCard
from counselor.queue.service import Case, QueueError, case_topic
from counselor.store.accounts import Account, AccountError
from counselor.store.records import StoredMessage

CLOSE_UNAUTHORISED = 4401
T = TypeVar("T")


class Login(BaseModel):
    name: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=200)


class LoggedIn(BaseModel):
    token: str
    name: str
    role: str


class Reply(BaseModel):
    text: str = Field(min_length=1, max_length=4000)


class Resolution(BaseModel):
    note: str = Field(default="", max_length=4000)
    tags: list[str] = Field(default_factory=list, max_length=20)


class Action(BaseModel):
    model_config = {"extra": "forbid"}

    type: Literal["open", "claim", "send", "return", "resolve", "ping"]
    ticket_id: int | None = None
    text: str | None = Field(default=None, max_length=4000)
    note: str = Field(default="", max_length=4000)
    tags: list[str] = Field(default_factory=list, max_length=20)


_ACTION = TypeAdapter(Action)
STATUS = {"not_found": 404, "taken": 409, "not_yours": 409, "empty": 422}


def register_console(app: FastAPI, deps: Deps) -> None:
    router = APIRouter(prefix="/api", tags=["caseworkers"])

    async def account(authorization: Annotated[str | None, Header()] = None) -> Account:
        token = (authorization or "").removeprefix("Bearer ").strip()
        who = await anyio.to_thread.run_sync(deps.store.accounts.who, token) if token else None
        if who is None:
            raise HTTPException(status_code=401, detail="log in first", headers={"WWW-Authenticate": "Bearer"})
        return who

    who_is = Depends(account)

    async def act(coro: Awaitable[T]) -> T:
        try:
            return await coro
        except QueueError as exc:
            raise HTTPException(status_code=STATUS.get(exc.code, 400), detail=str(exc)) from exc

    @router.post("/counselor/login")
    async def login(body: Login) -> LoggedIn:
        try:
            who, token = await anyio.to_thread.run_sync(deps.store.accounts.login, body.name, body.password)
        except AccountError as exc:
            raise HTTPException(status_code=401, detail=str(exc)) from exc
        return LoggedIn(token=token, name=who.name, role=who.role)

    @router.get("/tickets")
    async def tickets(who: Account = who_is) -> list[TicketCard]:
        return await deps.counselors.visible(who)

    @router.get("/tickets/history")
    async def history(who: Account = who_is) -> list[TicketCard]:
        return await deps.counselors.history(who)

    @router.get("/tickets/{ticket_id}")
    async def case(ticket_id: int, who: Account = who_is) -> Case:
        return await act(deps.counselors.case(who, ticket_id))

    @router.post("/tickets/{ticket_id}/claim")
    async def claim(ticket_id: int, who: Account = who_is) -> TicketCard:
        return await act(deps.counselors.claim(who, ticket_id))

    @router.post("/tickets/{ticket_id}/messages")
    async def send(ticket_id: int, body: Reply, who: Account = who_is) -> StoredMessage:
        return await act(deps.counselors.send(who, ticket_id, body.text))

    @router.post("/tickets/{ticket_id}/return")
    async def give_back(ticket_id: int, who: Account = who_is) -> TicketCard:
        return await act(deps.counselors.return_to_bot(who, ticket_id))

    @router.post("/tickets/{ticket_id}/resolve")
    async def resolve(ticket_id: int, body: Resolution, who: Account = who_is) -> TicketCard:
        return await act(deps.counselors.resolve(who, ticket_id, body.note, body.tags))

    app.include_router(router)

    @app.websocket("/ws/counselor")
    async def console(ws: WebSocket, token: str | None = None) -> None:
        await ws.accept()
        who = await anyio.to_thread.run_sync(deps.store.accounts.who, token) if token else None
        if who is None:
            await ws.send_text(json.dumps({"type": "error", "code": "unauthorised", "message": "log in first"}))
            await ws.close(code=CLOSE_UNAUTHORISED)
            return
        async with deps.bus.subscribe("queue") as subscription:
            cards = await deps.counselors.visible(who)
            await ws.send_text(_dump({"type": "queue", "tickets": [c.model_dump(mode="json") for c in cards]}))
            live = asyncio.create_task(_forward(ws, subscription, who))
            try:
                while True:
                    event = await ws.receive()
                    if event["type"] == "websocket.disconnect":
                        break
                    reply = await _handle(deps, who, subscription, event.get("text"))
                    await ws.send_text(_dump(reply))
            finally:
                live.cancel()


def _dump(frame: dict[str, Any]) -> str:
    return json.dumps(frame, ensure_ascii=False, default=str)


def _visible(who: Account, event: dict[str, Any]) -> bool:
    ticket = event.get("ticket") or {}
    return who.supervisor or ticket.get("state") == "waiting" or ticket.get("claimed_by") == who.name


async def _forward(ws: WebSocket, subscription: Subscription, who: Account) -> None:
    while True:
        event = await subscription.get()
        if event.get("type") == "ticket" and not _visible(who, event):
            event = {"type": "ticket_removed", "ticket_id": event["ticket"]["id"]}
        await ws.send_text(_dump(event))


async def _handle(deps: Deps, who: Account, subscription: Subscription, raw: str | None) -> dict[str, Any]:
    try:
        action = _ACTION.validate_python(json.loads(raw or ""))
    except (json.JSONDecodeError, ValidationError) as exc:
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
