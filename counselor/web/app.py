"""The FastAPI application factory."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, HTTPException, Query

from counselor import __version__
from counselor.deps import build_deps
from counselor.errors import CounselorError, QueryError
from counselor.policies import SearchHit
from counselor.retrieval.filters import SearchFilter
from counselor.settings import Settings


def create_app(settings: Settings) -> FastAPI:
    deps = build_deps(settings)
    app = FastAPI(title="counselor", version=__version__)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz")
    def readyz() -> dict[str, Any]:
        try:
            index = deps.index
        except CounselorError as exc:
            raise HTTPException(status_code=503, detail=str(exc)) from exc
        return {
            "status": "ready",
            "policies": index.manifest.policy_count,
            "chunks": index.manifest.chunk_count,
            "embedder": index.manifest.embedder,
        }

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
