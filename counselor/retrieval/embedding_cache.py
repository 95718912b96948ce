"""Embeddings cached on disk by (model, content hash): re-ingesting unchanged text costs no model time.

A snapshot is the same thing in one portable file (``knowledge/embeddings/<model>.npz``, float16): shipped
with the knowledge so that a fresh machine does not spend minutes embedding text that has not changed.
Entries are keyed by content hash, so a stale snapshot only misses; it is never wrong.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from counselor.retrieval.embedders import Embedder, Vectors


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path))
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS embeddings (model TEXT, hash TEXT, vector BLOB, PRIMARY KEY (model, hash))"
        )
        self.computed = 0  # texts that reached the model through this cache object

    def close(self) -> None:
        self._db.close()

    def import_snapshot(self, path: Path, model: str) -> int:
        """Load a snapshot's vectors for ``model`` into the cache (once per snapshot file); returns how many."""
        if not path.is_file():
            return 0
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        self._db.execute("CREATE TABLE IF NOT EXISTS snapshots (digest TEXT PRIMARY KEY)")
        if self._db.execute("SELECT 1 FROM snapshots WHERE digest = ?", [digest]).fetchone():
            return 0
        with np.load(path, allow_pickle=False) as data:
            if str(data["model"]) != model:
                return 0
            hashes, vectors = data["hashes"], data["vectors"].astype(np.float32)
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        with self._db:
            self._db.executemany(
                "INSERT OR IGNORE INTO embeddings VALUES (?, ?, ?)",
                [(model, str(h), v.tobytes()) for h, v in zip(hashes, vectors, strict=True)],
            )
            self._db.execute("INSERT INTO snapshots VALUES (?)", [digest])
        return len(hashes)

    def export_snapshot(self, path: Path, model: str, texts: Sequence[str]) -> int:
        """Write the cached vectors of ``texts`` (those the cache has) to a snapshot file; returns how many."""
        wanted = sorted({content_hash(t) for t in texts})
        found = self._lookup(model, wanted)
        hashes = [h for h in wanted if h in found]
        vectors = np.stack([found[h] for h in hashes]) if hashes else np.zeros((0, 0), np.float32)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            np.savez_compressed(
                handle, model=np.array(model), hashes=np.array(hashes), vectors=vectors.astype(np.float16)
            )
        return len(hashes)

    def _lookup(self, model: str, hashes: Sequence[str]) -> dict[str, Vectors]:
        found: dict[str, Vectors] = {}
        for start in range(0, len(hashes), 500):
            batch = list(hashes[start : start + 500])
            marks = ",".join("?" * len(batch))
            rows = self._db.execute(
                f"SELECT hash, vector FROM embeddings WHERE model = ? AND hash IN ({marks})", [model, *batch]
            )
            for h, blob in rows:
                found[h] = np.frombuffer(blob, dtype=np.float32)
        return found

    def embed(
        self,
        embedder: Embedder,
        texts: Sequence[str],
        batch_size: int = 32,
        progress: Callable[[int], None] | None = None,
    ) -> Vectors:
        """Vectors for ``texts`` in order; only texts never seen with this model reach the embedder."""
        model = embedder.name
        hashes = [content_hash(t) for t in texts]
        found = self._lookup(model, hashes)
        missing = list(dict.fromkeys(h for h in hashes if h not in found))
        by_hash = dict(zip(hashes, texts, strict=True))
        if progress is not None and len(found):
            progress(sum(1 for h in hashes if h in found))
        for start in range(0, len(missing), batch_size):
            batch = missing[start : start + batch_size]
            vectors = embedder.embed_documents([by_hash[h] for h in batch])
            self.computed += len(batch)
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?)",
                    [(model, h, v.astype(np.float32).tobytes()) for h, v in zip(batch, vectors, strict=True)],
                )
            for h, v in zip(batch, vectors, strict=True):
                found[h] = v
            if progress is not None:
                progress(len(batch))
        if not hashes:
            return np.zeros((0, embedder.dimension), dtype=np.float32)
        return np.stack([found[h] for h in hashes]).astype(np.float32)
