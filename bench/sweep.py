"""Review sweep over N orders against a rate-enforcing fake SP-API at Amazon's default rates.

Prints the total time next to the rate-limit minimum (a machine-independent ratio) and the
number of 429s the fake answered. Real default rates make 2,000 orders take ~33 minutes
(1 request/s for the Solicitations calls), so `--time-scale K` multiplies the rates of the fake
AND of the client limiter by K (bursts unchanged); the figures are printed at that scale.

SP-API side, for now: stand-ins (tests/reviews/http_fake.py answering 429 from per-operation token
buckets, and a token-bucket limiter in the factory's `call()`), because infra/fakes/sp_api and
infra/spapi had not landed when this was written. The sweep, adapter, store and python-amazon-sp-api
clients over HTTP are the real ones. To measure the shared limiter, replace LimitedFactory with
infra.spapi's factory and RateEnforcingFake with FakeSpApi(enforce_rates=True) at the same scale.

    .venv/bin/python bench/sweep.py --orders 2000 --time-scale 100
"""
from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from handlers.accounts import load_accounts  # noqa: E402
from handlers.reviews import resolve_target  # noqa: E402
from handlers.reviews.spapi_adapter import SpApiReviewsAdapter  # noqa: E402
from handlers.reviews.sweep import SweepRunner  # noqa: E402
from infra.store.sqlite import SQLiteStore  # noqa: E402
from tests.reviews.http_fake import DirectFactory, HttpFakeSpApi  # noqa: E402

# sp-api.md §5: (requests per second, burst)
DEFAULT_RATES: dict[str, tuple[float, int]] = {
    "getOrders": (0.0167, 20),
    "getSolicitationActionsForOrder": (1.0, 5),
    "createProductReviewAndSellerFeedbackSolicitation": (1.0, 5),
}
PAGE_SIZE = 100  # getOrders MaxResultsPerPage
# The stand-in limiter keeps one of Amazon's burst tokens in reserve and runs 1 % under the rate, so
# uneven network delay (two requests arriving closer than 1/rate) never finds Amazon's bucket empty.
CLIENT_HEADROOM = 0.99
CLIENT_BURST_RESERVE = 1


class Bucket:
    def __init__(self, rate: float, burst: int) -> None:
        self.rate, self.burst = rate, burst
        self.tokens, self.last = float(burst), time.monotonic()
        self.lock = threading.Lock()

    def _refill(self, now: float) -> None:
        self.tokens = min(self.burst, self.tokens + (now - self.last) * self.rate)
        self.last = now

    def try_take(self) -> bool:
        with self.lock:
            self._refill(time.monotonic())
            if self.tokens >= 1:
                self.tokens -= 1
                return True
            return False

    def take(self) -> None:
        while True:
            with self.lock:
                now = time.monotonic()
                self._refill(now)
                if self.tokens >= 1:
                    self.tokens -= 1
                    return
                wait = (1 - self.tokens) / self.rate
            time.sleep(wait)


class RateEnforcingFake(HttpFakeSpApi):
    """The HTTP stand-in answering 429 QuotaExceeded beyond each operation's rate and burst."""

    def __init__(self, orders: list[dict[str, Any]], rates: dict[str, tuple[float, int]]) -> None:
        super().__init__(orders, page_size=PAGE_SIZE)
        self.buckets = {op: Bucket(r, b) for op, (r, b) in rates.items()}
        self.throttled: dict[str, int] = {op: 0 for op in rates}

    def _forced(self, op: str) -> tuple[int, dict] | None:
        bucket = self.buckets.get(op)
        if bucket and not bucket.try_take():
            self.throttled[op] += 1
            return 429, {"errors": [{"code": "QuotaExceeded", "message": "You exceeded your quota"}]}
        return super()._forced(op)


class LimitedFactory(DirectFactory):
    """DirectFactory plus a per-operation token bucket in call(): the stand-in for infra.spapi's limiter."""

    def __init__(self, base_url: str, rates: dict[str, tuple[float, int]]) -> None:
        super().__init__(base_url)
        self.buckets = {op: Bucket(r * CLIENT_HEADROOM, max(1, b - CLIENT_BURST_RESERVE))
                        for op, (r, b) in rates.items()}

    def call(self, operation: str, account: Any, fn: Any, *args: Any, deadline: float | None = None, **kw: Any) -> Any:
        if operation in self.buckets:
            self.buckets[operation].take()
        return fn(*args, **kw)


def orders(n: int) -> list[dict[str, Any]]:
    now = datetime.now(timezone.utc)
    iso = lambda d: (now - timedelta(days=d)).strftime("%Y-%m-%dT%H:%M:%SZ")  # noqa: E731
    return [{"AmazonOrderId": f"111-{i // 10_000_000:07d}-{i % 10_000_000:07d}"[:19], "OrderStatus": "Shipped",
             "EarliestDeliveryDate": iso(12), "LatestDeliveryDate": iso(10)} for i in range(n)]


def minimum_seconds(calls: dict[str, int], rates: dict[str, tuple[float, int]]) -> float:
    """The rate-limit floor: the slowest operation's (calls - burst) / rate."""
    return max(max(0, calls.get(op, 0) - burst) / rate for op, (rate, burst) in rates.items())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=2000)
    parser.add_argument("--time-scale", type=float, default=100.0,
                        help="multiply every rate (fake and limiter) by this; 1 = Amazon's real defaults")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rates = {op: (r * args.time_scale, b) for op, (r, b) in DEFAULT_RATES.items()}
    fake = RateEnforcingFake(orders(args.orders), rates)
    base_url = fake.start()
    try:
        adapter = SpApiReviewsAdapter(LimitedFactory(base_url, rates))
        target = resolve_target(load_accounts())
        store = SQLiteStore(":memory:")
        t0 = time.perf_counter()
        report = SweepRunner(store, adapter, time.time, progress_every=1e9).run(target, "bench")
        elapsed = time.perf_counter() - t0
    finally:
        fake.stop()
    calls = dict(fake.calls)
    floor = minimum_seconds(calls, rates)
    result = {
        "sp_api": "stand-in fake + stand-in limiter (infra/spapi not importable)",
        "time_scale": args.time_scale, "orders": args.orders, "status": report.status,
        "sent": report.counts.sent, "failed": report.counts.failed, "calls": calls,
        "throttled_429": fake.throttled, "elapsed_s": round(elapsed, 3), "rate_limit_minimum_s": round(floor, 3),
        "elapsed_over_minimum": round(elapsed / floor, 4) if floor else None,
        "real_rate_equivalent_s": round(elapsed * args.time_scale, 1),
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"SP-API: {result['sp_api']}; rates x{args.time_scale:g} (bursts unchanged)")
        print(f"{args.orders} orders: {report.status}, sent {report.counts.sent}, failed {report.counts.failed}; "
              f"calls {calls}")
        print(f"429 answered by the fake: {fake.throttled} (total {sum(fake.throttled.values())})")
        print(f"elapsed {elapsed:.2f} s at x{args.time_scale:g}; rate-limit minimum {floor:.2f} s; "
              f"ratio {elapsed / floor:.3f} (target <= 1.10); ~{elapsed * args.time_scale / 60:.0f} min at real rates")
    ok = sum(fake.throttled.values()) == 0 and report.counts.sent == args.orders and elapsed <= 1.10 * floor
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
