"""Which package may import which: the caseworkers' queue never imports the citizen's chat (the chat imports the
queue to publish tickets), so the frames both speak live in counselor/shared_frames.py."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "counselor"


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_the_queue_does_not_import_the_chat() -> None:
    offending = {
        f"{path.relative_to(PACKAGE)}: {module}"
        for path in (PACKAGE / "queue").rglob("*.py")
        for module in _imports(path)
        if module == "counselor.chat" or module.startswith("counselor.chat.")
    }
    assert not offending


def test_shared_frames_import_neither_side() -> None:
    modules = _imports(PACKAGE / "shared_frames.py")
    assert not {m for m in modules if m.startswith(("counselor.chat", "counselor.queue"))}
