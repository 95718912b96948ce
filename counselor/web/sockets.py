"""What both websockets share before a frame is read: the Origin allowlist, the token carried in the
``Sec-WebSocket-Protocol`` header (never in the URL, which access logs write), and the caller's address.

A browser offers two subprotocols, ``counselor`` and ``token.<token>``; the server answers ``counselor``, so
the token travels only in the request header and is echoed nowhere. Clients without a token offer just
``counselor`` (or nothing).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import WebSocket

SUBPROTOCOL = "counselor"
TOKEN_PREFIX = "token."
CLOSE_FORBIDDEN_ORIGIN = 4403


def offered_token(ws: WebSocket) -> str | None:
    for offered in ws.scope.get("subprotocols", []):
        if offered.startswith(TOKEN_PREFIX) and len(offered) > len(TOKEN_PREFIX):
            return str(offered.removeprefix(TOKEN_PREFIX))
    return None


def origin_allowed(ws: WebSocket, allowed: list[str]) -> bool:
    """A browser always sends Origin; a page on another site must not drive a citizen's or caseworker's socket.
    No Origin at all is a non-browser client, which has no ambient credentials to abuse."""
    origin = ws.headers.get("origin")
    if origin is None:
        return True
    if urlsplit(origin).netloc == ws.headers.get("host"):
        return True
    return origin.rstrip("/") in {a.rstrip("/") for a in allowed}


async def admit(ws: WebSocket, allowed: list[str]) -> bool:
    """Accept the handshake (answering our subprotocol when offered), or refuse it for a foreign Origin:
    closing before accepting answers the handshake with HTTP 403."""
    if not origin_allowed(ws, allowed):
        await ws.close(code=CLOSE_FORBIDDEN_ORIGIN)
        return False
    chosen = SUBPROTOCOL if SUBPROTOCOL in ws.scope.get("subprotocols", []) else None
    await ws.accept(subprotocol=chosen)
    return True


def address(ws: WebSocket) -> str:
    return ws.client.host if ws.client else "unknown"


def client_subprotocols(token: str | None) -> list[str]:
    """What a client offers to open a socket with ``token`` (tests, benches; the pages do the same in JS)."""
    return [SUBPROTOCOL, TOKEN_PREFIX + token] if token else [SUBPROTOCOL]
