"""How long the catalogue takes to answer /api/policies over every policy in knowledge/ (bar: p50 ≤ 100 ms).

    python -m bench.catalogue_latency --runs 5 [--search]

Each run sends every filter combination a citizen can click (no filter; each life stage; each target group;
Gwangyang, Goyang and Seoul's Jongno as regions, alone and with each stage; the last page of the whole
listing) through the real FastAPI app in process (routing, validation, the response model's JSON), timing
each request; the figure quoted is the median of the runs' p50s. The catalogue is loaded once before (the
first request of a process reads ~3,000 files: timed apart, as ``load_s``). ``--search`` adds questions
through the chat's hybrid retriever over the index in ./var (``counselor ingest`` first): their cost is the
chat's search (docs/performance.md, Search) plus the filtering; the question cache is off, as there.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from fastapi.testclient import TestClient

from bench._results import record
from counselor.catalogue.models import GROUP_LABELS, STAGE_LABELS
from counselor.deps import build_deps
from counselor.settings import get_settings
from counselor.web.app import create_app

REGIONS = [("전라남도", "광양시"), ("경기도", "고양시"), ("서울특별시", "종로구")]
QUESTIONS = ["출산 지원금", "기초연금 신청", "한부모 양육비", "청년 월세", "장애인 활동지원", "help for single parents"]


def requests() -> list[dict[str, str]]:
    asks: list[dict[str, str]] = [{}]
    asks += [{"stage": s.value} for s in STAGE_LABELS]
    asks += [{"group": g.value} for g in GROUP_LABELS]
    for sido, district in REGIONS:
        asks.append({"sido": sido, "district": district})
        asks += [{"sido": sido, "district": district, "stage": s.value} for s in STAGE_LABELS]
    asks.append({"page": "152"})  # the last page of 3,032 policies, 20 a page
    return asks


def timed(client: TestClient, params: dict[str, str]) -> float:
    started = time.perf_counter()
    response = client.get("/api/policies", params=params)
    elapsed = (time.perf_counter() - started) * 1000
    response.raise_for_status()
    return elapsed


def one_run(client: TestClient, search: bool) -> dict[str, float]:
    browse = sorted(timed(client, p) for p in requests())
    figures = {
        "requests": len(browse),
        "browse_ms_p50": round(statistics.median(browse), 2),
        "browse_ms_p95": round(browse[int(len(browse) * 0.95)], 2),
        "browse_ms_max": round(browse[-1], 2),
    }
    if search:
        region = {"sido": REGIONS[0][0], "district": REGIONS[0][1]}
        found = sorted(timed(client, {"q": q, **where}) for q in QUESTIONS for where in ({}, region))
        figures["search_ms_p50"] = round(statistics.median(found), 2)
        figures["search_ms_p95"] = round(found[int(len(found) * 0.95)], 2)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--search", action="store_true", help="also time questions through the retriever")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    settings = get_settings()
    # No question cache: every run asks the same questions, and the later runs would time its hits.
    settings.retrieval = settings.retrieval.model_copy(update={"query_cache": 0})
    deps = build_deps(settings)
    client = TestClient(create_app(deps.settings, deps))
    started = time.perf_counter()
    total = client.get("/api/policies").json()["total"]
    load_s = time.perf_counter() - started
    if args.search:
        client.get("/api/policies", params={"q": "기초연금"})  # loads the index and the question engine
    runs = [one_run(client, args.search) for _ in range(args.runs)]
    figures = {
        "policies": total,
        "load_s": round(load_s, 2),
        "runs": runs,
        "browse_ms_p50_median": statistics.median(r["browse_ms_p50"] for r in runs),
        "browse_ms_p95_median": statistics.median(r["browse_ms_p95"] for r in runs),
    }
    if args.search:
        figures["search_ms_p50_median"] = statistics.median(r["search_ms_p50"] for r in runs)
        figures["search_ms_p95_median"] = statistics.median(r["search_ms_p95"] for r in runs)
        figures["query_engine"] = deps.query_engine
    record("catalogue_latency", figures)


if __name__ == "__main__":
    main()
