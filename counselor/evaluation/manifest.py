"""What a run was run on: enough to tell two runs apart and to run one again."""

from __future__ import annotations

import hashlib
import platform
import subprocess
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from pydantic import BaseModel, Field, JsonValue

from counselor.settings import PROJECT_ROOT, Settings


class Manifest(BaseModel):
    project_version: str
    git_commit: str | None
    git_dirty: bool | None
    knowledge_hash: str
    answerer: str
    judge: str | None = None
    judge_repeats: int = 0
    embedder: str
    confidence_threshold: float
    suites: list[str]
    datasets: dict[str, str] = Field(description="path -> sha256 of its bytes")
    settings: dict[str, JsonValue]
    concurrency: int
    python: str
    machine: str
    started_at: str
    finished_at: str | None = None


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def knowledge_hash(dirs: list[Path]) -> str:
    """One hash over every knowledge file's path and bytes: two runs on the same knowledge share it."""
    digest = hashlib.sha256()
    for root in dirs:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def _git(*args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def _project_version() -> str:
    try:
        return version("counselor")
    except PackageNotFoundError:
        return "unknown"


def build_manifest(
    settings: Settings, answerer: str, suites: list[str], datasets: list[Path], concurrency: int, embedder: str
) -> Manifest:
    status = _git("status", "--porcelain", "--untracked-files=no")
    return Manifest(
        project_version=_project_version(),
        git_commit=_git("rev-parse", "HEAD"),
        git_dirty=None if status is None else bool(status),
        knowledge_hash=knowledge_hash(settings.knowledge_dirs),
        answerer=answerer,
        embedder=embedder,
        confidence_threshold=settings.chat.confidence_threshold,
        suites=suites,
        datasets={str(p): sha256_file(p) for p in datasets},
        # Secrets stay out: pydantic's SecretStr dumps as '**********'.
        settings=settings.model_dump(mode="json"),
        concurrency=concurrency,
        python=platform.python_version(),
        machine=f"{platform.machine()}, {platform.system()}, {_cpu_count()} cores",
        started_at=now(),
    )


def _cpu_count() -> int:
    import os

    return os.cpu_count() or 1
