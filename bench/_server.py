"""A `counselor serve` process for benchmarks: the real index under var/, settings from ``env``."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import httpx

from counselor.testing.fake_llm import free_port


def start_server(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    command = [sys.executable, "-m", "counselor.cli.main", "serve", "--no-ingest", "--port", str(port)]
    # Benches play many citizens from one loopback address: the per-address limits (docs/security.md) would
    # measure the throttle, not the service. bench.flood sets them back where it tests them.
    unthrottled = {
        "COUNSELOR_WEB__MESSAGES_PER_ADDRESS": "1000000 per second",
        "COUNSELOR_WEB__CONNECT_PER_ADDRESS": "1000000 per second",
    }
    settings = {**os.environ, "HF_HUB_OFFLINE": "1", "COUNSELOR_LLM": "extractive", **unthrottled, **env}
    proc = subprocess.Popen(command, env=settings, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return wait_ready(proc, port, 1200), port


def wait_ready(proc: subprocess.Popen[bytes], port: int, tries: int) -> subprocess.Popen[bytes]:
    """The server once /readyz answers 200 (every 0.1 s, ``tries`` times); killed if it never does."""
    for _ in range(tries):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("server did not become ready")
