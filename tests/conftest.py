"""Shared fixtures. Tests run offline and on the hashing embedder unless marked ``slow``."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

FIXTURES = Path(__file__).parent / "fixtures"
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


@pytest.fixture
def small_knowledge(tmp_path: Path, write_policy: Callable[..., Path]) -> Path:
    write_policy(
        "national/pension.md",
        "nat-pension",
        "기초연금제도",
        "## 대상\n\n만 65세 이상이며 소득인정액이 선정기준액 이하인 어르신\n\n"
        "## 내용\n\n월 최대 33만 4,810원까지 지원\n\n"
        "## 방법\n\n읍면동 주민센터(행정복지센터) 또는 국민연금공단 지사 방문 신청\n",
        life_stages="[old_age]",
        target_groups="[elderly]",
    )
    write_policy(
        "national/child.md",
        "nat-child",
        "아동수당",
        "## 대상\n\n만 8세 미만 모든 아동\n\n## 내용\n\n월 10만 원 지급\n",
        life_stages="[infancy, childhood]",
        target_groups="[child]",
    )
    write_policy(
        "local/gwangyang.md",
        "gy-birth",
        "광양시 기본출생수당",
        "## 대상\n\n광양시에 사는 18세 이하 아동\n\n## 내용\n\n매월 20만 원 지급\n",
        level="district",
        sido="전라남도",
        district="광양시",
        life_stages="[childhood]",
        target_groups="[child]",
    )
    write_policy(
        "local/goyang.md",
        "goyang-birth",
        "고양시 출산지원금",
        "## 대상\n\n고양시에 사는 셋째 이상 출산 가구\n\n## 내용\n\n최대 1,000만 원 지급\n",
        level="district",
        sido="경기도",
        district="고양시",
        life_stages="[pregnancy_birth]",
        target_groups="[multi_child]",
    )
    write_policy(
        "local/jeonnam.md",
        "jeonnam-energy",
        "전라남도 에너지 바우처 추가지원",
        "## 대상\n\n전라남도 저소득 가구\n\n## 내용\n\n난방비 추가 지원\n",
        level="sido",
        sido="전라남도",
        target_groups="[low_income]",
    )
    return tmp_path / "knowledge"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "data"
    monkeypatch.setenv("COUNSELOR_DATA_DIR", str(path))
    monkeypatch.setenv("COUNSELOR_EMBEDDER", "hashing")
    return path
