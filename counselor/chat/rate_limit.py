"""The per-conversation message limit: at most ``rate_limit_messages`` in ``rate_limit_window_s`` seconds.

Counted in the throttle's storage (counselor/throttle.py), which every replica shares: a conversation may
reconnect to another replica and must not get a fresh allowance there. Ratings (counselor/chat/feedback.py) use
the same rule, since each one writes a row as a message does.
"""

from __future__ import annotations

import math

from limits import RateLimitItem, RateLimitItemPerSecond

from counselor.chat.frames import ErrorCode, FrameError
from counselor.settings import ChatSettings
from counselor.throttle import Throttle


def per_conversation_rule(settings: ChatSettings) -> RateLimitItem:
    # `limits` counts whole seconds; a window under one second would be no window at all.
    return RateLimitItemPerSecond(settings.rate_limit_messages, max(math.ceil(settings.rate_limit_window_s), 1))


class MessageRateLimiter:
    def __init__(self, settings: ChatSettings, throttle: Throttle | None = None) -> None:
        self.settings = settings
        self.throttle = throttle or Throttle()
        self.rule = per_conversation_rule(settings)

    async def admit(self, conversation_id: str) -> None:
        """Count one message; a FrameError (``rate_limited``) when the conversation is over its limit."""
        if not await self.throttle.hit(self.rule, "chat-conversation", conversation_id):
            limit, window = self.settings.rate_limit_messages, self.settings.rate_limit_window_s
            raise FrameError(ErrorCode.RATE_LIMITED, f"at most {limit} messages in {window:g} seconds")
