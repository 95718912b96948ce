"""The on-disk index: one manifest naming the live generation, Chroma for vectors, a pickle for the rest.

Layout under ``<data_dir>/index``::

    manifest.json              the live generation; replaced atomically, last, by every ingest
    generations/<gen>.pkl      chunk table and BM25 index of one generation
    chroma/                    embedded Chroma; one collection per embedder

A chunk id is a content hash, so a generation's chunks stay valid in Chroma while a later ingest adds its
own: an ingest that dies before replacing the manifest leaves the previous generation whole. Vector hits
outside the live chunk table are ignored, and the next ingest deletes them.
"""

from __future__ import annotations

import json
import os
import pickle
import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from counselor.errors import IndexNotReadyError
from counselor.policies import Chunk
from counselor.retrieval.keyword import KeywordIndex
from counselor.retrieval.vector_store import ChromaVectorStore, VectorStore


class IndexManifest(BaseModel):
    generation: str
    embedder: str
    collection: str
    files: dict[str, str]  # source path -> sha256 of the file's bytes
    broken: dict[str, tuple[str, str]] = {}  # source path -> (sha256, why it could not be indexed)
    chunk_format: int = 1  # how files were cut into chunks; another format re-reads every file
    policy_count: int
    chunk_count: int
    created_at: str


@dataclass(frozen=True)
class IndexPaths:
    root: Path

    @property
    def manifest(self) -> Path:
        return self.root / "manifest.json"

    @property
    def generations(self) -> Path:
        return self.root / "generations"

    @property
    def chroma(self) -> Path:
        return self.root / "chroma"

    @property
    def lock(self) -> Path:
        return self.root / ".ingest.lock"

    def generation(self, name: str) -> Path:
        return self.generations / f"{name}.pkl"


def collection_name(embedder_name: str) -> str:
    return ("policies-" + re.sub(r"[^0-9A-Za-z._-]+", "-", embedder_name))[:60].rstrip("-._")


def read_manifest(paths: IndexPaths) -> IndexManifest | None:
    if not paths.manifest.exists():
        return None
    try:
        return IndexManifest.model_validate_json(paths.manifest.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise IndexNotReadyError(f"unreadable index manifest {paths.manifest}: {exc}") from exc


def write_manifest(paths: IndexPaths, manifest: IndexManifest) -> None:
    tmp = paths.manifest.with_suffix(".json.tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        fh.write(manifest.model_dump_json(indent=1))
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(paths.manifest)
    dir_fd = os.open(paths.root, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def save_generation(paths: IndexPaths, name: str, chunks: list[Chunk], keyword: KeywordIndex) -> None:
    paths.generations.mkdir(parents=True, exist_ok=True)
    target = paths.generation(name)
    tmp = target.with_suffix(".pkl.tmp")
    payload = {"chunks": [c.model_dump(mode="json") for c in chunks], "keyword": keyword}
    with tmp.open("wb") as fh:
        pickle.dump(payload, fh, protocol=pickle.HIGHEST_PROTOCOL)
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(target)


@dataclass
class LoadedIndex:
    manifest: IndexManifest
    chunks: list[Chunk]
    keyword: KeywordIndex
    vectors: VectorStore

    def __post_init__(self) -> None:
        self.by_id = {c.chunk_id: c for c in self.chunks}
        self.row = {c.chunk_id: i for i, c in enumerate(self.chunks)}

    @property
    def policy_ids(self) -> set[str]:
        return {c.policy_id for c in self.chunks}


def load_generation(paths: IndexPaths, name: str) -> tuple[list[Chunk], KeywordIndex]:
    try:
        with paths.generation(name).open("rb") as fh:
            payload = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError) as exc:
        raise IndexNotReadyError(f"index generation {name} is unreadable: {exc}") from exc
    chunks = [Chunk.model_validate(c) for c in payload["chunks"]]
    keyword: KeywordIndex = payload["keyword"]
    return chunks, keyword


def open_index(index_dir: Path, embedder_name: str, vectors: VectorStore | None = None) -> LoadedIndex:
    """Open the live generation; it must have been built with the embedder the searcher will use."""
    paths = IndexPaths(index_dir)
    manifest = read_manifest(paths)
    if manifest is None:
        raise IndexNotReadyError(f"no index at {index_dir}: run `counselor ingest` first")
    if manifest.embedder != embedder_name:
        raise IndexNotReadyError(
            f"the index was built with embedder {manifest.embedder!r}, not {embedder_name!r}: "
            "run `counselor ingest` again"
        )
    chunks, keyword = load_generation(paths, manifest.generation)
    store = vectors or ChromaVectorStore.persistent(paths.chroma, manifest.collection)
    return LoadedIndex(manifest=manifest, chunks=chunks, keyword=keyword, vectors=store)


def manifest_summary(manifest: IndexManifest) -> str:
    return json.dumps(
        {k: v for k, v in manifest.model_dump().items() if k != "files"}, ensure_ascii=False, sort_keys=True
    )
