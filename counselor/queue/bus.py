"""Events between connections: a citizen's socket, the consoles, the chat service.

Topics: ``queue`` (every console: tickets created or changed), ``citizen:<conversation>`` (what the citizen's
socket must show: a caseworker's message, joined, returned, resolved) and ``case:<conversation>`` (consoles
watching that case: the citizen's new messages).

Two layers: a transport (``InProcessBus``, or ``RedisBus`` between replicas) carries JSON objects and never
looks inside them; ``EventBus`` over it takes and hands out the typed events of counselor/queue/events.py,
dumped and read through their one adapter, so both transports carry exactly the same thing.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, Protocol

from pydantic import JsonValue, ValidationError

from counselor.queue.events import EVENTS, AnyBusEvent

log = logging.getLogger(__name__)
Event = dict[str, JsonValue]  # what a transport carries: one event as a JSON object


class RawSubscription(Protocol):
    async def add(self, topic: str) -> None: ...

    async def get(self) -> Event: ...


class Transport(Protocol):
    async def publish(self, topic: str, event: Event) -> None: ...

    def subscribe(self, *topics: str) -> AbstractAsyncContextManager[RawSubscription]: ...


class Subscription:
    """A transport's subscription, handing out typed events."""

    def __init__(self, raw: RawSubscription) -> None:
        self.raw = raw

    async def add(self, topic: str) -> None:
        await self.raw.add(topic)

    async def get(self) -> AnyBusEvent:
        while True:
            data = await self.raw.get()
            try:
                return EVENTS.validate_python(data)
            except ValidationError:  # a replica of another version, say: no socket could show it
                log.warning("an event of no known shape was dropped: %s", str(data.get("type"))[:40])


class EventBus:
    """What services publish and sockets subscribe to: typed events over a transport."""

    def __init__(self, transport: Transport) -> None:
        self.transport = transport

    async def publish(self, topic: str, event: AnyBusEvent) -> None:
        await self.transport.publish(topic, EVENTS.dump_python(event, mode="json"))

    @asynccontextmanager
    async def subscribe(self, *topics: str) -> AsyncIterator[Subscription]:
        async with self.transport.subscribe(*topics) as raw:
            yield Subscription(raw)


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


class _SharedSubscription:
    """A local queue whose topics are also subscribed on the replica's one Redis connection."""

    def __init__(self, bus: RedisBus, queue: _Queue) -> None:
        self.bus = bus
        self.queue = queue

    async def add(self, topic: str) -> None:
        await self.bus._retain(topic)
        self.queue._add(topic)

    async def get(self) -> Event:
        return await self.queue.get()


class RedisBus:
    """Between replicas: events go through Redis pub/sub under ``prefix`` + topic, so a caseworker on one
    replica reaches a citizen connected to another. Each replica holds ONE Redis subscriber connection for all
    its sockets (a connection per socket runs out at the pool's limit long before 1,000 citizens) and fans
    events out to local queues. Delivery is at most once, like the in-process bus: what a socket misses while
    disconnected it replays from the store, which is the record."""

    def __init__(self, url: str, prefix: str = "counselor:") -> None:
        import redis.asyncio as redis

        self._redis = redis.Redis.from_url(url)
        self.prefix = prefix
        self._local = InProcessBus()
        self._pubsub: Any = None
        self._reader: asyncio.Task[None] | None = None
        self._counts: dict[str, int] = defaultdict(int)
        self._lock = asyncio.Lock()

    async def publish(self, topic: str, event: Event) -> None:
        await self._redis.publish(self.prefix + topic, json.dumps(event, ensure_ascii=False, default=str))

    async def _retain(self, topic: str) -> None:
        async with self._lock:
            if self._pubsub is None:
                self._pubsub = self._redis.pubsub()
            if self._counts[topic] == 0:
                await self._pubsub.subscribe(self.prefix + topic)
            self._counts[topic] += 1
            if self._reader is None or self._reader.done():
                self._reader = asyncio.create_task(self._read())

    async def _release(self, topic: str) -> None:
        async with self._lock:
            self._counts[topic] -= 1
            if self._counts[topic] <= 0:
                del self._counts[topic]
                await self._pubsub.unsubscribe(self.prefix + topic)

    async def _read(self) -> None:
        while True:
            try:
                message = await self._pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
            except (ConnectionError, OSError, RuntimeError):
                await asyncio.sleep(0.5)  # Redis restarting: the store has the record; keep trying
                continue
            if message is None or message.get("type") != "message":
                continue
            channel = message["channel"].decode() if isinstance(message["channel"], bytes) else message["channel"]
            await self._local.publish(channel.removeprefix(self.prefix), json.loads(message["data"]))

    @asynccontextmanager
    async def subscribe(self, *topics: str) -> AsyncIterator[_SharedSubscription]:
        async with self._local.subscribe() as queue:
            sub = _SharedSubscription(self, queue)
            try:
                for topic in topics:
                    await sub.add(topic)
                yield sub
            finally:
                for topic in list(queue.topics):
                    await self._release(topic)

    async def ping(self) -> None:
        await self._redis.ping()

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
        if self._pubsub is not None:
            await self._pubsub.aclose()
        await self._redis.aclose()
