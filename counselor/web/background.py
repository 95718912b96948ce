"""Threads for work that may wait but must not slow a citizen's answer: argon2 verification of logins.

argon2 is memory-hard and runs its lanes in threads of its own (four by default), which on a small host took
the cores from the chat: a login flood, though throttled to 20 verifications a minute per address, verified
back to back and pushed a citizen's median answer time up 4-12x (docs/performance.md). These threads run at
a lower CPU priority (``COUNSELOR_WEB__LOGIN_NICE``, 10; argon2's own lane threads inherit it): competing with
the chat, hashing gets about a tenth of a core's time, so a login under load is slower and a citizen's answer
is not. Not 19: at 19 (1.5% of a core against one busy thread) a login on a busy host waited past 30 s.
Logins waiting for a thread are bounded too: past ``COUNSELOR_WEB__LOGIN_WAITING`` the pool refuses at once
(503), so a flood from many addresses cannot pile up requests behind the hashing.
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


class Busy(Exception):
    """More work waiting than the pool accepts."""


def lower_this_thread(nice: int) -> None:
    """``nice`` for the calling thread only (Linux keeps a nice value per thread); elsewhere, nothing."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), nice)
    except (AttributeError, OSError) as exc:  # not Linux, or a sandbox that forbids it: still correct, not nicer
        log.warning("could not lower the hashing threads' priority: %s", exc)


class BackgroundPool:
    """``workers`` threads at ``nice``, started at the first call (nothing is created at import or at app
    build); at most ``workers`` calls run at once and ``waiting`` more wait, the rest raise Busy."""

    def __init__(self, workers: int, waiting: int, nice: int, name: str) -> None:
        self._workers, self._waiting, self._nice, self._name = workers, waiting, nice, name
        self._pending = 0
        self._pool: ThreadPoolExecutor | None = None

    async def run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        if self._pending >= self._workers + self._waiting:
            raise Busy(f"{self._pending} {self._name} calls running or waiting")
        if self._pool is None:
            self._pool = ThreadPoolExecutor(
                self._workers, thread_name_prefix=self._name, initializer=lower_this_thread, initargs=(self._nice,)
            )
        self._pending += 1  # only the event loop's thread counts: no lock needed
        try:
            return await asyncio.get_running_loop().run_in_executor(self._pool, functools.partial(fn, *args, **kwargs))
        finally:
            self._pending -= 1

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
