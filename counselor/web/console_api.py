"""The caseworker's side over HTTP (docs/protocol.md): login, logout, the queue, cases, and claim / send /
return / resolve. Every call needs a caseworker's token; nothing here is open to citizens. The console's
socket is in console_ws.py.

Logins are throttled per name and per address (counselor/throttle.py) before any password is hashed, and
argon2 runs in its own small pool of low-priority threads (counselor/web/background.py), so a flood of
logins neither guesses far nor slows the citizens' chat."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Annotated, TypeVar

import anyio
from fastapi import APIRouter, Depends, FastAPI, Header, HTTPException, Path, Request, Response
from pydantic import BaseModel, Field

from counselor.casework import KIND_LABELS, OUTCOME_LABELS, AuditAction, Outcome, TicketKind
from counselor.deps import Deps
from counselor.queue.brief import FACT_LABELS
from counselor.queue.cards import TicketCard
from counselor.queue.events import QUEUE_TOPIC, SessionEndedEvent
from counselor.queue.ready_replies import RenderedReply
from counselor.queue.service import Case, Colleague, QueueError, Refusal
from counselor.store.accounts import Account, AccountError
from counselor.store.audit import AuditDraft
from counselor.store.ids import hash_token
from counselor.store.notes import NoteView
from counselor.store.records import StoredMessage
from counselor.web.background import BackgroundPool, Busy
from counselor.web.console_frames import MAX_TICKET_ID
from counselor.web.console_ws import register_console_socket
from counselor.web.supervisor_api import register_supervisors

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
    template: str | None = Field(default=None, max_length=40)
    policies: list[str] = Field(default_factory=list, max_length=5)


class Resolution(BaseModel):
    note: str = Field(default="", max_length=4000)
    tags: list[str] = Field(default_factory=list, max_length=20)
    outcome: Outcome | None = None


class Note(BaseModel):
    text: str = Field(min_length=1, max_length=4000)


class Transfer(BaseModel):
    to: str | None = Field(default=None, min_length=1, max_length=80, description="None: back to the queue")
    note: str = Field(default="", max_length=4000)


STATUS = {
    Refusal.NOT_FOUND: 404,
    Refusal.TAKEN: 409,
    Refusal.NOT_YOURS: 409,
    Refusal.EMPTY: 422,
    Refusal.BAD_LINK: 422,
    Refusal.BAD_TARGET: 422,
    Refusal.FORBIDDEN: 403,
}


class Vocabulary(BaseModel):
    kinds: dict[TicketKind, str]
    outcomes: dict[Outcome, str]
    facts: dict[str, str]
    sla_minutes: float


def bearer(authorization: str | None) -> str:
    return (authorization or "").removeprefix("Bearer ").strip()


def register_console(app: FastAPI, deps: Deps) -> None:
    router = APIRouter(prefix="/api", tags=["caseworkers"])
    web = deps.settings.web
    hashing = BackgroundPool(web.login_concurrency, web.login_waiting, web.login_nice, "argon2")  # started at 1st login

    async def account(authorization: Annotated[str | None, Header()] = None) -> Account:
        token = bearer(authorization)
        who = await anyio.to_thread.run_sync(deps.store.accounts.who, token) if token else None
        if who is None:
            raise HTTPException(status_code=401, detail="log in first", headers={"WWW-Authenticate": "Bearer"})
        return who

    who_is = Depends(account)
    vocabulary_now = Vocabulary(
        kinds=KIND_LABELS, outcomes=OUTCOME_LABELS, facts=FACT_LABELS, sla_minutes=deps.settings.queue.sla_minutes
    )

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
        try:
            who, token = await hashing.run(deps.store.accounts.login, body.name, body.password)
        except AccountError as exc:
            raise HTTPException(status_code=401, detail=str(exc)) from exc
        except Busy as exc:
            raise HTTPException(status_code=503, detail="busy; try again", headers={"Retry-After": "5"}) from exc
        await anyio.to_thread.run_sync(deps.store.casework.record, AuditDraft(actor=who.name, action=AuditAction.LOGIN))
        return LoggedIn(token=token, name=who.name, role=who.role)

    @router.post("/counselor/logout", status_code=204)
    async def logout(authorization: Annotated[str | None, Header()] = None) -> Response:
        """Ends this session; the console sockets opened with it close at once (on every replica, through
        the bus), and in any case within ``session_check_s``."""
        token = bearer(authorization)
        if token:
            who = await anyio.to_thread.run_sync(deps.store.accounts.who, token)
            await anyio.to_thread.run_sync(deps.store.accounts.logout, token)
            await deps.bus.publish(QUEUE_TOPIC, SessionEndedEvent(session=hash_token(token)))
            if who is not None:
                draft = AuditDraft(actor=who.name, action=AuditAction.LOGOUT)
                await anyio.to_thread.run_sync(deps.store.casework.record, draft)
        return Response(status_code=204)

    @router.get("/vocabulary")
    async def vocabulary(who: Account = who_is) -> Vocabulary:
        """The console's words: ticket kinds, outcomes, facts and feedback reasons, as the service names them."""
        return vocabulary_now

    @router.get("/counselors")
    async def colleagues(who: Account = who_is) -> list[Colleague]:
        """Who a case can be handed to, with what each holds now."""
        return await deps.counselors.colleagues()

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
        return await act(deps.counselors.send(who, ticket_id, body.text, body.template, body.policies))

    @router.post("/tickets/{ticket_id}/notes")
    async def note(ticket_id: TicketId, body: Note, who: Account = who_is) -> NoteView:
        """A private note on the case (never sent to the citizen)."""
        return await act(deps.counselors.note(who, ticket_id, body.text))

    @router.post("/tickets/{ticket_id}/transfer")
    async def transfer(ticket_id: TicketId, body: Transfer, who: Account = who_is) -> TicketCard:
        return await act(deps.counselors.transfer(who, ticket_id, body.to, body.note))

    @router.get("/tickets/{ticket_id}/replies")
    async def replies(ticket_id: TicketId, who: Account = who_is) -> list[RenderedReply]:
        """The ready replies, filled in for this case, in the citizen's language."""
        return await act(deps.counselors.ready_replies(who, ticket_id))

    @router.post("/tickets/{ticket_id}/return")
    async def give_back(ticket_id: TicketId, who: Account = who_is) -> TicketCard:
        return await act(deps.counselors.return_to_bot(who, ticket_id))

    @router.post("/tickets/{ticket_id}/resolve")
    async def resolve(ticket_id: TicketId, body: Resolution, who: Account = who_is) -> TicketCard:
        return await act(deps.counselors.resolve(who, ticket_id, body.note, body.tags, body.outcome))

    app.include_router(router)
    register_console_socket(app, deps)
    register_supervisors(app, deps, account, act)
