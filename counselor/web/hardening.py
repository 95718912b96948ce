"""Response headers for every page and call, and a log filter that keeps secrets out of log lines.

The pages load only their own scripts, styles and sockets (Content-Security-Policy), are never framed (against
click-jacking), are not sniffed into another type and send no Referer. ``/docs`` keeps FastAPI's defaults
apart from the policy, which would block the Swagger page's CDN assets.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"
)
HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
_NO_CSP = ("/docs", "/redoc")
# Query parameters that must never be logged, should an old client still put them in a URL.
_SECRET_QUERY = re.compile(r"(?i)\b(token|password|session_id|authorization)=[^&\s\"']*")


def add_security_headers(app: FastAPI) -> None:
    @app.middleware("http")
    async def headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if not request.url.path.startswith(_NO_CSP):
            response.headers.setdefault("Content-Security-Policy", CSP)
        return response


class RedactSecrets(logging.Filter):
    """Rewrites ``token=...`` (and the like) in a record's message and arguments to ``token=[redacted]``."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = _SECRET_QUERY.sub(r"\1=[redacted]", record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(
                _SECRET_QUERY.sub(r"\1=[redacted]", a) if isinstance(a, str) else a for a in record.args
            )
        return True


def redact_server_logs() -> None:
    """Install the filter on uvicorn's loggers (the access log and the websocket lines on ``uvicorn.error``).
    Called once the server has configured logging, so the filter is not replaced."""
    for name in ("uvicorn.access", "uvicorn.error", "uvicorn"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecrets) for f in logger.filters):
            logger.addFilter(RedactSecrets())
