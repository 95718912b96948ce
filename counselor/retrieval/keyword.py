"""BM25 over Korean morphemes: kiwipiepy splits 기초연금을 into 기초 + 연금, which plain whitespace cannot."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import bm25s
import numpy as np

from counselor.morphology import kiwi
from counselor.retrieval.embedders import Vectors

# Content-bearing morphemes: nouns, numerals, foreign words, roots and verb/adjective stems.
KEPT_TAGS = ("NNG", "NNP", "NR", "SN", "SL", "SH", "XR", "VV", "VA")


class KoreanTokenizer:
    def __init__(self, cache: int = 10_000) -> None:
        self._kiwi: Any = kiwi()  # shared with the fact reader: one model loaded, and warmed, once
        # Questions repeat (see CachedQueries); analysing one again costs ~1.5 ms of the GIL per answer.
        self._cached = functools.lru_cache(maxsize=cache)(self._analyse)

    def tokens(self, text: str) -> list[str]:
        return list(self._cached(text))

    def _analyse(self, text: str) -> tuple[str, ...]:
        return tuple(t.form.lower() for t in self._kiwi.tokenize(text) if t.tag.split("-")[0] in KEPT_TAGS)

    def batch(self, texts: Sequence[str]) -> list[list[str]]:
        return [[t.form.lower() for t in r if t.tag.split("-")[0] in KEPT_TAGS] for r in self._kiwi.tokenize(texts)]


class KeywordIndex:
    """BM25 over a fixed list of chunk ids; rebuilt from scratch on every ingest (it takes seconds)."""

    def __init__(self, chunk_ids: list[str], model: Any) -> None:
        self.chunk_ids = chunk_ids
        self._model = model

    @classmethod
    def build(cls, chunk_ids: list[str], token_lists: list[list[str]]) -> KeywordIndex:
        # bm25s drops empty documents from its vocabulary; a placeholder keeps row numbers aligned.
        corpus = [tokens or ["∅"] for tokens in token_lists]
        model = bm25s.BM25(k1=1.2, b=0.75)
        model.index(_tokenized(corpus), show_progress=False)
        return cls(chunk_ids, model)

    def scores(self, query_tokens: list[str], mask: Vectors | None = None) -> Vectors:
        known = [t for t in query_tokens if t in self._model.vocab_dict]
        if not known:
            return np.zeros(len(self.chunk_ids), dtype=np.float32)
        scores = np.asarray(self._model.get_scores(known), dtype=np.float32)
        return scores * mask if mask is not None else scores


def _tokenized(corpus: list[list[str]]) -> bm25s.tokenization.Tokenized:
    vocab: dict[str, int] = {}
    ids = [[vocab.setdefault(tok, len(vocab)) for tok in doc] for doc in corpus]
    return bm25s.tokenization.Tokenized(ids=ids, vocab=vocab)
