"""Sessions on the store's engine, one at a time per process when the engine is SQLite.

SQLite has one writer. Threads that meet its lock wait in its busy handler, which sleeps in growing steps
(up to 100 ms) and polls: under load, writers slept while the lock lay free, answers queued behind them, and
a benchmark fell from 30 to 12 answers/s with most of the time spent in ``usleep`` (docs/performance.md).
Queueing on a lock in the process instead hands the database to the next thread the moment it is free.
PostgreSQL needs none of this.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker


class Sessions:
    def __init__(self, engine: Engine) -> None:
        self._maker = sessionmaker(engine, expire_on_commit=False)
        # Re-entrant: a thread that opens a session inside another must not wait for itself.
        self._lock = threading.RLock() if engine.dialect.name == "sqlite" else None

    def _turn(self) -> AbstractContextManager[object]:
        return self._lock if self._lock is not None else nullcontext()

    @contextmanager
    def __call__(self) -> Iterator[Session]:
        """A session for reading (or for writes the caller commits)."""
        with self._turn(), self._maker() as session:
            yield session

    @contextmanager
    def begin(self) -> Iterator[Session]:
        """A session in a transaction: committed when the block ends, rolled back if it raises."""
        with self._turn(), self._maker.begin() as session:
            yield session
