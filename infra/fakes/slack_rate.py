"""chat.postMessage's per-channel rate limit, for the fake Slack (`FakeSlack.channel_rate`).

Slack documents chat.postMessage as "1 per second per channel, short bursts allowed" and answers
excess with HTTP 429 and a `Retry-After` header in whole seconds. This is a token bucket per channel
(`per_second`, `burst`), off unless a test or bench sets it. It also tells whether the client honoured
Retry-After: a post to a channel before the Retry-After it was given has passed counts as `early`.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

RATE_LIMITED_METHODS = ("chat.postMessage",)


@dataclass
class ChannelRate:
    per_second: float = 1.0
    burst: int = 3
    clock: Callable[[], float] = time.monotonic
    accepted: int = 0
    throttled: int = 0
    early: int = 0  # posts that came before the Retry-After they were given had passed
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)  # channel -> (tokens, at)
    _retry_until: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, channel: str) -> int | None:
        """None when the post may go through; else the Retry-After (whole seconds, at least 1) of a 429."""
        with self._lock:
            now = self.clock()
            if now < self._retry_until.get(channel, float("-inf")):
                self.early += 1
            tokens, at = self._buckets.get(channel, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - at) * self.per_second)
            if tokens >= 1.0:
                self._buckets[channel] = (tokens - 1.0, now)
                self.accepted += 1
                return None
            self._buckets[channel] = (tokens, now)
            self.throttled += 1
            retry_after = max(1, math.ceil((1.0 - tokens) / self.per_second))
            self._retry_until[channel] = now + retry_after
            return retry_after
