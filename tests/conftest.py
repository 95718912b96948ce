"""Shared fixtures. Tests run offline and on the hashing embedder unless marked ``slow``."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from counselor.deps import Deps, build_deps
from counselor.settings import ChatSettings, Settings, get_settings

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

FIXTURES = Path(__file__).parent / "fixtures"
LLM_URL = "COUNSELOR_TEST_LLM_URL"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``llm`` talk to a real model server; without one they are skipped, saying how to get one."""
    if os.environ.get(LLM_URL):
        return
    skip = pytest.mark.skip(
        reason=f"no model server: set {LLM_URL} to an OpenAI-compatible base URL (http://127.0.0.1:PORT/v1); "
        "bench/setup_llm.sh installs llama.cpp's server and a small model"
    )
    for item in items:
        if "llm" in item.keywords:
            item.add_marker(skip)


PROJECT = Path(__file__).resolve().parent.parent


def policy_md(
    policy_id: str,
    title: str,
    body: str,
    *,
    level: str = "national",
    sido: str | None = None,
    district: str | None = None,
    life_stages: str = "[]",
    target_groups: str = "[]",
    eligibility: str = "",
) -> str:
    return textwrap.dedent(
        f"""\
        ---
        policy_id: {policy_id}
        title: {title}
        region:
          level: {level}
          sido: {sido or "null"}
          district: {district or "null"}
        life_stages: {life_stages}
        target_groups: {target_groups}
        {eligibility}
        ---
        # {title}

        """
    ) + textwrap.dedent(body)


@pytest.fixture
def write_policy(tmp_path: Path) -> Callable[..., Path]:
    root = tmp_path / "knowledge"

    def write(name: str, *args: str, **kwargs: str | None) -> Path:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(policy_md(*args, **kwargs), encoding="utf-8")  # type: ignore[arg-type]
        return path

    return write


def _policy(name: str, *args: str, **kwargs: str) -> tuple[str, tuple[str, ...], dict[str, str]]:
    return name, args, kwargs


SMALL_POLICIES = [
    _policy(
        "national/pension.md",
        "nat-pension",
        "기초연금제도",
        "## 대상\n\n만 65세 이상이며 소득인정액이 선정기준액 이하인 어르신\n\n"
        "## 내용\n\n월 최대 33만 4,810원까지 지원\n\n"
        "## 방법\n\n읍면동 주민센터(행정복지센터) 또는 국민연금공단 지사 방문 신청\n",
        life_stages="[old_age]",
        target_groups="[elderly]",
        eligibility="eligibility: [{fact: age, min: 65, source: 만 65세 이상}, "
        "{fact: income, of: basic_pension, max: 1.0, source: 소득인정액이 선정기준액 이하}]",
    ),
    _policy(
        "national/child.md",
        "nat-child",
        "아동수당",
        "## 대상\n\n만 8세 미만 모든 아동\n\n## 내용\n\n월 10만 원 지급\n",
        life_stages="[infancy, childhood]",
        target_groups="[child]",
        eligibility="eligibility: [{fact: child_age, below: 96, unit: months, source: 만 8세 미만 모든 아동}]",
    ),
    _policy(
        "local/gwangyang.md",
        "gy-birth",
        "광양시 기본출생수당",
        "## 대상\n\n광양시에 사는 18세 이하 아동\n\n## 내용\n\n매월 20만 원 지급\n",
        level="district",
        sido="전라남도",
        district="광양시",
        life_stages="[childhood]",
        target_groups="[child]",
    ),
    _policy(
        "local/goyang.md",
        "goyang-birth",
        "고양시 출산지원금",
        "## 대상\n\n고양시에 사는 셋째 이상 출산 가구\n\n## 내용\n\n최대 1,000만 원 지급\n",
        level="district",
        sido="경기도",
        district="고양시",
        life_stages="[pregnancy_birth]",
        target_groups="[multi_child]",
    ),
    _policy(
        "local/jeonnam.md",
        "jeonnam-energy",
        "전라남도 에너지 바우처 추가지원",
        "## 대상\n\n전라남도 저소득 가구\n\n## 내용\n\n난방비 추가 지원\n",
        level="sido",
        sido="전라남도",
        target_groups="[low_income]",
    ),
]


@pytest.fixture
def small_knowledge(tmp_path: Path, write_policy: Callable[..., Path]) -> Path:
    for name, args, kwargs in SMALL_POLICIES:
        write_policy(name, *args, **kwargs)
    return tmp_path / "knowledge"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "data"
    monkeypatch.setenv("COUNSELOR_DATA_DIR", str(path))
    monkeypatch.setenv("COUNSELOR_EMBEDDER", "hashing")
    return path


@pytest.fixture(scope="session")
def small_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One index of the small knowledge for the whole session (read-only: tests that change knowledge
    build their own). Hashing embedder, so no model is loaded."""
    from counselor.retrieval.embedders import HashingEmbedder
    from ingestion.indexer import ingest

    root = tmp_path_factory.mktemp("small-index")
    knowledge = root / "knowledge"
    for name, args, kwargs in SMALL_POLICIES:
        path = knowledge / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(policy_md(*args, **kwargs), encoding="utf-8")
    data = root / "data"
    ingest([knowledge], data / "index", data / "cache" / "e.sqlite", HashingEmbedder())
    return data


@pytest.fixture
def indexed_settings(small_index: Path, tmp_path: Path) -> Settings:
    """Settings over the shared small index, extractive answerer, a database of the test's own."""
    return get_settings(
        data_dir=small_index,
        embedder="hashing",
        embedding_snapshots=None,
        llm="extractive",
        database_url=f"sqlite:///{tmp_path / 'counselor.sqlite3'}",
        chat=ChatSettings(confidence_threshold=0.3),
    )


@pytest.fixture(scope="session")
def small_index_parts(small_index: Path) -> tuple[Any, Any]:
    """The loaded small index and the Korean tokenizer, loaded once: each takes a second or two."""
    from counselor.retrieval.index import open_index
    from counselor.retrieval.keyword import KoreanTokenizer

    return open_index(small_index / "index", "hashing-256"), KoreanTokenizer()


@pytest.fixture
def make_deps(indexed_settings: Settings, small_index_parts: tuple[Any, Any]) -> Callable[..., Deps]:
    """Deps over the shared small index; ``settings`` and ``chat_model`` as in ``build_deps``."""

    def make(settings: Settings | None = None, chat_model: Any = None) -> Deps:
        index, tokenizer = small_index_parts
        return build_deps(settings or indexed_settings, chat_model=chat_model, index=index, tokenizer=tokenizer)

    return make
