"""Threads for work that may wait but must not slow a citizen's answer: argon2 verification of logins.

argon2 is memory-hard and runs its lanes in threads of its own (four by default), which on a small host took
the cores from the chat: a login flood, though throttled to 20 verifications a minute per address, verified
back to back and pushed a citizen's median answer time up 4-12x (docs/performance.md). These threads run at
the lowest CPU priority (nice 19; argon2's own lane threads inherit it), so the scheduler gives hashing only
the CPU that the chat leaves: a login under load is slower, a citizen's answer is not.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

log = logging.getLogger(__name__)
P = ParamSpec("P")
T = TypeVar("T")
LOWEST = 19


def lower_this_thread() -> None:
    """Nice 19 for the calling thread only (Linux keeps a nice value per thread); elsewhere, nothing."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), LOWEST)
    except (AttributeError, OSError) as exc:  # not Linux, or a sandbox that forbids it: still correct, not nicer
        log.warning("could not lower the hashing threads' priority: %s", exc)


class BackgroundPool:
    """``workers`` low-priority threads, started at the first call (nothing is created at import or at app
    build); the bound on concurrent verifications per process is ``workers``."""

    def __init__(self, workers: int, name: str) -> None:
        self._workers = workers
        self._name = name
        self._pool: ThreadPoolExecutor | None = None

    async def run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self._workers, thread_name_prefix=self._name, initializer=lower_this_thread)
        return await asyncio.get_running_loop().run_in_executor(self._pool, functools.partial(fn, *args, **kwargs))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
