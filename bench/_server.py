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
    for _ in range(1200):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return proc, port
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("server did not become ready")
