"""One contract, every VectorStore implementation."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from counselor.policies import Chunk
from counselor.retrieval.filters import SearchFilter
from counselor.retrieval.vector_store import ChromaVectorStore, InMemoryVectorStore, VectorStore
from tests.backends import chroma_server


def chunk(
    i: str,
    level: str = "national",
    sido: str | None = None,
    district: str | None = None,
    stages: tuple[str, ...] = (),
) -> Chunk:
    return Chunk(
        chunk_id=i,
        policy_id=f"p-{i}",
        title=i,
        section="대상",
        text=i,
        source_path="x.md",
        region_level=level,
        sido=sido,
        district=district,
        life_stages=stages,
    )


STORES: dict[str, Callable[[Path], VectorStore]] = {
    "memory": lambda _: InMemoryVectorStore(),
    "chroma": lambda tmp: ChromaVectorStore.persistent(tmp / "chroma", "contract-test"),
}


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with chroma_server(str(tmp_path_factory.mktemp("chroma-server"))) as url:
        yield url


@pytest.fixture(params=[*sorted(STORES), "chroma_server"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> VectorStore:
    if request.param == "chroma_server":
        url = request.getfixturevalue("chroma_url")
        return ChromaVectorStore.server(url, f"contract-{uuid.uuid4().hex[:10]}")
    return STORES[request.param](tmp_path)


def unit(*xs: float) -> np.ndarray:
    v = np.array(xs, dtype=np.float32)
    return v / np.linalg.norm(v)


def test_upsert_query_delete(store: VectorStore) -> None:
    chunks = [chunk("a"), chunk("b"), chunk("c")]
    store.upsert(chunks, np.stack([unit(1, 0, 0), unit(0, 1, 0), unit(1, 1, 0)]))
    assert store.ids() == {"a", "b", "c"}
    hits = store.query(unit(1, 0.1, 0), 2)
    assert [h[0] for h in hits] == ["a", "c"]
    assert hits[0][1] == pytest.approx(float(unit(1, 0.1, 0) @ unit(1, 0, 0)), abs=1e-4)
    store.upsert([chunk("a")], np.stack([unit(0, 0, 1)]))  # replace
    assert store.query(unit(0, 0, 1), 1)[0][0] == "a"
    store.delete(["a", "missing"])
    assert store.ids() == {"b", "c"}


def test_region_and_life_stage_filters(store: VectorStore) -> None:
    chunks = [
        chunk("nat"),
        chunk("gwangyang", "district", "전라남도", "광양시", ("childhood",)),
        chunk("jeonnam", "sido", "전라남도"),
        chunk("goyang", "district", "경기도", "고양시", ("childhood",)),
    ]
    store.upsert(chunks, np.stack([unit(1, 0, 0)] * 4))
    gy = {h[0] for h in store.query(unit(1, 0, 0), 10, SearchFilter(sido="전라남도", district="광양시"))}
    assert gy == {"nat", "gwangyang", "jeonnam"}
    jn = {h[0] for h in store.query(unit(1, 0, 0), 10, SearchFilter(sido="전라남도"))}
    assert jn == {"nat", "gwangyang", "jeonnam"}
    child = {h[0] for h in store.query(unit(1, 0, 0), 10, SearchFilter(life_stage="childhood"))}
    assert child == {"gwangyang", "goyang"}
    only = {h[0] for h in store.query(unit(1, 0, 0), 10, SearchFilter(national_only=True))}
    assert only == {"nat"}


def test_filter_semantics_match_between_memory_and_where_clause() -> None:
    """SearchFilter.matches (memory, BM25 mask) and to_chroma_where (Chroma) must agree."""
    f = SearchFilter(sido="경기도", district="고양시", target_group="multi_child")
    assert f.to_chroma_where() == {
        "$and": [
            {
                "$or": [
                    {"region_level": "national"},
                    {
                        "$and": [
                            {"sido": "경기도"},
                            {"$or": [{"region_level": "sido"}, {"district": "고양시"}]},
                        ]
                    },
                ]
            },
            {"tg_multi_child": True},
        ]
    }
    assert SearchFilter().to_chroma_where() is None


def test_stored_vectors_come_back_in_the_order_asked(store: VectorStore) -> None:
    chunks = [chunk(f"v{n}") for n in range(3)]
    vectors = np.eye(3, 8, dtype=np.float32)
    store.upsert(chunks, vectors)
    got = store.vectors(["v2", "v0"])
    assert np.allclose(got, vectors[[2, 0]])
