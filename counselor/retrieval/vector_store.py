"""Vector stores behind one protocol: embedded Chroma (default) and an in-memory fake for tests."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from counselor.policies import Chunk
from counselor.retrieval.embedders import Vectors
from counselor.retrieval.filters import SearchFilter, chroma_metadata


class VectorStore(Protocol):
    def ids(self) -> set[str]: ...

    def upsert(self, chunks: Sequence[Chunk], vectors: Vectors) -> None: ...

    def delete(self, ids: Sequence[str]) -> None: ...

    def query(self, vector: Vectors, n: int, where: SearchFilter | None = None) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) pairs, best first."""
        ...

    def vectors(self, ids: Sequence[str]) -> Vectors:
        """The stored vectors of ``ids``, in that order (an id not stored is a KeyError)."""
        ...


class InMemoryVectorStore:
    def __init__(self) -> None:
        self._chunks: dict[str, Chunk] = {}
        self._vectors: dict[str, Vectors] = {}

    def ids(self) -> set[str]:
        return set(self._vectors)

    def upsert(self, chunks: Sequence[Chunk], vectors: Vectors) -> None:
        for chunk, vector in zip(chunks, vectors, strict=True):
            self._chunks[chunk.chunk_id] = chunk
            self._vectors[chunk.chunk_id] = vector

    def delete(self, ids: Sequence[str]) -> None:
        for chunk_id in ids:
            self._chunks.pop(chunk_id, None)
            self._vectors.pop(chunk_id, None)

    def query(self, vector: Vectors, n: int, where: SearchFilter | None = None) -> list[tuple[str, float]]:
        keys = [k for k in self._vectors if where is None or where.matches(self._chunks[k])]
        if not keys:
            return []
        sims = np.stack([self._vectors[k] for k in keys]) @ vector
        order = np.argsort(-sims)[:n]
        return [(keys[i], float(sims[i])) for i in order]

    def vectors(self, ids: Sequence[str]) -> Vectors:
        return np.stack([self._vectors[i] for i in ids]) if ids else np.zeros((0, 0), dtype=np.float32)


class ChromaVectorStore:
    """One Chroma collection per embedder, in an embedded ``PersistentClient`` or on a Chroma server."""

    BATCH = 1000

    def __init__(self, collection: Any) -> None:
        self._collection = collection

    @classmethod
    def persistent(cls, path: Path, collection: str) -> ChromaVectorStore:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        path.mkdir(parents=True, exist_ok=True)
        client = chromadb.PersistentClient(path=str(path), settings=ChromaSettings(anonymized_telemetry=False))
        return cls(
            client.get_or_create_collection(
                collection, configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
            )
        )

    @classmethod
    def server(cls, url: str, collection: str) -> ChromaVectorStore:
        """A collection on a Chroma server (``chroma run``), shared by every replica."""
        from urllib.parse import urlparse

        import chromadb
        from chromadb.config import Settings as ChromaSettings

        parsed = urlparse(url)
        client = chromadb.HttpClient(
            host=parsed.hostname or "127.0.0.1",
            port=parsed.port or (443 if parsed.scheme == "https" else 8000),
            ssl=parsed.scheme == "https",
            settings=ChromaSettings(anonymized_telemetry=False),
        )
        return cls(
            client.get_or_create_collection(
                collection, configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
            )
        )

    def ids(self) -> set[str]:
        out: set[str] = set()
        offset = 0
        while True:
            got = self._collection.get(include=[], limit=5000, offset=offset)["ids"]
            out.update(got)
            if len(got) < 5000:
                return out
            offset += len(got)

    def upsert(self, chunks: Sequence[Chunk], vectors: Vectors) -> None:
        for start in range(0, len(chunks), self.BATCH):
            part = chunks[start : start + self.BATCH]
            self._collection.upsert(
                ids=[c.chunk_id for c in part],
                embeddings=np.asarray(vectors[start : start + self.BATCH], dtype=np.float32),
                metadatas=[chroma_metadata(c) for c in part],
            )

    def delete(self, ids: Sequence[str]) -> None:
        ids = list(ids)
        for start in range(0, len(ids), self.BATCH):
            self._collection.delete(ids=ids[start : start + self.BATCH])

    def vectors(self, ids: Sequence[str]) -> Vectors:
        found: dict[str, Vectors] = {}
        ids = list(ids)
        for start in range(0, len(ids), self.BATCH):
            got = self._collection.get(ids=ids[start : start + self.BATCH], include=["embeddings"])
            found.update(zip(got["ids"], np.asarray(got["embeddings"], dtype=np.float32), strict=True))
        if not ids:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([found[i] for i in ids])

    def query(self, vector: Vectors, n: int, where: SearchFilter | None = None) -> list[tuple[str, float]]:
        clause = where.to_chroma_where() if where is not None else None
        result = self._collection.query(
            query_embeddings=[np.asarray(vector, dtype=np.float32)],
            n_results=n,
            where=clause,
            include=["distances"],
        )
        ids = result["ids"][0]
        distances = result["distances"][0] if result["distances"] else [0.0] * len(ids)
        return [(i, 1.0 - float(d)) for i, d in zip(ids, distances, strict=True)]
