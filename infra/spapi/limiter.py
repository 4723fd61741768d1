"""Client-side token buckets per (operation, seller account), at Amazon's usage plans.

Amazon meters each operation per selling partner and application; staying under
the plan avoids 429s instead of retrying them. A caller that would have to wait
past its deadline is refused at once (`RateBudgetExceeded`) rather than put to
sleep: a Slack command has seconds, not the minute a 0.0167 rps slot can take.

Waiting callers reserve their token before sleeping (the bucket goes negative),
so concurrent threads queue in order instead of all waking for the same token.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from infra.spapi.rates import DEFAULT_RATES, OperationRate, rate_for


class RateBudgetExceeded(Exception):
    """The next slot for `operation` comes after the caller's deadline; nothing was sent."""

    def __init__(self, operation: str, key: str, wait: float, remaining: float) -> None:
        self.operation = operation
        self.key = key
        self.wait = wait
        self.remaining = remaining
        super().__init__(
            f"{operation} for {key}: next request slot in {wait:.1f}s, "
            f"but only {max(remaining, 0.0):.1f}s left before the deadline"
        )


@dataclass
class TokenBucket:
    """A plain token bucket; not locked (owners lock). Tokens may go negative = reserved waits."""

    rate: float
    burst: int
    tokens: float
    updated: float

    @classmethod
    def full(cls, plan: OperationRate, now: float) -> TokenBucket:
        return cls(rate=plan.rate, burst=plan.burst, tokens=float(plan.burst), updated=now)

    def refill(self, now: float) -> None:
        if now > self.updated:
            self.tokens = min(float(self.burst), self.tokens + (now - self.updated) * self.rate)
            self.updated = now

    def wait_for_one(self, now: float) -> float:
        """Seconds until one token is available (0 if available now)."""
        self.refill(now)
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate

    def try_take(self, now: float) -> bool:
        """Non-blocking take, as a server enforcing the plan does."""
        if self.wait_for_one(now) > 0:
            return False
        self.tokens -= 1
        return True

    def set_rate(self, rate: float) -> None:
        self.rate = rate


def parse_rate_header(value: object) -> float | None:
    """`x-amzn-RateLimit-Limit` as a positive float, or None when absent or garbled."""
    if value is None:
        return None
    try:
        rate = float(str(value).strip())
    except ValueError:
        return None
    return rate if rate > 0 else None


class RateLimiter:
    """`headroom` < 1 paces a little under the plan: network jitter then cannot make two
    requests arrive closer together at Amazon than the plan allows."""

    def __init__(
        self,
        rates: Mapping[str, OperationRate] = DEFAULT_RATES,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        headroom: float = 1.0,
    ) -> None:
        if not 0 < headroom <= 1:
            raise ValueError("headroom must be in (0, 1]")
        self.rates = rates
        self.clock = clock
        self.sleep = sleep
        self.headroom = headroom
        self._lock = threading.Lock()
        self._buckets: dict[tuple[str, str], TokenBucket] = {}
        # Live rates from x-amzn-RateLimit-Limit, kept for buckets created later.
        self._observed: dict[tuple[str, str], float] = {}

    def _bucket(self, operation: str, key: str, now: float) -> TokenBucket:
        bucket = self._buckets.get((operation, key))
        if bucket is None:
            bucket = TokenBucket.full(rate_for(operation, self.rates), now)
            bucket.set_rate(self._observed.get((operation, key), bucket.rate) * self.headroom)
            self._buckets[(operation, key)] = bucket
        return bucket

    def acquire(self, operation: str, key: str, deadline: float | None = None) -> float:
        """Take one token, sleeping if needed; returns seconds waited.

        `deadline` is on this limiter's clock. Raises RateBudgetExceeded (without
        sleeping or consuming a token) if the token would arrive after it.
        """
        with self._lock:
            now = self.clock()
            bucket = self._bucket(operation, key, now)
            wait = bucket.wait_for_one(now)
            if deadline is not None and now + wait > deadline:
                raise RateBudgetExceeded(operation, key, wait, deadline - now)
            bucket.tokens -= 1  # reserve before sleeping, so later callers queue behind us
        if wait > 0:
            self.sleep(wait)
        return wait

    def observe(self, operation: str, key: str, rate_header: object) -> None:
        """Adopt the rate Amazon reports for this seller (x-amzn-RateLimit-Limit)."""
        rate = parse_rate_header(rate_header)
        if rate is None:
            return
        with self._lock:
            self._observed[(operation, key)] = rate
            bucket = self._buckets.get((operation, key))
            if bucket is not None and bucket.rate != rate * self.headroom:
                bucket.refill(self.clock())
                bucket.set_rate(rate * self.headroom)

    def current_rate(self, operation: str, key: str) -> float:
        """The pace this limiter keeps (plan or observed rate, times headroom)."""
        with self._lock:
            return self._bucket(operation, key, self.clock()).rate
