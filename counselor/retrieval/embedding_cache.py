"""Embeddings cached on disk by (model, content hash): re-ingesting unchanged text costs no model time."""

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

    def close(self) -> None:
        self._db.close()

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
        found: dict[str, Vectors] = {}
        for start in range(0, len(hashes), 500):
            batch = hashes[start : start + 500]
            marks = ",".join("?" * len(batch))
            rows = self._db.execute(
                f"SELECT hash, vector FROM embeddings WHERE model = ? AND hash IN ({marks})", [model, *batch]
            )
            for h, blob in rows:
                found[h] = np.frombuffer(blob, dtype=np.float32)
        missing = list(dict.fromkeys(h for h in hashes if h not in found))
        by_hash = dict(zip(hashes, texts, strict=True))
        if progress is not None and len(found):
            progress(sum(1 for h in hashes if h in found))
        for start in range(0, len(missing), batch_size):
            batch = missing[start : start + batch_size]
            vectors = embedder.embed_documents([by_hash[h] for h in batch])
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
