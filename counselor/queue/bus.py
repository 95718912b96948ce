"""Events between connections: a citizen's socket, the consoles, the chat service.

Topics: ``queue`` (every console: tickets created or changed), ``citizen:<conversation>`` (what the citizen's
socket must show: a caseworker's message, joined, returned, resolved) and ``case:<conversation>`` (consoles
watching that case: the citizen's new messages). Events are JSON-ready dicts, so a Redis bus (issue #7) can
carry the same thing between replicas.
"""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Protocol

Event = dict[str, Any]


class Subscription(Protocol):
    async def add(self, topic: str) -> None: ...

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

    async def add(self, topic: str) -> None:
        self._add(topic)

    def _add(self, topic: str) -> None:
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
            sub._add(topic)
        try:
            yield sub
        finally:
            for topic in sub.topics:
                self._subscribers[topic].discard(sub)
                if not self._subscribers[topic]:
                    del self._subscribers[topic]


class _RedisSubscription:
    def __init__(self, pubsub: Any, prefix: str) -> None:
        self.pubsub = pubsub
        self.prefix = prefix
        self.topics: set[str] = set()

    async def add(self, topic: str) -> None:
        self.topics.add(topic)
        await self.pubsub.subscribe(self.prefix + topic)

    async def get(self) -> Event:
        while True:
            message = await self.pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
            if message is not None and message.get("type") == "message":
                event: Event = json.loads(message["data"])
                return event


class RedisBus:
    """Between replicas: every event goes through Redis pub/sub under ``prefix`` + topic, so a caseworker on
    one replica reaches a citizen connected to another. Delivery is at most once, like the in-process bus:
    what a socket misses while disconnected it replays from the store, which is the record."""

    def __init__(self, url: str, prefix: str = "counselor:") -> None:
        import redis.asyncio as redis

        self._redis = redis.Redis.from_url(url)
        self.prefix = prefix

    async def publish(self, topic: str, event: Event) -> None:
        await self._redis.publish(self.prefix + topic, json.dumps(event, ensure_ascii=False, default=str))

    @asynccontextmanager
    async def subscribe(self, *topics: str) -> AsyncIterator[_RedisSubscription]:
        pubsub = self._redis.pubsub()
        sub = _RedisSubscription(pubsub, self.prefix)
        try:
            for topic in topics:
                await sub.add(topic)
            yield sub
        finally:
            await pubsub.aclose()  # type: ignore[no-untyped-call]

    async def ping(self) -> None:
        await self._redis.ping()

    async def close(self) -> None:
        await self._redis.aclose()
