"""Token-bucket limiter on a fake clock: no real sleeping, no timing assertions."""

from __future__ import annotations

import threading

import pytest
from pydantic import ValidationError

from infra.spapi.limiter import RateBudgetExceeded, RateLimiter
from infra.spapi.rates import DEFAULT_RATES, OperationRate, UnknownOperation, rate_for, scaled


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def limiter(clock: FakeClock) -> RateLimiter:
    return RateLimiter({"op": OperationRate(rate=2, burst=3), **DEFAULT_RATES}, clock=clock, sleep=clock.sleep)


def test_burst_then_steady_rate(limiter: RateLimiter, clock: FakeClock) -> None:
    waits = [limiter.acquire("op", "acme") for _ in range(6)]
    assert waits[:3] == [0, 0, 0]  # the burst goes out back to back
    assert waits[3:] == pytest.approx([0.5, 0.5, 0.5])  # then one per 1/rate
    assert clock.now == pytest.approx(1001.5)


def test_bucket_refills_while_idle(limiter: RateLimiter, clock: FakeClock) -> None:
    for _ in range(3):
        limiter.acquire("op", "acme")
    clock.now += 10  # far more than needed to refill, but never above the burst
    assert [limiter.acquire("op", "acme") for _ in range(4)] == pytest.approx([0, 0, 0, 0.5])


def test_buckets_are_per_operation_and_account(limiter: RateLimiter) -> None:
    for _ in range(3):
        limiter.acquire("op", "acme")
    assert limiter.acquire("op", "globex") == 0
    assert limiter.acquire("getReport", "acme") == 0


def test_deadline_refusal_neither_sleeps_nor_spends_a_token(limiter: RateLimiter, clock: FakeClock) -> None:
    for _ in range(3):
        limiter.acquire("op", "acme")
    with pytest.raises(RateBudgetExceeded) as info:
        limiter.acquire("op", "acme", deadline=clock.now + 0.4)
    assert info.value.wait == pytest.approx(0.5) and "0.4s left" in str(info.value)
    assert clock.slept == []
    assert limiter.acquire("op", "acme", deadline=clock.now + 0.5) == pytest.approx(0.5)


def test_real_default_rate_refuses_an_interactive_caller(clock: FakeClock) -> None:
    limiter = RateLimiter(clock=clock, sleep=clock.sleep)
    for _ in range(20):  # getOrders: burst 20
        limiter.acquire("getOrders", "acme", deadline=clock.now + 10)
    with pytest.raises(RateBudgetExceeded) as info:
        limiter.acquire("getOrders", "acme", deadline=clock.now + 10)
    assert info.value.wait == pytest.approx(1 / 0.0167)


def test_rate_header_is_adopted(limiter: RateLimiter) -> None:
    for _ in range(3):
        limiter.acquire("op", "acme")
    limiter.observe("op", "acme", "10")
    assert limiter.acquire("op", "acme") == pytest.approx(0.1)
    limiter.observe("op", "acme", "garbage")  # ignored
    limiter.observe("op", "acme", None)
    assert limiter.current_rate("op", "acme") == 10


def test_rate_header_seen_before_first_use_applies_to_the_new_bucket(limiter: RateLimiter) -> None:
    limiter.observe("op", "new", "4")
    assert limiter.current_rate("op", "new") == 4


def test_concurrent_callers_queue_instead_of_sharing_a_token(clock: FakeClock) -> None:
    lock = threading.Lock()
    waits: list[float] = []
    limiter = RateLimiter({"op": OperationRate(rate=1, burst=1)}, clock=clock, sleep=lambda s: None)

    def worker() -> None:
        w = limiter.acquire("op", "acme")
        with lock:
            waits.append(w)

    threads = [threading.Thread(target=worker) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Clock frozen: each later caller reserved the next slot, so the waits are 0, 1, 2, 3, 4.
    assert sorted(waits) == pytest.approx([0, 1, 2, 3, 4])


def test_unknown_operation_is_named() -> None:
    with pytest.raises(UnknownOperation, match=r"getorders.*Did you mean 'getOrders'"):
        rate_for("getorders")


def test_rate_table_has_the_documented_defaults() -> None:
    expected = {
        "createReport": (0.0167, 15),
        "getReport": (2, 15),
        "getReportDocument": (0.0167, 15),
        "getReports": (0.0222, 10),
        "createProductReviewAndSellerFeedbackSolicitation": (1, 5),
        "getSolicitationActionsForOrder": (1, 5),
        "getMessagingActionsForOrder": (1, 5),
        "createConfirmDeliveryDetails": (1, 5),
        "sendInvoice": (1, 5),
        "getOrders": (0.0167, 20),
        "getOrder": (0.5, 30),
        "getOrderItems": (0.5, 30),
        "searchOrders": (0.0056, 20),
        "createSubscription": (1, 5),
        "createDestination": (1, 5),
        "createRestrictedDataToken": (1, 10),
    }
    assert {op: (DEFAULT_RATES[op].rate, DEFAULT_RATES[op].burst) for op in expected} == expected
    with pytest.raises(ValidationError):
        DEFAULT_RATES["getReport"].rate = 5  # type: ignore[misc]  # frozen
    assert scaled(DEFAULT_RATES, 10)["getOrders"].rate == pytest.approx(0.167)
    assert scaled(DEFAULT_RATES, 10)["getOrders"].burst == 20


def test_headroom_paces_under_the_plan(clock: FakeClock) -> None:
    limiter = RateLimiter({"op": OperationRate(rate=2, burst=1)}, clock=clock, sleep=clock.sleep, headroom=0.8)
    assert [limiter.acquire("op", "acme") for _ in range(2)] == pytest.approx([0, 1 / 1.6])
    limiter.observe("op", "acme", "10")
    assert limiter.current_rate("op", "acme") == pytest.approx(8)
    with pytest.raises(ValueError):
        RateLimiter(headroom=0)
