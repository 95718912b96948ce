"""The supervisors' side over HTTP (docs/console.md): the dashboard's figures, the CSV export of tickets for a
date range, and the audit log. A caseworker without the supervisor role gets 403; every export and every read
of the audit log is itself audited."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import Annotated, Any, TypeVar
from zoneinfo import ZoneInfo

import anyio
from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query
from fastapi.responses import FileResponse, Response

from counselor.casework import AuditAction
from counselor.deps import Deps
from counselor.queue import dashboard
from counselor.store.accounts import Account
from counselor.store.audit import AuditDetail, AuditDraft, AuditRecord
from counselor.store.tables import utcnow
from counselor.web.pages import STATIC

T = TypeVar("T")
MAX_EXPORT_DAYS = 366


def register_supervisors(
    app: FastAPI,
    deps: Deps,
    account: Callable[..., Awaitable[Account]],
    act: Callable[[Awaitable[Any]], Awaitable[Any]],
) -> None:
    router = APIRouter(prefix="/api", tags=["supervisors"])
    queue = deps.settings.queue
    zone = ZoneInfo(queue.timezone)

    caseworker = Depends(account)

    async def supervisor(who: Account = caseworker) -> Account:
        if not who.supervisor:
            raise HTTPException(status_code=403, detail="for supervisors")
        return who

    boss = Depends(supervisor)

    @router.get("/dashboard")
    async def figures(who: Account = boss) -> dashboard.Dashboard:
        now = utcnow()
        week = dashboard.day_start(now.astimezone(zone).date() - timedelta(days=dashboard.DAYS - 1), zone)
        tickets = await anyio.to_thread.run_sync(deps.store.tickets.since, week)
        return dashboard.build(tickets, now, zone, queue.sla_minutes)

    @router.get("/reports/tickets.csv")
    async def export(
        date_from: Annotated[date, Query(description="first day, in the service's timezone")],
        date_to: Annotated[date, Query(description="last day, included")],
        who: Account = boss,
    ) -> Response:
        if date_to < date_from or (date_to - date_from).days >= MAX_EXPORT_DAYS:
            raise HTTPException(status_code=422, detail=f"a range of 1 to {MAX_EXPORT_DAYS} days, first day first")
        start = dashboard.day_start(date_from, zone)
        end = dashboard.day_start(date_to + timedelta(days=1), zone)
        tickets = await anyio.to_thread.run_sync(deps.store.tickets.created_between, start, end)
        body = dashboard.export_csv(tickets, zone, queue.sla_minutes, utcnow())
        detail = AuditDetail(date_from=date_from.isoformat(), date_to=date_to.isoformat(), rows=len(tickets))
        draft = AuditDraft(actor=who.name, action=AuditAction.EXPORT, detail=detail)
        await anyio.to_thread.run_sync(deps.store.casework.record, draft)
        name = f"tickets-{date_from.isoformat()}-{date_to.isoformat()}.csv"
        # A byte-order mark, so a spreadsheet opens the Korean text as UTF-8.
        return Response(
            content="\ufeff" + body,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
        )

    @router.get("/audit", response_model_exclude_none=True)
    async def audit(
        ticket_id: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None,
        actor: Annotated[str | None, Query(max_length=80)] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 200,
        who: Account = boss,
    ) -> list[AuditRecord]:
        """Newest first: who did what, when, to which case."""
        result: list[AuditRecord] = await act(deps.counselors.audit_log(who, ticket_id, actor, limit))
        return result

    app.include_router(router)

    @app.get("/console/dashboard", include_in_schema=False)
    def dashboard_page() -> FileResponse:
        return FileResponse(STATIC / "dashboard.html")
