"""Throttling with the ``limits`` library: moving windows kept in memory, or in Redis when the deployment
has one (``COUNSELOR_BROKER_URL=redis://...``), so every replica counts the same attempts.

Keys are namespaced (``login-name``, ``login-address``, ``chat-conversation``, ``chat-address``,
``connect-address``) and hashed, so no name or address is written to Redis in the clear.
"""

from __future__ import annotations

import hashlib
import logging

from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError

log = logging.getLogger(__name__)


class Throttle:
    def __init__(self, broker_url: str | None = None, prefix: str = "counselor:") -> None:
        storage: Storage
        if broker_url and broker_url.startswith(("redis://", "rediss://")):
            # wrap_exceptions: coredis raises its own ConnectionError (no builtin one); wrapped, every storage
            # failure is a StorageError, which hit() can tell from a bug.
            storage = RedisStorage("async+" + broker_url, wrap_exceptions=True, key_prefix=prefix + "limits")
        else:
            storage = MemoryStorage()
        self.storage = storage
        self._limiter = MovingWindowRateLimiter(storage)

    async def hit(self, rule: str | RateLimitItem, kind: str, key: str) -> bool:
        """Count one attempt; False when ``rule`` (e.g. ``"5 per minute"``) is already used up for ``key``.
        If the shared storage is unreachable the attempt is allowed and logged: a Redis restart must not lock
        every citizen out (each replica's argon2 pool still bounds what a flood can cost)."""
        item = parse(rule) if isinstance(rule, str) else rule
        digest = hashlib.sha256(key.encode()).hexdigest()[:32]
        try:
            return await self._limiter.hit(item, kind, digest)
        except (StorageError, ConnectionError, OSError) as exc:
            log.warning("throttle storage unreachable (%s): allowing", type(exc).__name__)
            return True

    async def reset(self) -> None:
        await self.storage.reset()
