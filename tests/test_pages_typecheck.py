"""The pages' scripts type-check: each starts with ``// @ts-check`` and tsc (TypeScript 5, through npx) checks them
with the JSDoc types they carry (tsconfig.json; the chat page on its own, tsconfig.chat.json). Skipped, saying
why, where there is no npx or the npm registry cannot be reached."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted((PROJECT / "counselor" / "web" / "static").glob("*.js"))
OFFLINE = re.compile(r"ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNREFUSED|ECONNRESET|ENETUNREACH|network|offline", re.I)


def test_every_script_asks_to_be_checked() -> None:
    assert SCRIPTS
    assert [s.name for s in SCRIPTS if not s.read_text(encoding="utf-8").startswith("// @ts-check\n")] == []


@pytest.mark.parametrize("config", ["tsconfig.json", "tsconfig.chat.json"])
def test_the_scripts_type_check(config: str) -> None:
    npx = shutil.which("npx")
    if npx is None:
        pytest.skip("npx is not on PATH: install Node.js to type-check the pages' scripts")
    command = [npx, "-y", "-p", "typescript@5", "tsc", "-p", config]
    try:
        done = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True, timeout=300, check=False)
    except subprocess.TimeoutExpired:
        pytest.skip("npx took over 300 s to fetch or run typescript@5 (is the npm registry reachable?)")
    output = done.stdout + done.stderr
    if done.returncode != 0 and "error TS" not in output and OFFLINE.search(output):
        pytest.skip(f"the npm registry is not reachable, so typescript@5 cannot be fetched: {output.strip()[:200]}")
    assert done.returncode == 0, output
