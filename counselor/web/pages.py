"""The two web pages (citizen chat at ``/``, caseworker console at ``/console``), their static files, and the
policy text the chat's numbered sources open. Everything is served from the package: the machines are
offline, so no CDN."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel

from counselor.deps import Deps

STATIC = Path(__file__).parent / "static"


class PolicySection(BaseModel):
    heading: str
    text: str


class PolicyPage(BaseModel):
    policy_id: str
    title: str
    title_en: str | None
    region: str
    source: str
    url: str | None
    sections: list[PolicySection]


def register_pages(app: FastAPI, deps: Deps) -> None:
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def chat_page() -> FileResponse:
        return FileResponse(STATIC / "chat.html")

    @app.get("/console", include_in_schema=False)
    def console_page() -> FileResponse:
        return FileResponse(STATIC / "console.html")

    @app.get("/api/policies/{policy_id}")
    def policy(policy_id: str) -> PolicyPage:
        found = deps.policy_texts.get(policy_id)
        if found is None:
            raise HTTPException(status_code=404, detail=f"no policy {policy_id}")
        sections = [PolicySection(heading=h, text=t) for h, t in found.sections.items()]
        if found.english:
            sections.append(PolicySection(heading="English", text=found.english))
        return PolicyPage(
            policy_id=found.policy_id,
            title=found.title,
            title_en=found.title_en,
            region=found.region,
            source=found.source,
            url=found.url,
            sections=sections,
        )
