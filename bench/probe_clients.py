"""What bench.probe_security says to the server: an anonymous or token-holding citizen, a caseworker over
HTTP and on the console socket, each from a loopback address of its choosing."""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import websockets
from websockets.asyncio.client import ClientConnection
from websockets.typing import Subprotocol

TIMEOUT = 60


def protocols(token: str | None) -> list[Subprotocol]:
    return [Subprotocol("counselor"), Subprotocol(f"token.{token}")] if token else [Subprotocol("counselor")]


async def until(ws: ClientConnection, kind: str) -> dict[str, Any]:
    while (frame := json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT)))["type"] != kind:
        pass
    return dict(frame)


class Client:
    def __init__(self, port: int) -> None:
        self.port = port
        self.http = f"http://127.0.0.1:{port}"
        self.ws = f"ws://127.0.0.1:{port}"

    async def _request(self, method: str, path: str, token: str | None, body: Any, address: str) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        transport = httpx.AsyncHTTPTransport(local_address=address)
        async with httpx.AsyncClient(transport=transport, timeout=TIMEOUT) as client:
            return await client.request(method, self.http + path, headers=headers, json=body)

    async def get(self, path: str, token: str | None, address: str = "127.0.0.1") -> int:
        return (await self._request("GET", path, token, None, address)).status_code

    async def post(self, path: str, token: str | None, body: Any = None, address: str = "127.0.0.1") -> int:
        return (await self._request("POST", path, token, body, address)).status_code

    async def login(self, name: str, password: str, address: str = "127.0.0.1") -> str:
        response = await self._request(
            "POST", "/api/counselor/login", None, {"name": name, "password": password}, address
        )
        response.raise_for_status()
        return str(response.json()["token"])

    async def login_code(self, name: str, password: str, address: str) -> int:
        body = {"name": name, "password": password}
        return (await self._request("POST", "/api/counselor/login", None, body, address)).status_code

    @asynccontextmanager
    async def chat(self, token: str | None, address: str, query: str = "") -> AsyncIterator[ClientConnection]:
        offered = protocols(token)
        async with websockets.connect(
            f"{self.ws}/ws/chat{query}",
            subprotocols=offered,
            local_addr=(address, 0),
            max_size=None,
        ) as ws:
            yield ws

    @asynccontextmanager
    async def console(self, token: str) -> AsyncIterator[ClientConnection]:
        offered = protocols(token)
        async with websockets.connect(f"{self.ws}/ws/counselor", subprotocols=offered) as ws:
            yield ws

    async def chat_closes(self, offered: str, address: str) -> int | None:
        """The close code a socket offering ``offered`` (a forged ``token.…``) gets."""
        try:
            async with websockets.connect(
                f"{self.ws}/ws/chat",
                subprotocols=[Subprotocol("counselor"), Subprotocol(offered)],
                local_addr=(address, 0),
            ) as ws:
                while True:
                    await asyncio.wait_for(ws.recv(), TIMEOUT)
        except websockets.ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd else None
        except websockets.InvalidStatus as refused:
            return refused.response.status_code

    async def drain(self, ws: ClientConnection, seconds: float) -> list[dict[str, Any]]:
        """Whatever the socket receives in ``seconds``, then up to a ping's pong."""
        await asyncio.sleep(seconds)
        await ws.send(json.dumps({"type": "ping"}))
        frames = []
        while (frame := json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT)))["type"] != "pong":
            frames.append(frame)
        return frames

    async def closed_within(self, ws: ClientConnection, seconds: float) -> int | None:
        try:
            while True:
                await asyncio.wait_for(ws.recv(), seconds)
        except websockets.ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd else None
        except TimeoutError:
            return None

    async def open_and_close(self, address: str) -> str:
        try:
            async with self.chat(None, address) as ws:
                return str((await until(ws, "session"))["type"])
        except websockets.InvalidStatus:
            return "refused"

    async def one_message(self, address: str, text: str) -> str:
        """A new conversation that sends ``text``: "ack", an error's code, or "refused" (the handshake)."""
        try:
            async with self.chat(None, address) as ws:
                await until(ws, "session")
                await ws.send(json.dumps({"type": "message", "text": text}))
                frame = json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT))
                return str(frame.get("code", frame["type"]))
        except websockets.InvalidStatus:
            return "refused"

    async def bad_frames(self, address: str) -> dict[str, str]:
        """The first reply to each frame the issue found mishandled."""
        frames = {
            "long": json.dumps({"type": "message", "text": "가" * 2500}),
            "surrogate": '{"type": "message", "text": "\\ud800"}',
            "big_int": '{"type": "profile", "action": "set", "facts": {"age": ' + "9" * 5000 + "}}",
        }
        found = {}
        async with self.chat(None, address) as ws:
            await until(ws, "session")
            for name, frame in frames.items():
                await ws.send(frame)
                reply = json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT))
                found[name] = str(reply.get("code", reply["type"]))
            await ws.send(b"\x00binary")
            reply = json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT))
            found["binary"] = str(reply.get("code", reply["type"]))
        async with self.chat(None, address, "?region=아틀란티스") as ws:
            found["region_after_session"] = str(json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT))["type"])
        async with self.chat(None, address) as ws:
            await until(ws, "session")
            await ws.send(json.dumps({"type": "message", "text": secrets.token_hex(20 * 1024)}))
            try:
                await asyncio.wait_for(ws.recv(), TIMEOUT)
                found["40KiB"] = "accepted"
            except websockets.ConnectionClosed as closed:
                found["40KiB"] = str(closed.rcvd.code if closed.rcvd else None)
        return found

    async def ticket_code(self, ticket_id: int, address: str, token: str) -> int:
        return await self.get(f"/api/tickets/{ticket_id}", token, address)
