from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from counselor.retrieval.embedders import HashingEmbedder
from counselor.settings import RetrievalSettings, get_settings
from counselor.web.app import create_app
from ingestion.indexer import ingest


@pytest.fixture
def client(data_dir: Path, small_knowledge: Path) -> TestClient:
    settings = get_settings(knowledge_dirs=[small_knowledge])
    ingest([small_knowledge], settings.index_dir, settings.cache_dir / "e.sqlite", HashingEmbedder())
    return TestClient(create_app(settings))


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz").json()
    assert ready["status"] == "ready" and ready["policies"] == 5 and ready["embedder"] == "hashing-256"


def test_not_ready_without_index(data_dir: Path) -> None:
    client = TestClient(create_app(get_settings()))
    response = client.get("/readyz")
    assert response.status_code == 503 and "counselor ingest" in response.json()["detail"]


def test_search_endpoint(client: TestClient) -> None:
    hits = client.get("/api/search", params={"q": "기초연금 신청", "k": 2}).json()
    assert hits[0]["title"] == "기초연금제도" and len(hits) <= 2
    assert client.get("/api/search", params={"q": "  "}).status_code == 422
    too_long = client.get("/api/search", params={"q": "가" * (RetrievalSettings().max_query_chars + 1)})
    assert too_long.status_code == 422
    assert json.dumps(too_long.json())  # a JSON error body, never a traceback
