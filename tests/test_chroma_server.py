"""The index's vectors on a Chroma server: two replicas (two data dirs) share one collection; the second
ingest embeds and uploads nothing, and both search the same vectors."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from typer.testing import CliRunner

from counselor.cli.main import app
from tests.backends import chroma_server

runner = CliRunner()


def test_two_replicas_share_the_vectors_on_a_chroma_server(
    tmp_path: Path, small_knowledge: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with chroma_server(str(tmp_path / "chroma")) as url:
        monkeypatch.setenv("COUNSELOR_EMBEDDER", "hashing")
        monkeypatch.setenv("COUNSELOR_EMBEDDING_SNAPSHOTS", "")
        monkeypatch.setenv("COUNSELOR_KNOWLEDGE_DIRS", json.dumps([str(small_knowledge)]))
        monkeypatch.setenv("COUNSELOR_CHROMA_URL", url)
        monkeypatch.setenv("COUNSELOR_CHROMA_PREFIX", f"t{uuid.uuid4().hex[:8]}-")
        reports = []
        for replica in ("a", "b"):
            monkeypatch.setenv("COUNSELOR_DATA_DIR", str(tmp_path / replica))
            result = runner.invoke(app, ["ingest", "--json"])
            assert result.exit_code == 0, result.output
            reports.append(json.loads(result.stdout))
            assert not (tmp_path / replica / "index" / "chroma").exists()  # nothing embedded locally
            found = runner.invoke(app, ["search", "기초연금 신청", "--json"])
            assert found.exit_code == 0, found.output
            assert json.loads(found.stdout)[0]["title"] == "기초연금제도"
        assert reports[0]["chunks_added"] == reports[0]["chunks"] > 0
        assert reports[1]["chunks_added"] == 0 and reports[1]["chunks"] == reports[0]["chunks"]
