"""Chat turns at once per client address: one address's turns wait for each other, not for everyone.

The message limit per address (30 a minute) bounds how many turns an address gets, not when they run: a
flood's sockets each sent one message and left at the ack, so its 30 turns of the minute all ran at once in
the first second, and every citizen's answer waited behind them (flood p95 4.9-6.8x idle). Here an address's
turns beyond ``limit`` wait (their ack with them) until one of its own finishes; other addresses are not held.
Per process, as the CPU it protects is.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class TurnsPerAddress:
    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._gates: dict[str, tuple[asyncio.Semaphore, int]] = {}  # address -> (its gate, turns using it)

    @asynccontextmanager
    async def turn(self, address: str) -> AsyncIterator[None]:
        gate, users = self._gates.get(address) or (asyncio.Semaphore(self._limit), 0)
        self._gates[address] = (gate, users + 1)
        try:
            async with gate:
                yield
        finally:
            gate, users = self._gates[address]
            if users == 1:
                del self._gates[address]  # no memory kept for addresses that are gone
            else:
                self._gates[address] = (gate, users - 1)

    def waiting(self, address: str) -> int:
        return self._gates.get(address, (None, 0))[1]
