"""Events between connections: a citizen's socket, the consoles, the chat service.

Topics: ``queue`` (every console: tickets created or changed), ``citizen:<conversation>`` (what the citizen's
socket must show: a caseworker's message, joined, returned, resolved) and ``case:<conversation>`` (consoles
watching that case: the citizen's new messages). Events are JSON-ready dicts, so a Redis bus (issue #7) can
carry the same thing between replicas.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Protocol

Event = dict[str, Any]


class Subscription(Protocol):
    def add(self, topic: str) -> None: ...

    async def get(self) -> Event: ...


class EventBus(Protocol):
    async def publish(self, topic: str, event: Event) -> None: ...

    def subscribe(self, *topics: str) -> Any:  # an async context manager yielding a Subscription
        ...


class _Queue:
    def __init__(self, bus: InProcessBus) -> None:
        self.bus = bus
        self.topics: set[str] = set()
        self.queue: asyncio.Queue[Event] = asyncio.Queue(maxsize=1000)

    def add(self, topic: str) -> None:
        self.topics.add(topic)
        self.bus._subscribers[topic].add(self)

    async def get(self) -> Event:
        return await self.queue.get()


class InProcessBus:
    """One process: every subscriber gets its own queue. A subscriber too slow to keep 1,000 events is
    dropped from nothing: the oldest event is, and it catches up from the store on reconnect."""

    def __init__(self) -> None:
        self._subscribers: dict[str, set[_Queue]] = defaultdict(set)

    async def publish(self, topic: str, event: Event) -> None:
        for sub in list(self._subscribers.get(topic, ())):
            if sub.queue.full():
                sub.queue.get_nowait()
            sub.queue.put_nowait(event)

    @asynccontextmanager
    async def subscribe(self, *topics: str) -> AsyncIterator[_Queue]:
        sub = _Queue(self)
        for topic in topics:
            sub.add(topic)
        try:
            yield sub
        finally:
            for topic in sub.topics:
                self._subscribers[topic].discard(sub)
                if not self._subscribers[topic]:
                    del self._subscribers[topic]
