"""Review sweep over N orders against the rate-enforcing fake SP-API at Amazon's default rates.

Everything on the path is the production one: `SweepRunner`, the SP-API adapter, the shared
`SpApiFactory` (python-amazon-sp-api clients over HTTP, one retry policy) and the shared
token-bucket `RateLimiter` (with the production 5 % headroom). The fake (`infra/fakes/sp_api`,
`enforce_rates=True`) meters each (operation, seller) with Amazon's documented rate and burst and
answers 429 QuotaExceeded on excess.

Real default rates make 2,000 orders take ~20 minutes (1 request/s for the Solicitations calls),
so `--time-scale K` multiplies the rates of the fake AND of the limiter by K (bursts unchanged);
figures are printed at that scale, next to the machine-independent ratio to the rate-limit floor.

    .venv/bin/python bench/sweep.py --orders 2000 --time-scale 50
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from handlers.reviews import resolve_target
from handlers.reviews.spapi_adapter import SpApiReviewsAdapter
from handlers.reviews.sweep import SweepRunner
from infra.accounts import load_accounts
from infra.fakes.sp_api import FakeSpApi, SandboxData
from infra.secrets import EnvCredentials
from infra.spapi.factory import HEADROOM, SpApiFactory
from infra.spapi.limiter import RateLimiter
from infra.spapi.rates import DEFAULT_RATES, scaled
from infra.store.sqlite import SQLiteStore

SWEEP_OPERATIONS = ("getOrders", "getSolicitationActionsForOrder", "createProductReviewAndSellerFeedbackSolicitation")


def minimum_seconds(calls: dict[str, int], rates: dict) -> float:
    """The rate-limit floor: the slowest operation's (calls - burst) / rate."""
    return max(max(0, calls.get(op, 0) - rates[op].burst) / rates[op].rate for op in SWEEP_OPERATIONS)


def run(orders: int, time_scale: float) -> dict:
    accounts = load_accounts()
    acme = accounts.get("acme")
    data = SandboxData.build(accounts=accounts, orders_per_pair=orders)
    rates = scaled(DEFAULT_RATES, time_scale)
    with FakeSpApi(data, enforce_rates=True, rate_scale=time_scale) as fake:
        factory = SpApiFactory(
            EnvCredentials(fake.credentials_env()),
            RateLimiter(rates, headroom=HEADROOM),
            endpoint_override=fake.base_url,
            lwa_endpoint_override=fake.base_url,
        )
        try:
            target = resolve_target(accounts, acme.account_id, "US")
            t0 = time.perf_counter()
            report = SweepRunner(
                SQLiteStore(":memory:"), SpApiReviewsAdapter(factory), time.time, progress_every=1e9
            ).run(target, "bench")
            elapsed = time.perf_counter() - t0
        finally:
            factory.close()
        stats = fake.stats.as_dict()
    calls = {op: stats["requests"].get(op, 0) for op in SWEEP_OPERATIONS}
    floor = minimum_seconds(calls, rates)
    return {
        "orders": orders,
        "time_scale": time_scale,
        "status": report.status,
        "sent": report.counts.sent,
        "skipped": report.counts.skipped,
        "failed": report.counts.failed,
        "calls": calls,
        "throttled_429": stats["throttled"],
        "elapsed_s": round(elapsed, 3),
        "rate_limit_minimum_s": round(floor, 3),
        "elapsed_over_minimum": round(elapsed / floor, 4) if floor else None,
        "real_rate_equivalent_min": round(elapsed * time_scale / 60, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=2000, help="orders in the account (default 2000)")
    parser.add_argument(
        "--time-scale",
        type=float,
        default=50.0,
        help="multiply every rate (fake and limiter) by this; 1 = Amazon's real defaults",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    r = run(args.orders, args.time_scale)
    throttled = sum(r["throttled_429"].values())
    if args.json:
        print(json.dumps(r))
    else:
        print(
            f"SP-API: fake with Amazon's default rates enforced, x{args.time_scale:g} (bursts unchanged); "
            f"shared limiter at {HEADROOM:.0%} of plan"
        )
        print(
            f"{args.orders} orders: {r['status']}, sent {r['sent']}, skipped {r['skipped']}, failed {r['failed']}; "
            f"calls {r['calls']}"
        )
        print(f"429 answered by the fake: {r['throttled_429'] or 0} (total {throttled}; target 0)")
        print(
            f"elapsed {r['elapsed_s']:.2f} s at x{args.time_scale:g}; rate-limit minimum "
            f"{r['rate_limit_minimum_s']:.2f} s; ratio {r['elapsed_over_minimum']:.3f} (target <= 1.10); "
            f"~{r['real_rate_equivalent_min']:.0f} min at real rates"
        )
    ok = throttled == 0 and r["failed"] == 0 and r["status"] == "done" and (r["elapsed_over_minimum"] or 0) <= 1.10
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
