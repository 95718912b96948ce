"""The exception tree. Every error the service raises on purpose is one of these::

    CounselorError
    ├── ConfigError            settings that cannot work (unknown embedder, unreadable data dir)
    ├── DocumentError          one knowledge file cannot be read or parsed (carries the path)
    ├── IndexError_            the index is missing, stale for this embedder, or unreadable
    ├── QueryError             a citizen's or operator's query is empty or too long
    └── RouterModelError       the router's model file is missing, corrupt or made for another embedder

Citizens never see these: the service maps each to a status and a pre-written reply.
"""

from __future__ import annotations

from pathlib import Path


class CounselorError(Exception):
    """Base of every deliberate error."""


class ConfigError(CounselorError):
    pass


class DocumentError(CounselorError):
    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


class IndexError_(CounselorError):
    pass


class QueryError(CounselorError):
    pass


class RouterModelError(CounselorError):
    """The service then routes by rules alone and says so in /readyz (docs/chat.md, "Routing")."""
