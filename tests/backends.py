"""Backends the contract tests run against: SQLite always; PostgreSQL and Redis on 127.0.0.1 when they answer
(each test in its own schema or key prefix, cleaned up). COUNSELOR_REQUIRE_SERVICES=1 turns "not reachable"
from a skip into a failure, for machines that must have them."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

POSTGRES = os.environ.get("COUNSELOR_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
REDIS = os.environ.get("COUNSELOR_TEST_REDIS", "redis://127.0.0.1:6379/0")


def unavailable(what: str, why: object) -> None:
    if os.environ.get("COUNSELOR_REQUIRE_SERVICES"):
        pytest.fail(f"{what} is required here (COUNSELOR_REQUIRE_SERVICES) but not reachable: {why}")
    pytest.skip(f"{what} not reachable: {why}")


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A database URL whose search_path is a fresh schema, dropped afterwards."""
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    try:
        with psycopg.connect(POSTGRES, autocommit=True, connect_timeout=3) as db:
            db.execute(f'CREATE SCHEMA "{schema}"')
    except psycopg.OperationalError as exc:
        unavailable("PostgreSQL", exc)
    separator = "&" if "?" in POSTGRES else "?"
    try:
        yield f"{POSTGRES}{separator}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(POSTGRES, autocommit=True) as db:
            db.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def redis_prefix() -> str:
    import redis

    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        unavailable("Redis", exc)
    return f"t{uuid.uuid4().hex[:12]}:"


@contextmanager
def chroma_server(path: str) -> Iterator[str]:
    """A `chroma run` server on a free loopback port, stopped afterwards."""
    import shutil
    import subprocess
    import sys
    import time
    from pathlib import Path

    import httpx

    from counselor.testing.fake_llm import free_port

    binary = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = free_port()
    try:
        proc = subprocess.Popen(
            [binary, "run", "--path", path, "--host", "127.0.0.1", "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    except OSError as exc:
        unavailable("a Chroma server (chroma run)", exc)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                unavailable("a Chroma server (chroma run)", "it did not start")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
