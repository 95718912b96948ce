"""One contract for the event bus, run against the in-process bus and Redis pub/sub."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from counselor.queue.bus import EventBus, InProcessBus, RedisBus
from tests.backends import REDIS, redis_prefix

BusFactory = Callable[[], EventBus]


@pytest.fixture(params=["in_process", "redis"])
def buses(request: pytest.FixtureRequest) -> BusFactory:
    """A factory of buses that share one broker: two calls are two replicas."""
    if request.param == "in_process":
        shared = InProcessBus()
        return lambda: shared
    prefix = redis_prefix()
    return lambda: RedisBus(REDIS, prefix)


async def next_event(sub: object, timeout: float = 5.0) -> dict[str, object]:
    return await asyncio.wait_for(sub.get(), timeout)  # type: ignore[attr-defined, no-any-return]


async def settle() -> None:
    await asyncio.sleep(0.1)  # Redis subscriptions take effect asynchronously


def run(coro: object) -> None:
    asyncio.run(coro)  # type: ignore[arg-type]


def test_events_reach_subscribers_of_their_topic_in_order(buses: BusFactory) -> None:
    async def go() -> None:
        bus = buses()
        async with bus.subscribe("queue") as queue, bus.subscribe("citizen:a") as citizen:
            await settle()
            for n in range(5):
                await bus.publish("queue", {"n": n})
            await bus.publish("citizen:a", {"text": "안녕하세요"})
            assert [(await next_event(queue))["n"] for _ in range(5)] == [0, 1, 2, 3, 4]
            assert await next_event(citizen) == {"text": "안녕하세요"}

    run(go())


def test_a_topic_added_later_and_one_replica_to_another(buses: BusFactory) -> None:
    async def go() -> None:
        replica_a, replica_b = buses(), buses()
        async with replica_b.subscribe("queue") as console:
            await console.add("case:x")
            await settle()
            await replica_a.publish("case:x", {"message": "citizen wrote"})
            await replica_a.publish("citizen:other", {"ignored": True})
            await replica_a.publish("queue", {"ticket": 7})
            assert await next_event(console) == {"message": "citizen wrote"}
            assert await next_event(console) == {"ticket": 7}

    run(go())


def test_nothing_arrives_after_unsubscribing(buses: BusFactory) -> None:
    async def go() -> None:
        bus = buses()
        async with bus.subscribe("queue") as first:
            await settle()
        async with bus.subscribe("queue") as second:
            await settle()
            await bus.publish("queue", {"n": 1})
            assert await next_event(second) == {"n": 1}
        del first

    run(go())
