"""The two web pages (citizen chat at ``/``, caseworker console at ``/console``) and their static files; the
policy pages and the policy text the chat's sources open are the catalogue's (catalogue_api.py). Everything
is served from the package: the machines are offline, so no CDN."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from counselor.deps import Deps

STATIC = Path(__file__).parent / "static"


def register_pages(app: FastAPI, deps: Deps) -> None:
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def chat_page() -> FileResponse:
        return FileResponse(STATIC / "chat.html")

    @app.get("/console", include_in_schema=False)
    def console_page() -> FileResponse:
        return FileResponse(STATIC / "console.html")
