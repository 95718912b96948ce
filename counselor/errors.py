"""The exception tree. Every error the service raises on purpose derives from ``CounselorError``, grouped by
who handles it::

    CounselorError
    ├── NotReadyError            the service cannot work yet: an operator fixes it (readiness says why)
    │   ├── ConfigError          settings that cannot work (unknown embedder, unreadable data dir, bad prompts)
    │   ├── IndexNotReadyError   the index is missing, stale for this embedder, or unreadable
    │   └── RouterModelError     the router's model file is missing, corrupt or made for another embedder
    ├── BadInputError            what a citizen, caseworker or operator sent cannot be used: they are told why
    │   ├── QueryError           a query is empty or too long
    │   └── FrameError           a websocket frame cannot be used; carries its ErrorCode (chat/frames.py)
    ├── RefusedError             an action that is not allowed now: the person acting is told
    │   ├── QueueError           not theirs, taken, closed, not visible; carries a code (queue/service.py)
    │   └── AccountError         a name taken, a weak password, a wrong name or password (store/accounts.py)
    ├── UpstreamError            a model server failed; the caller falls back or records the failure
    │   ├── AnswererError        no draft: server down, timeout, empty output (chat/answerers/base.py)
    │   └── JudgeError           no usable judgement (evaluation/judge.py)
    ├── DocumentError            one knowledge file cannot be read or parsed (carries the path)
    └── DatasetError             an evaluation dataset or thresholds file is malformed (evaluation/dataset.py)

The subclasses that live beside the code raising them are listed with their module. Citizens never see
these: each edge (socket, console, CLI) maps them to a status, an error code or an exit code.
"""

from __future__ import annotations

from pathlib import Path


class CounselorError(Exception):
    """Base of every deliberate error."""


class NotReadyError(CounselorError):
    """The service, or the part of it asked for, cannot work until an operator acts."""


class BadInputError(CounselorError):
    """What was sent cannot be used; the sender is told why."""


class RefusedError(CounselorError):
    """An action that is not allowed to the one asking, or not now."""


class UpstreamError(CounselorError):
    """A server the service depends on (a model) did not give a usable answer."""


class ConfigError(NotReadyError):
    pass


class IndexNotReadyError(NotReadyError):
    pass


class RouterModelError(NotReadyError):
    """The service then routes by rules alone and says so in /readyz (docs/chat.md, "Routing")."""


class QueryError(BadInputError):
    pass


class DocumentError(CounselorError):
    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason
