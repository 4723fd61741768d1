"""Review sweep over N orders against the rate-enforcing fake SP-API at Amazon's default rates.

Everything on the path is the production one: `SweepRunner`, the SP-API adapter, the shared
`SpApiFactory` (python-amazon-sp-api clients over HTTP, one retry policy) and the shared
token-bucket `RateLimiter` (with the production 5 % headroom). The fake (`infra/fakes/sp_api`,
`enforce_rates=True`) meters each (operation, seller) with Amazon's documented rate and burst and
answers 429 QuotaExceeded on excess.

Real default rates make 2,000 orders take ~20 minutes (1 request/s for the Solicitations calls),
so `--time-scale K` multiplies the rates of the fake AND of the limiter by K (bursts unchanged);
figures are printed at that scale, next to the machine-independent ratio to the rate-limit floor.

A second run measures the worker as Lambda runs it: one SQS batch of `--batch` sweeps of different
sellers (`bot.workers.review_sweep.make_handler`, the records of a batch run at the same time, each
paced by its own seller's buckets), the same orders in all. It prints the Lambda-seconds per order of
both runs (one sweep per invocation, then one batch per invocation), absolute (at real rates) and as a
ratio to the rate-limit minimum of one seller's sweep per order (1.0 = a worker that waits out every
seller's limits one after the other; 1/batch = all waits overlapped).

    .venv/bin/python bench/sweep.py --orders 2000 --time-scale 50 [--batch 10]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.jobs.review_sweeps import SweepJob
from bot.local.lambda_emulation import LocalContext
from bot.workers.review_sweep import make_handler
from handlers.reviews import resolve_target
from handlers.reviews.spapi_adapter import SpApiReviewsAdapter
from handlers.reviews.sweep import SweepRunner
from infra.accounts import AccountConfig, AccountsConfig, MarketplaceConfig, load_accounts
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


def sellers(n: int) -> AccountsConfig:
    return AccountsConfig(
        accounts=[
            AccountConfig(
                account_id=f"seller-{i:02d}",
                name=f"Seller {i}",
                seller_id=f"A{i:013d}",
                marketplaces=[MarketplaceConfig(code="US", alert_channel=f"C{i:05d}US")],
            )
            for i in range(n)
        ]
    )


def _event(jobs: list[SweepJob]) -> dict:
    return {
        "Records": [
            {
                "messageId": f"m{i}",
                "receiptHandle": f"r{i}",
                "body": job.model_dump_json(),
                "attributes": {"ApproximateReceiveCount": "1"},
                "messageAttributes": {},
                "md5OfBody": "",
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:us-east-1:000000000000:review-sweep",
                "awsRegion": "us-east-1",
            }
            for i, job in enumerate(jobs)
        ]
    }


def run_batch(batch: int, orders: int, time_scale: float) -> dict:
    """One invocation of the sweep worker over a batch of `batch` sellers, `orders` orders in all."""
    config = sellers(batch)
    data = SandboxData.build(accounts=config, orders_per_pair=max(1, orders // batch))
    rates = scaled(DEFAULT_RATES, time_scale)
    with FakeSpApi(data, enforce_rates=True, rate_scale=time_scale) as fake:
        factory = SpApiFactory(
            EnvCredentials(fake.credentials_env()),
            RateLimiter(rates, headroom=HEADROOM),
            endpoint_override=fake.base_url,
            lwa_endpoint_override=fake.base_url,
        )
        try:
            handler = make_handler(
                store=SQLiteStore(":memory:"),
                spapi=SpApiReviewsAdapter(factory),
                accounts=config,
                slack=None,
                clock=time.time,
            )
            jobs = [SweepJob(account=a.account_id, marketplace="US") for a in config.accounts]
            t0 = time.perf_counter()
            result = handler(_event(jobs), LocalContext(900))
            elapsed = time.perf_counter() - t0
        finally:
            factory.close()
        stats = fake.stats.as_dict()
        per_seller: dict[str, dict[str, int]] = {}
        for r in fake.requests:
            if r.operation in SWEEP_OPERATIONS and r.account:
                counts = per_seller.setdefault(r.account, {})
                counts[r.operation] = counts.get(r.operation, 0) + 1
    calls = {op: stats["requests"].get(op, 0) for op in SWEEP_OPERATIONS}
    # What a worker running these sweeps one after the other cannot go below: each seller's floor, summed.
    sequential_floor = sum(minimum_seconds(c, rates) for c in per_seller.values())
    swept = data_orders(data)
    return {
        "batch": batch,
        "orders": swept,
        "failures": len(result.get("batchItemFailures", [])),
        "calls": calls,
        "throttled_429": stats["throttled"],
        "elapsed_s": round(elapsed, 3),
        "sequential_minimum_s": round(sequential_floor, 3),
        "lambda_s_per_order_real": elapsed * time_scale / swept,
        "ratio": round(elapsed / sequential_floor, 4) if sequential_floor else None,
    }


def data_orders(data: SandboxData) -> int:
    return sum(len(orders) for orders in data.orders.values())


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
        "lambda_s_per_order_real": elapsed * time_scale / orders,
        "ratio_per_order": round(elapsed / floor, 4) if floor else None,
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
    parser.add_argument("--batch", type=int, default=10, help="sellers in the worker's SQS batch (serverless.yml)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    r = run(args.orders, args.time_scale)
    b = run_batch(args.batch, args.orders, args.time_scale)
    throttled = sum(r["throttled_429"].values()) + sum(b["throttled_429"].values())
    if args.json:
        print(json.dumps({**r, "batch_run": b}))
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
        print(
            f"worker batch of {b['batch']} sellers, {b['orders']} orders in one invocation: elapsed {b['elapsed_s']:.2f} s "
            f"at x{args.time_scale:g}, {b['failures']} failed records, 429 answered {b['throttled_429'] or 0}; "
            f"the sellers' rate-limit minimum one after the other {b['sequential_minimum_s']:.2f} s"
        )
        print(
            f"Lambda-seconds per order: one sweep per invocation {r['lambda_s_per_order_real']:.3f} s "
            f"(ratio {r['ratio_per_order']:.3f}), a batch of {b['batch']} per invocation "
            f"{b['lambda_s_per_order_real']:.3f} s (ratio {b['ratio']:.3f}); at real rates; ratio = Lambda time / "
            f"one seller's rate-limit minimum per order (1/{b['batch']} = {1 / b['batch']:.3f} at best)"
        )
    ok = (
        throttled == 0
        and r["failed"] == 0
        and r["status"] == "done"
        and (r["elapsed_over_minimum"] or 0) <= 1.10
        and b["failures"] == 0
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
