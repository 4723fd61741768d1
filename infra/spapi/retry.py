"""The one retry policy every SP-API call goes through (tenacity).

Retried: throttling (429), 5xx (including the empty-body 500 the library would
return as success), non-JSON bodies, and httpx transport errors / timeouts.
Never retried: other 4xx, whose answer will not change.

Non-idempotent operations (NON_IDEMPOTENT_OPERATIONS: the Messaging sends and the review
request, which take no idempotency key) are retried only when Amazon provably did not take
the request: a 429, or a connection that never opened (`errors.not_taken`). Any other failure
after the request may have left (read timeout, 5xx, unreadable body) raises SpApiOutcomeUnknown
at once: sending again could message the buyer twice.

Waits honour `x-amzn-RateLimit-Limit` on a throttled answer (≈ 1/rate); otherwise
exponential backoff with full-range jitter. Everything stays inside one time
budget (absolute deadline on `clock`): a wait that would end past it is not
started, and the caller gets `SpApiUnavailable` carrying the last error.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from tenacity import RetryCallState, Retrying, retry_if_exception

from infra.spapi.errors import (
    SpApiDeadlineExceeded,
    SpApiOutcomeUnknown,
    SpApiUnavailable,
    is_refusal,
    is_retryable,
    is_throttled,
    not_taken,
    rate_limit_header,
)
from infra.spapi.limiter import RateBudgetExceeded, parse_rate_header
from infra.spapi.rates import MESSAGING_ACTION_OPERATIONS

T = TypeVar("T")

# Slack gives a lazy listener minutes but a person waits seconds; 10 s leaves room for two
# 5 s-timeout attempts or several quick retries. Sweeps pass their own (longer) deadline.
INTERACTIVE_BUDGET_SECONDS = 10.0

# Operations whose repeat is a second delivery to the buyer: Amazon's models give them no
# idempotency key. Every Messaging send, and the review request (Solicitations).
NON_IDEMPOTENT_OPERATIONS: frozenset[str] = frozenset(
    {*MESSAGING_ACTION_OPERATIONS.values(), "createProductReviewAndSellerFeedbackSolicitation"}
)


def is_idempotent(operation: str) -> bool:
    """Whether sending `operation` twice does no more than sending it once (reads, reports)."""
    return operation not in NON_IDEMPOTENT_OPERATIONS


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 6
    base_delay: float = 0.25
    max_delay: float = 8.0
    clock: Callable[[], float] = time.time
    sleep: Callable[[float], None] = time.sleep
    jitter: Callable[[], float] = field(default=random.random)  # uniform [0, 1)

    def backoff(self, attempt: int, exc: BaseException | None) -> float:
        """Seconds to wait after failed attempt number `attempt` (1-based)."""
        if exc is not None and is_throttled(exc):
            rate = parse_rate_header(rate_limit_header(exc))
            if rate is not None:
                # One token's worth at the seller's live rate, plus a little spread so
                # concurrent workers do not come back in lockstep.
                return (1.0 / rate) * (1.0 + 0.1 * self.jitter())
        ceiling = min(self.max_delay, self.base_delay * 2.0 ** (attempt - 1))
        return ceiling * (0.5 + 0.5 * self.jitter())

    def run(self, operation: str, attempt: Callable[[], T], *, deadline: float) -> T:
        """Call `attempt` until it succeeds, fails for good, or the budget runs out.

        `attempt` may raise RateBudgetExceeded (from the limiter): before anything was sent
        that becomes SpApiDeadlineExceeded, after earlier failures SpApiUnavailable(last error).
        For a non-idempotent `operation`, a failure that Amazon may have acted on raises
        SpApiOutcomeUnknown and is never retried.
        """
        started = self.clock()
        failures: list[BaseException] = []
        idempotent = is_idempotent(operation)
        retryable = is_retryable if idempotent else not_taken

        def wait(state: RetryCallState) -> float:
            exc = state.outcome.exception() if state.outcome else None
            return self.backoff(state.attempt_number, exc)

        def stop(state: RetryCallState) -> bool:
            return state.attempt_number >= self.max_attempts or self.clock() + state.upcoming_sleep > deadline

        def give_up(state: RetryCallState) -> T:
            exc = state.outcome.exception() if state.outcome else None
            raise SpApiUnavailable(operation, exc, state.attempt_number, self.clock() - started) from exc

        def tracked() -> T:
            if self.clock() >= deadline:
                last = failures[-1] if failures else None
                cls = SpApiUnavailable if last is not None else SpApiDeadlineExceeded
                raise cls(operation, last, len(failures), self.clock() - started)
            try:
                return attempt()
            except RateBudgetExceeded as exc:
                last = failures[-1] if failures else None
                if last is None:
                    raise SpApiDeadlineExceeded(operation, None, 0, self.clock() - started) from exc
                raise SpApiUnavailable(operation, last, len(failures), self.clock() - started) from last
            except Exception as exc:
                failures.append(exc)
                if idempotent or not_taken(exc) or is_refusal(exc):
                    raise
                raise SpApiOutcomeUnknown(operation, exc, len(failures), self.clock() - started) from exc

        retrying = Retrying(
            retry=retry_if_exception(retryable),
            wait=wait,
            stop=stop,
            sleep=self.sleep,
            retry_error_callback=give_up,
        )
        return retrying(tracked)
