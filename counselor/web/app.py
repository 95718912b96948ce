"""The FastAPI application factory."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
from fastapi import FastAPI, HTTPException, Query
from pydantic import BaseModel

from counselor import __version__
from counselor.deps import Deps, build_deps
from counselor.errors import CounselorError, QueryError
from counselor.policies import SearchHit
from counselor.retrieval.embedders import CachedQueries
from counselor.retrieval.filters import SearchFilter
from counselor.settings import Settings
from counselor.web.catalogue_api import register_catalogue
from counselor.web.chat_ws import register_chat
from counselor.web.console_api import register_console
from counselor.web.hardening import add_security_headers, redact_server_logs
from counselor.web.pages import register_pages

log = logging.getLogger(__name__)


async def watch_overdue_crises(deps: Deps) -> None:
    """Every ``overdue_check_s``: a crisis ticket unclaimed past ``crisis_realert_minutes`` alerts the
    supervisors again (once per ticket, whichever replica marks it first)."""
    while True:
        await asyncio.sleep(deps.settings.queue.overdue_check_s)
        try:
            await deps.counselors.overdue_crises()
        except Exception:  # the database restarting: look again next time
            log.exception("looking for overdue crisis tickets failed")


class Readiness(BaseModel):
    """What /readyz answers once the index and the database are there."""

    status: str = "ready"
    policies: int
    chunks: int
    embedder: str
    answerer: str
    database: str
    query_engine: str | None
    router: str
    query_cache: dict[str, int] | None  # hits, misses, size, limit; None without a query cache


def create_app(settings: Settings, deps: Deps | None = None) -> FastAPI:
    deps = deps or build_deps(settings)
    _ = deps.ready_replies  # a broken ready reply stops the start here, naming its file
    deps.prompts.check()  # so does a prompt missing a key the code reads (counselor/prompt_schemas.py)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Load the index, the answerer and the question engine before the first citizen waits for them; a
        # missing index is reported by /readyz, not raised here, so /healthz still answers.
        redact_server_logs()
        try:
            await anyio.to_thread.run_sync(deps.warm)
        except CounselorError as exc:
            log.warning("not ready: %s", exc)
        watcher = asyncio.create_task(watch_overdue_crises(deps))
        try:
            yield
        finally:
            watcher.cancel()

    app = FastAPI(title="counselor", version=__version__, lifespan=lifespan)
    add_security_headers(app)
    register_chat(app, deps)
    register_console(app, deps)
    register_pages(app, deps)
    register_catalogue(app, deps)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz")
    def readyz() -> Readiness:
        try:
            index = deps.index
        except CounselorError as exc:
            raise HTTPException(status_code=503, detail=str(exc)) from exc
        try:
            deps.store.ping()
        except Exception as exc:
            raise HTTPException(status_code=503, detail=f"database unreachable: {type(exc).__name__}") from exc
        return Readiness(
            policies=index.manifest.policy_count,
            chunks=index.manifest.chunk_count,
            embedder=index.manifest.embedder,
            answerer=deps.answerer.name,
            database=deps.store.engine.dialect.name,
            query_engine=deps.query_engine,
            router=deps.router.status,
            query_cache=deps.embedder.stats() if isinstance(deps.embedder, CachedQueries) else None,
        )

    @app.get("/api/search")
    def search(
        q: str = Query(max_length=settings.retrieval.max_query_chars),
        k: int = Query(default=5, ge=1, le=50),
        sido: str | None = None,
        district: str | None = None,
    ) -> list[SearchHit]:
        try:
            return deps.retriever.search(q, k=k, where=SearchFilter(sido=sido, district=district))
        except QueryError as exc:
            raise HTTPException(status_code=422, detail=str(exc)) from exc

    return app
