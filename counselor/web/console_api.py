"""The caseworker's side over HTTP (docs/protocol.md): login, logout, the queue, cases, and claim / send /
return / resolve. Every call needs a caseworker's token; nothing here is open to citizens. The console's
socket is in console_ws.py.

Logins are throttled per name and per address (counselor/throttle.py) before any password is hashed, and
argon2 runs in its own small pool, so a flood of logins neither guesses far nor slows the citizens' chat."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Annotated, TypeVar

import anyio
from fastapi import APIRouter, Depends, FastAPI, Header, HTTPException, Path, Request, Response
from pydantic import BaseModel, Field

from counselor.deps import Deps
from counselor.queue.cards import TicketCard
from counselor.queue.service import Case, QueueError
from counselor.store.accounts import Account, AccountError
from counselor.store.records import StoredMessage
from counselor.web.console_ws import MAX_TICKET_ID, register_console_socket

T = TypeVar("T")
TicketId = Annotated[int, Path(ge=1, le=MAX_TICKET_ID)]


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


STATUS = {"not_found": 404, "taken": 409, "not_yours": 409, "empty": 422}


def bearer(authorization: str | None) -> str:
    return (authorization or "").removeprefix("Bearer ").strip()


def register_console(app: FastAPI, deps: Deps) -> None:
    router = APIRouter(prefix="/api", tags=["caseworkers"])
    web = deps.settings.web
    hashing: list[anyio.CapacityLimiter] = []  # made on first use: a limiter belongs to the running loop

    async def account(authorization: Annotated[str | None, Header()] = None) -> Account:
        token = bearer(authorization)
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
    async def login(body: Login, request: Request) -> LoggedIn:
        address = request.client.host if request.client else "unknown"
        by_address = await deps.throttle.hit(web.login_per_address, "login-address", address)
        if not by_address or not await deps.throttle.hit(web.login_per_name, "login-name", body.name.casefold()):
            raise HTTPException(
                status_code=429, detail="too many login attempts; wait a minute", headers={"Retry-After": "60"}
            )
        if not hashing:
            hashing.append(anyio.CapacityLimiter(web.login_concurrency))
        try:
            who, token = await anyio.to_thread.run_sync(
                deps.store.accounts.login, body.name, body.password, limiter=hashing[0]
            )
        except AccountError as exc:
            raise HTTPException(status_code=401, detail=str(exc)) from exc
        return LoggedIn(token=token, name=who.name, role=who.role)

    @router.post("/counselor/logout", status_code=204)
    async def logout(authorization: Annotated[str | None, Header()] = None) -> Response:
        """Ends this session; the console sockets opened with it close within ``session_check_s``."""
        token = bearer(authorization)
        if token:
            await anyio.to_thread.run_sync(deps.store.accounts.logout, token)
        return Response(status_code=204)

    @router.get("/tickets")
    async def tickets(who: Account = who_is) -> list[TicketCard]:
        return await deps.counselors.visible(who)

    @router.get("/tickets/history")
    async def history(who: Account = who_is) -> list[TicketCard]:
        return await deps.counselors.history(who)

    @router.get("/tickets/{ticket_id}")
    async def case(ticket_id: TicketId, who: Account = who_is) -> Case:
        return await act(deps.counselors.case(who, ticket_id))

    @router.post("/tickets/{ticket_id}/claim")
    async def claim(ticket_id: TicketId, who: Account = who_is) -> TicketCard:
        return await act(deps.counselors.claim(who, ticket_id))

    @router.post("/tickets/{ticket_id}/messages")
    async def send(ticket_id: TicketId, body: Reply, who: Account = who_is) -> StoredMessage:
        return await act(deps.counselors.send(who, ticket_id, body.text))

    @router.post("/tickets/{ticket_id}/return")
    async def give_back(ticket_id: TicketId, who: Account = who_is) -> TicketCard:
        return await act(deps.counselors.return_to_bot(who, ticket_id))

    @router.post("/tickets/{ticket_id}/resolve")
    async def resolve(ticket_id: TicketId, body: Resolution, who: Account = who_is) -> TicketCard:
        return await act(deps.counselors.resolve(who, ticket_id, body.note, body.tags))

    app.include_router(router)
    register_console_socket(app, deps)
