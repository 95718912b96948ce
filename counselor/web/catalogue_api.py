"""The policy catalogue on the web: the pages /policies and /policies/{id}, and the JSON API behind them.

A citizen's chat token (the page sends the one chat.js keeps, in the ``X-Session-Token`` header: never in
the address, which lands in logs) adds the computed eligibility for the profile the chat has gathered.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Annotated

from fastapi import FastAPI, Header, HTTPException, Query
from fastapi.responses import FileResponse
from pydantic import ValidationError

from counselor.catalogue.catalogue import Catalogue, CatalogueQuery
from counselor.catalogue.models import CataloguePage, Eligibility, PolicyDetail, PolicySection
from counselor.deps import Deps
from counselor.eligibility.profile import Profile
from counselor.errors import CounselorError, QueryError
from counselor.policies import LifeStage, TargetGroup
from counselor.retrieval.filters import SearchFilter

STATIC = Path(__file__).parent / "static"
SEARCH_DEPTH = 50  # policies a search ranks; beyond that the chat's retriever is not meant to be read
TokenHeader = Annotated[str | None, Header(alias="X-Session-Token", max_length=200)]


class CatalogueHolder:
    """Loads the catalogue on first use (reading ~3,000 files takes seconds: not at import or start)."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self._catalogue: Catalogue | None = None
        self._lock = threading.Lock()

    def get(self) -> Catalogue:
        with self._lock:
            if self._catalogue is None:
                self._catalogue = Catalogue.load(self.deps.settings.knowledge_dirs)
            return self._catalogue

    def search(self, q: str, sido: str | None, district: str | None) -> list[str]:
        # The chat's retriever and its scope: a chosen region keeps national and that region's policies;
        # none chosen searches every region, as browsing without one lists them all.
        where = SearchFilter(sido=sido, district=district, all_regions=sido is None)
        return [hit.policy_id for hit in self.deps.retriever.search(q, k=SEARCH_DEPTH, where=where)]

    def profile(self, token: str | None) -> Profile | None:
        """The chat's profile for this token; None for no token, an unknown one or nothing known yet."""
        if not token:
            return None
        store = self.deps.store
        conversation = store.find_by_token(token)
        if conversation is None:
            return None
        try:
            profile = Profile.model_validate(store.profile(conversation) or {})
        except ValidationError:
            return None
        return profile if profile.known() else None

    def eligibility(self, profile: Profile | None, policy_id: str) -> Eligibility | None:
        if profile is None:
            return None
        try:
            verdict = self.deps.eligibility.verdict(profile, policy_id)
        except CounselorError:
            return None  # no index yet: the page still shows the policy
        if verdict is None:
            return None
        return Eligibility(verdict=verdict.verdict, criteria=verdict.criteria, missing=verdict.missing)

    def from_index(self, policy_id: str) -> PolicyDetail | None:
        """A policy the index holds but the knowledge folders no longer do (edited since the last ingest):
        the chat may still cite it, so its indexed text is shown rather than a dead link."""
        try:
            found = self.deps.policy_texts.get(policy_id)
        except CounselorError:
            return None
        if found is None:
            return None
        sections = [PolicySection(heading=h, kind="other", text=t) for h, t in found.sections.items()]
        return PolicyDetail(
            policy_id=found.policy_id, title=found.title, title_en=found.title_en, gives="", who="",
            region=found.region, region_level="national" if found.region == "전국" else "district",
            life_stages=[], target_groups=[], source=found.source, edition="", url=found.url,
            source_path=found.source, sections=sections,
            ask=f"{found.title}에 대해 알려 주세요.", ask_en=f"Tell me about {found.title_en or found.title}.",
        )  # fmt: skip


def register_catalogue(app: FastAPI, deps: Deps) -> None:
    holder = CatalogueHolder(deps)
    max_q = deps.settings.chat.max_message_chars  # what a citizen may type, as in the chat

    @app.get("/policies", include_in_schema=False)
    def policies_page() -> FileResponse:
        return FileResponse(STATIC / "policies.html")

    @app.get("/policies/{policy_id}", include_in_schema=False)
    def policy_page(policy_id: str) -> FileResponse:
        return FileResponse(STATIC / "policy.html")

    @app.get("/api/policies", tags=["catalogue"])
    def list_policies(
        stage: LifeStage | None = None,
        group: TargetGroup | None = None,
        sido: Annotated[str | None, Query(max_length=40)] = None,
        district: Annotated[str | None, Query(max_length=40)] = None,
        q: str | None = Query(default=None, max_length=max_q),
        page: Annotated[int, Query(ge=1, le=10_000)] = 1,
        page_size: Annotated[int, Query(ge=1, le=100)] = 20,
        x_session_token: TokenHeader = None,
    ) -> CataloguePage:
        """Policies by life stage, target group and region (national + the province's + the district's),
        optionally ranked by the chat's hybrid search; counts per filter; with a chat token, verdicts."""
        query = CatalogueQuery(
            stage=stage, group=group, sido=sido or None, district=(district or None) if sido else None,
            q=q, page=page, page_size=page_size,
        )  # fmt: skip
        try:
            result = holder.get().browse(query, holder.search)
        except QueryError as exc:
            raise HTTPException(status_code=422, detail=str(exc)) from exc
        profile = holder.profile(x_session_token)
        for item in result.items:
            found = holder.eligibility(profile, item.policy_id)
            item.verdict = found.verdict if found else None
        return result

    @app.get("/api/policies/{policy_id}", tags=["catalogue"])
    def get_policy(policy_id: str, x_session_token: TokenHeader = None) -> PolicyDetail:
        """One policy's own text in the booklet's order of sections, its source and edition; with a chat
        token, the verdict for the citizen's profile with each criterion."""
        detail = holder.get().detail(policy_id) or holder.from_index(policy_id)
        if detail is None:
            raise HTTPException(status_code=404, detail=f"no policy {policy_id}")
        detail.eligibility = holder.eligibility(holder.profile(x_session_token), policy_id)
        detail.verdict = detail.eligibility.verdict if detail.eligibility else None
        return detail
