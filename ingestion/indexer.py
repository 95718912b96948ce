"""Incremental, crash-safe ingest of knowledge folders into the index (see counselor.retrieval.index)."""

from __future__ import annotations

import fcntl
import hashlib
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, Field

from counselor.errors import DocumentError, IndexNotReadyError
from counselor.policies import Chunk
from counselor.retrieval.embedders import Embedder
from counselor.retrieval.embedding_cache import EmbeddingCache
from counselor.retrieval.index import (
    IndexManifest,
    IndexPaths,
    collection_name,
    load_generation,
    read_manifest,
    save_generation,
    write_manifest,
)
from counselor.retrieval.keyword import KeywordIndex, KoreanTokenizer
from counselor.retrieval.vector_store import ChromaVectorStore, VectorStore
from ingestion.chunking import CHUNK_FORMAT, chunk_document
from ingestion.loaders import discover, load_document


class FileProblem(BaseModel):
    path: str
    reason: str


class IngestReport(BaseModel):
    policies: int = 0
    chunks: int = 0
    files: int = 0
    changed_files: int = 0
    deleted_files: int = 0
    chunks_added: int = 0
    chunks_removed: int = 0
    embedded: int = 0
    errors: list[FileProblem] = Field(default_factory=list)
    seconds: float = 0.0
    generation: str = ""
    up_to_date: bool = False


class Progress:
    """What the CLI shows; the default does nothing so library callers need not care."""

    def start(self, phase: str, total: int) -> None: ...

    def advance(self, n: int = 1) -> None: ...


def _source_path(path: Path, root: Path) -> str:
    base = root if root.is_dir() else root.parent
    return str(Path(base.name) / path.relative_to(base))


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@contextmanager
def _locked(paths: IndexPaths) -> Iterator[None]:
    paths.root.mkdir(parents=True, exist_ok=True)
    with paths.lock.open("w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise IndexNotReadyError(f"another ingest is running on {paths.root}") from exc
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def ingest(
    roots: list[Path],
    index_dir: Path,
    cache_path: Path,
    embedder: Embedder,
    *,
    store: VectorStore | None = None,
    batch_size: int = 32,
    progress: Progress | None = None,
    crash_before_commit: Callable[[], None] | None = None,
    snapshot_dir: Path | None = None,
) -> IngestReport:
    """Bring the index in line with ``roots``; the previous generation stays live until the very end."""
    started = time.perf_counter()
    progress = progress or Progress()
    paths = IndexPaths(index_dir)
    report = IngestReport()
    with _locked(paths):
        previous = read_manifest(paths)
        if previous is not None and previous.embedder != embedder.name:
            previous = None  # another model's vectors are useless here: start a fresh generation
        rechunk = previous is not None and previous.chunk_format != CHUNK_FORMAT
        old_chunks: list[Chunk] = []
        if previous is not None:
            old_chunks, _ = load_generation(paths, previous.generation)
        old_by_file: dict[str, list[Chunk]] = {}
        for chunk in old_chunks:
            old_by_file.setdefault(chunk.source_path, []).append(chunk)

        found: list[tuple[Path, str]] = []
        for root in roots:
            for path in discover([root]):
                found.append((path, _source_path(path, root)))
        report.files = len(found)
        hashes = {source: _sha(path) for path, source in found}
        old_files = previous.files if previous and not rechunk else {}
        old_broken = previous.broken if previous and not rechunk else {}
        known = {**old_files, **{src: sha for src, (sha, _) in old_broken.items()}}
        if previous is not None and hashes == known:
            report.errors = [FileProblem(path=src, reason=why) for src, (_, why) in sorted(old_broken.items())]
            report.policies, report.chunks = previous.policy_count, previous.chunk_count
            report.generation, report.up_to_date = previous.generation, True
            report.seconds = time.perf_counter() - started
            return report

        chunks: list[Chunk] = []
        files: dict[str, str] = {}
        broken: dict[str, tuple[str, str]] = {}
        seen_policies: dict[str, str] = {}
        progress.start("reading", len(found))
        for path, source in found:
            progress.advance()
            if old_files.get(source) == hashes[source] and source in old_by_file:
                file_chunks = old_by_file[source]
            else:
                report.changed_files += 1
                try:
                    doc = load_document(path)
                    doc.path = source
                    file_chunks = chunk_document(doc)
                except DocumentError as exc:
                    report.errors.append(FileProblem(path=str(path), reason=exc.reason))
                    broken[source] = (hashes[source], exc.reason)
                    # Keep the last good version of a file that broke, rather than losing the policy.
                    if source in old_by_file:
                        chunks.extend(old_by_file[source])
                        files[source] = old_files[source]
                    continue
            policy_id = file_chunks[0].policy_id
            if policy_id in seen_policies and seen_policies[policy_id] != source:
                why = f"policy_id {policy_id} is already used by {seen_policies[policy_id]}"
                report.errors.append(FileProblem(path=str(path), reason=why))
                broken[source] = (hashes[source], why)
                continue
            seen_policies[policy_id] = source
            chunks.extend(file_chunks)
            files[source] = hashes[source]
        report.deleted_files = len(set(old_files) - set(hashes))

        vectors = store or ChromaVectorStore.persistent(paths.chroma, collection_name(embedder.name))
        stored = vectors.ids()
        to_add = [c for c in chunks if c.chunk_id not in stored]
        cache = EmbeddingCache(cache_path)
        try:
            if to_add and snapshot_dir is not None:
                cache.import_snapshot(snapshot_dir / f"{embedder.name}.npz", embedder.name)
            progress.start("embedding", len(to_add))
            for start in range(0, len(to_add), batch_size * 8):
                part = to_add[start : start + batch_size * 8]
                vecs = cache.embed(embedder, [c.dense_input for c in part], batch_size, progress.advance)
                vectors.upsert(part, vecs)
            report.embedded = cache.computed
        finally:
            cache.close()
        report.chunks_added = len(to_add)

        progress.start("keyword index", 1)
        tokenizer = KoreanTokenizer()
        keyword = KeywordIndex.build([c.chunk_id for c in chunks], tokenizer.batch([c.embed_text for c in chunks]))
        generation = datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
        save_generation(paths, generation, chunks, keyword)
        progress.advance()
        if crash_before_commit is not None:
            crash_before_commit()
        manifest = IndexManifest(
            generation=generation,
            embedder=embedder.name,
            collection=collection_name(embedder.name),
            files=files,
            broken=broken,
            chunk_format=CHUNK_FORMAT,
            policy_count=len({c.policy_id for c in chunks}),
            chunk_count=len(chunks),
            created_at=datetime.now(UTC).isoformat(),
        )
        write_manifest(paths, manifest)

        # Only now that the new generation is live may the old one's leftovers go.
        live = {c.chunk_id for c in chunks}
        stale = [i for i in vectors.ids() if i not in live]
        vectors.delete(stale)
        report.chunks_removed = len(stale)
        for old in paths.generations.glob("*.pkl*"):
            if old.stem != generation and old.name != f"{generation}.pkl":
                old.unlink(missing_ok=True)
        report.policies, report.chunks, report.generation = manifest.policy_count, len(chunks), generation
    report.seconds = time.perf_counter() - started
    return report
