"""Hybrid retrieval: dense vectors and Korean BM25, fused per policy with weighted reciprocal rank fusion."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np
from threadpoolctl import ThreadpoolController

from counselor.errors import QueryError
from counselor.language import detect_language
from counselor.policies import Chunk, SearchHit
from counselor.retrieval.embedders import Embedder, Vectors
from counselor.retrieval.expansion import QueryExpander
from counselor.retrieval.filters import SearchFilter
from counselor.retrieval.index import LoadedIndex
from counselor.retrieval.keyword import KoreanTokenizer
from counselor.retrieval.query_text import NameIndex
from counselor.retrieval.regions import RegionDirectory
from counselor.settings import RetrievalSettings


@dataclass
class Rankings:
    """Chunk ids best first from each index, kept apart so evaluation can score each alone."""

    dense: list[tuple[str, float]] = field(default_factory=list)
    keyword: list[tuple[str, float]] = field(default_factory=list)
    english: list[tuple[str, float]] = field(default_factory=list)  # English summaries, English questions only
    titles: list[tuple[str, float]] = field(default_factory=list)  # chunks of policies the question names


def _policy_ranks(index: LoadedIndex, ranked: list[tuple[str, float]]) -> dict[str, tuple[int, str]]:
    """policy id -> (1-based rank among policies, its best chunk id)."""
    out: dict[str, tuple[int, str]] = {}
    for chunk_id, _ in ranked:
        policy = index.by_id[chunk_id].policy_id
        if policy not in out:
            out[policy] = (len(out) + 1, chunk_id)
    return out


def dense_query(text: str, expander: QueryExpander | None, mode: str) -> str:
    """The text whose vector dense search uses: the question, or for English (by default) the question with
    the glossary's Korean terms. The router reads the same vector (a cache hit for retrieval, not a second
    encoding)."""
    if expander is None or mode == "never":
        return text
    if mode == "always" or (mode == "english" and detect_language(text) == "en"):
        return expander.expand(text)
    return text


class HybridRetriever:
    OVERFETCH = 4
    ENGLISH_CANDIDATES = 20  # one English summary per policy: 20 policies deep is plenty

    def __init__(
        self,
        index: LoadedIndex,
        embedder: Embedder,
        tokenizer: KoreanTokenizer,
        settings: RetrievalSettings,
        expander: QueryExpander | None = None,
        regions: RegionDirectory | None = None,
    ) -> None:
        self.index = index
        self.expander = expander
        self.regions = regions
        self.embedder = embedder
        self.tokenizer = tokenizer
        self.settings = settings
        self._masks: dict[SearchFilter, Vectors] = {}
        self._matrix: Vectors | None = None
        self._names: tuple[NameIndex, dict[str, int]] | None = None
        self._blas = ThreadpoolController()
        self._blas_lock = threading.Lock()

    def check_query(self, query: str) -> str:
        text = query.strip()
        if not text:
            raise QueryError("the question is empty")
        if len(text) > self.settings.max_query_chars:
            raise QueryError(f"the question is longer than {self.settings.max_query_chars} characters")
        return text

    def _mask(self, where: SearchFilter) -> Vectors:
        if where not in self._masks:
            self._masks[where] = np.array([where.matches(c) for c in self.index.chunks], dtype=np.float32)
        return self._masks[where]

    def scope(self, question: str, where: SearchFilter | None) -> SearchFilter | None:
        """Without a known region, a place named in the question sets it; else national policies only
        (another city's programs would mislead), unless settings say to search everywhere."""
        where = where or SearchFilter()
        if not where.has_region:
            place = self.regions.detect(question) if self.regions else None
            if place is not None:
                where = where.model_copy(update={"sido": place.sido, "district": place.district})
            elif self.settings.unknown_region == "national":
                where = where.model_copy(update={"national_only": True})
        return None if where.is_empty else where

    def _dense(self, vector: Vectors, n: int, where: SearchFilter | None) -> list[tuple[str, float]]:
        """Exact cosine over the live vectors held in memory, up to ``exact_max_chunks``; beyond, the store's
        approximate search. Exact is cheap at a city's scale (4,000 chunks: under a millisecond) and Chroma's
        HNSW measured missing true best matches (a cosine of 0.92 absent from its top 240, down to 0.85) and
        answering differently from one process to the next."""
        if len(self.index.chunks) <= self.settings.exact_max_chunks:
            return self._exact(vector, n, where)
        live = self.index.by_id
        if where is None:
            return [(i, s) for i, s in self.index.vectors.query(vector, n, None) if i in live]
        # Chroma's filtered search is several times slower than a plain one: over-fetch, filter here.
        fetched = self.index.vectors.query(vector, n * self.OVERFETCH, None)
        kept = [(i, s) for i, s in fetched if i in live and where.matches(live[i])][:n]
        if len(kept) == n or len(fetched) < n * self.OVERFETCH:
            return kept
        return [(i, s) for i, s in self.index.vectors.query(vector, n, where) if i in live]

    def matrix(self) -> Vectors:
        """The live vectors in chunk order, fetched from the store once (4,000 x 384 floats: 6 MB)."""
        if self._matrix is None:
            self._matrix = self.index.vectors.vectors([c.chunk_id for c in self.index.chunks])
        return self._matrix

    def _exact(self, vector: Vectors, n: int, where: SearchFilter | None) -> list[tuple[str, float]]:
        # One BLAS thread: a 0.1 ms product gains nothing from more, and OpenBLAS threads left spinning
        # afterwards starve the embedder on 2 cores (measured: a search 6x slower). The lock: searches run
        # side by side, and two overlapping limits would restore each other's setting in the wrong order.
        with self._blas_lock, self._blas.limit(limits=1, user_api="blas"):
            sims = self.matrix() @ vector
        if where is not None:
            mask = self._mask(where)
            sims = np.where(mask > 0, sims, -np.inf)
            n = min(n, int(mask.sum()))
        n = min(n, len(sims))
        top = np.argpartition(-sims, n - 1)[:n] if 0 < n < len(sims) else np.arange(n)
        top = top[np.lexsort((top, -sims[top]))]  # best first; ties by chunk order, so results never drift
        return [(self.index.chunks[i].chunk_id, float(sims[i])) for i in top]

    def dense_query(self, text: str) -> str:
        return dense_query(text, self.expander, self.settings.expand_dense)

    def _named(self, text: str, where: SearchFilter | None) -> list[tuple[str, float]]:
        """The first chunk of each policy whose name the question spells out, longest name first; a name inside
        a longer one in the question loses to it (query_text.NameIndex)."""
        if self._names is None:
            first: dict[str, int] = {}
            for i, chunk in enumerate(self.index.chunks):
                first.setdefault(chunk.title, i)
            self._names = (NameIndex(first), first)
        names, first = self._names
        chunks = self.index.chunks
        kept = [(chunks[first[t]], float(len(t))) for t in names.matches(text)]
        ranked = [(c.chunk_id, n) for c, n in kept if where is None or where.matches(c)]
        return sorted(ranked, key=lambda item: -item[1])

    def rankings(self, query: str, where: SearchFilter | None = None) -> Rankings:
        text = self.check_query(query)
        n = self.settings.candidates
        where = self.scope(text, where)
        english = detect_language(text) == "en"
        expanded = self.expander.expand(text) if self.expander else text
        query_vector = self.embedder.embed_query(self.dense_query(text))
        rankings = Rankings(dense=self._dense(query_vector, n, where))
        if self.settings.title_weight > 0:
            rankings.titles = self._named(text, where)
        scores = self.index.keyword.scores(self.tokenizer.tokens(expanded), self._mask(where) if where else None)
        top = np.argpartition(-scores, min(n, len(scores) - 1))[:n] if len(scores) else np.array([], dtype=int)
        top = top[np.argsort(-scores[top])]
        rankings.keyword = [(self.index.keyword.chunk_ids[i], float(scores[i])) for i in top if scores[i] > 0]
        if english and self.settings.english_weight > 0:
            # English against English summaries is what a small multilingual model does best. The same
            # (expanded) vector serves: a second one for the bare question measured no better, 15 ms slower.
            only_english = (where or SearchFilter()).model_copy(update={"lang": "en"})
            rankings.english = self._dense(query_vector, self.ENGLISH_CANDIDATES, only_english)
        return rankings

    def fuse(self, rankings: Rankings, k: int) -> list[SearchHit]:
        s = self.settings
        dense = _policy_ranks(self.index, rankings.dense)
        keyword = _policy_ranks(self.index, rankings.keyword)
        english = _policy_ranks(self.index, rankings.english)
        named = _policy_ranks(self.index, rankings.titles)
        fused: dict[str, float] = {}
        lists = ((dense, s.dense_weight), (keyword, s.keyword_weight), (english, s.english_weight))
        for ranks, weight in (*lists, (named, s.title_weight)):
            for policy, (rank, _) in ranks.items():
                fused[policy] = fused.get(policy, 0.0) + weight / (s.rrf_k + rank)
        best = sorted(fused.items(), key=lambda item: -item[1])[:k]
        hits = []
        for policy, score in best:
            d, kw, en = dense.get(policy), keyword.get(policy), english.get(policy)
            # Show the chunk that the strongest of the rankings put first (a policy found by its title alone,
            # deep in a long list, has only that ranking).
            ranked = [r for r in (d, kw, en) if r is not None] or [named[policy]]
            chunk_id = min(ranked, key=lambda r: r[0])[1]
            hits.append(self._hit(self.index.by_id[chunk_id], score, d[0] if d else None, kw[0] if kw else None))
        return hits

    def search(self, query: str, k: int | None = None, where: SearchFilter | None = None) -> list[SearchHit]:
        return self.fuse(self.rankings(query, where), k or self.settings.k)

    @staticmethod
    def _hit(chunk: Chunk, score: float, dense_rank: int | None, keyword_rank: int | None) -> SearchHit:
        region = " ".join(p for p in (chunk.sido, chunk.district) if p) or "전국"
        return SearchHit(
            policy_id=chunk.policy_id,
            title=chunk.title,
            title_en=chunk.title_en,
            score=round(score, 6),
            section=chunk.section,
            text=chunk.text,
            source=chunk.source_path,
            url=chunk.url,
            region=region,
            dense_rank=dense_rank,
            keyword_rank=keyword_rank,
        )
