"""One Korean morphological analyser (Kiwi) for the process, shared by the keyword search and the fact
reader. Each Kiwi instance loads its model at its first analysis (9 s on a busy 2-core host) and holds it in
memory: two instances paid that twice, the second time on the first search after a start."""

from __future__ import annotations

from functools import cache
from typing import Any


@cache
def kiwi() -> Any:
    from kiwipiepy import Kiwi

    return Kiwi()
