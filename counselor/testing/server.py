"""A real ``counselor serve`` process on a loopback port, for tests that kill it and start it again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from counselor.testing.fake_llm import free_port


class Server:
    def __init__(
        self, data_dir: Path, db: str | None = None, env: dict[str, str] | None = None, log: Path | None = None
    ) -> None:
        """``log``: a file that receives everything the server writes (stdout and stderr), for tests that read
        the logs; without it stdout is dropped."""
        self.log = log
        self.port = free_port()
        self.data_dir = data_dir
        self.db = db or f"sqlite:///{data_dir / 'counselor.sqlite3'}"
        self.env = env or {}
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/chat"

    def start(self) -> None:
        env = {
            **os.environ,
            "COUNSELOR_DATA_DIR": str(self.data_dir),
            "COUNSELOR_EMBEDDER": "hashing",
            "COUNSELOR_EMBEDDING_SNAPSHOTS": "",
            "COUNSELOR_LLM": "extractive",
            "COUNSELOR_DATABASE_URL": self.db,
            "COUNSELOR_CHAT__CONFIDENCE_THRESHOLD": "0.3",
            **self.env,
        }
        command = [sys.executable, "-m", "counselor.cli.main", "serve", "--no-ingest", "--port", str(self.port)]
        if self.log is not None:
            with self.log.open("ab") as sink:
                self.proc = subprocess.Popen(command, env=env, stdout=sink, stderr=subprocess.STDOUT)
        else:
            self.proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        # Loading the index and the morphology took 37 s on 2 cores shared by several test runs.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.proc.stderr.read().decode() if self.proc.stderr else ''}")
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/readyz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.proc.kill()  # a server that never became ready must not outlive the test that started it
        self.proc.wait()
        raise RuntimeError("server did not become ready")

    def api(self, method: str, path: str, token: str | None = None, **body: object) -> httpx.Response:
        """A call to the caseworkers' HTTP API, as a caseworker with ``token``."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        url = f"http://127.0.0.1:{self.port}{path}"
        return httpx.request(method, url, headers=headers, json=body or None, timeout=10)

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
