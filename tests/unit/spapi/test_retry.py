"""The retry policy on a fake clock, with the library's own exception classes."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from sp_api.auth.exceptions import AuthorizationError
from sp_api.base.exceptions import (
    SellingApiBadRequestException,
    SellingApiForbiddenException,
    SellingApiNotFoundException,
    SellingApiRequestThrottledException,
    SellingApiServerException,
)

from infra.spapi.errors import SpApiDeadlineExceeded, SpApiServerError, SpApiUnavailable, explain, is_retryable
from infra.spapi.limiter import RateBudgetExceeded
from infra.spapi.retry import RetryPolicy


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def throttled(rate: str | None = "0.5") -> SellingApiRequestThrottledException:
    headers = {"x-amzn-RateLimit-Limit": rate} if rate else {}
    return SellingApiRequestThrottledException(
        [{"code": "QuotaExceeded", "message": "You exceeded your quota for the requested resource."}], headers=headers
    )


def scripted(*outcomes: object) -> tuple[Callable[[], object], list[int]]:
    calls: list[int] = []

    def attempt() -> object:
        calls.append(1)
        outcome = outcomes[min(len(calls), len(outcomes)) - 1]
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    return attempt, calls


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def policy(clock: FakeClock) -> RetryPolicy:
    return RetryPolicy(clock=clock, sleep=clock.sleep, jitter=lambda: 0.5)


def test_throttle_then_success_waits_one_token_at_the_header_rate(policy: RetryPolicy, clock: FakeClock) -> None:
    attempt, calls = scripted(throttled("0.5"), "ok")
    assert policy.run("getOrder", attempt, deadline=10) == "ok"
    assert len(calls) == 2 and clock.slept == pytest.approx([2.0 * 1.05])


def test_server_errors_back_off_exponentially(policy: RetryPolicy, clock: FakeClock) -> None:
    attempt, _calls = scripted(
        SpApiServerError(500), SellingApiServerException([{"code": "InternalFailure"}]), httpx.ReadTimeout("slow"), "ok"
    )
    assert policy.run("getOrder", attempt, deadline=10) == "ok"
    assert clock.slept == pytest.approx([0.25 * 0.75, 0.5 * 0.75, 1.0 * 0.75])


def test_budget_exhaustion_raises_unavailable_with_the_last_error(policy: RetryPolicy, clock: FakeClock) -> None:
    attempt, _calls = scripted(SpApiServerError(503, reason="empty body"))
    with pytest.raises(SpApiUnavailable) as info:
        policy.run("getOrder", attempt, deadline=1.0)
    exc = info.value
    assert isinstance(exc.last_error, SpApiServerError) and exc.code == 503
    assert clock.now <= 1.0  # never slept past the deadline
    assert "temporarily unavailable (HTTP 503)" in str(exc) and "gave up on getOrder" in str(exc)


def test_throttle_wait_longer_than_the_budget_gives_up_at_once(policy: RetryPolicy, clock: FakeClock) -> None:
    attempt, calls = scripted(throttled("0.0167"))
    with pytest.raises(SpApiUnavailable) as info:
        policy.run("getOrders", attempt, deadline=10)
    assert len(calls) == 1 and clock.slept == [] and info.value.code == 429
    assert "throttling" in str(info.value)


def test_attempts_are_capped(clock: FakeClock) -> None:
    policy = RetryPolicy(max_attempts=3, clock=clock, sleep=clock.sleep, jitter=lambda: 0.0)
    attempt, calls = scripted(httpx.ConnectError("refused"))
    with pytest.raises(SpApiUnavailable) as info:
        policy.run("getOrder", attempt, deadline=1e9)
    assert len(calls) == 3 and info.value.attempts == 3


@pytest.mark.parametrize(
    "exc",
    [
        SellingApiForbiddenException([{"code": "Unauthorized", "message": "no"}]),
        SellingApiNotFoundException([{"code": "NotFound", "message": "no"}]),
        SellingApiBadRequestException([{"code": "InvalidInput", "message": "no"}]),
        AuthorizationError("invalid_grant", "bad token", 400),
    ],
)
def test_client_errors_are_not_retried(policy: RetryPolicy, clock: FakeClock, exc: Exception) -> None:
    attempt, calls = scripted(exc)
    with pytest.raises(type(exc)):
        policy.run("op", attempt, deadline=10)
    assert len(calls) == 1 and clock.slept == []


def test_limiter_refusal_before_any_send_is_a_deadline_error(policy: RetryPolicy) -> None:
    attempt, _ = scripted(RateBudgetExceeded("getOrders", "acme", 59.9, 10))
    with pytest.raises(SpApiDeadlineExceeded) as info:
        policy.run("getOrders", attempt, deadline=10)
    assert "nothing was sent" in str(info.value)


def test_limiter_refusal_after_a_failure_reports_that_failure(policy: RetryPolicy) -> None:
    attempt, _calls = scripted(SpApiServerError(500), RateBudgetExceeded("getOrders", "acme", 59.9, 8))
    with pytest.raises(SpApiUnavailable) as info:
        policy.run("getOrders", attempt, deadline=10)
    assert not isinstance(info.value, SpApiDeadlineExceeded) and info.value.code == 500


def test_past_deadline_sends_nothing(policy: RetryPolicy) -> None:
    attempt, calls = scripted("ok")
    with pytest.raises(SpApiDeadlineExceeded):
        policy.run("getOrder", attempt, deadline=-1)
    assert calls == []


def test_retryable_classification() -> None:
    assert is_retryable(throttled()) and is_retryable(SpApiServerError(502))
    assert is_retryable(httpx.ReadTimeout("t")) and is_retryable(AuthorizationError("server_error", "x", 503))
    assert not is_retryable(SellingApiForbiddenException([{"code": "Unauthorized"}]))
    assert not is_retryable(ValueError("bug"))


@pytest.mark.parametrize(
    "exc,words",
    [
        (
            SellingApiForbiddenException(
                [{"code": "Unauthorized", "message": "You can't use this feature outside the 5-30 day range"}]
            ),
            ["403", "role", "window", "5-30 day range"],
        ),
        (
            SellingApiNotFoundException([{"code": "NotFound", "message": "x"}]),
            ["no such order in this marketplace", "404"],
        ),
        (throttled(), ["throttling", "429"]),
        (SpApiServerError(500, reason="empty body"), ["unavailable", "try again later"]),
        (AuthorizationError("invalid_grant", "bad", 400), ["LWA", "invalid_grant", "re-authorize"]),
        (httpx.ConnectTimeout("t"), ["did not answer in time"]),
        (RateBudgetExceeded("getOrders", "acme", 50, 9), ["rate limit for getOrders", "nothing was sent"]),
    ],
)
def test_explain_is_specific(exc: Exception, words: list[str]) -> None:
    text = explain(exc)
    for word in words:
        assert word in text
