"""One scheduled health run for 1,000 accounts × 3 marketplaces against Amazon's and Slack's rate limits.

Everything on the path is the production one: the schedule's plan (`bot.jobs.health_queue.plan`: one job
per account carrying its 3 marketplaces, a DelaySeconds per seller), `run_account_check` per job (one
createReport for the 3 marketplaces → getReport → getReportDocument → download once → parse once →
evaluate, store and Slack per account × marketplace), the SP-API adapter over HTTP with
the shared token-bucket `RateLimiter`, and the bot's Slack client. The fakes enforce the limits:

- SP-API (`FakeSpApi(enforce_rates=True)`): Amazon's default rate and burst per (operation, seller),
  429 QuotaExceeded on excess. createReport is 0.0167/s (one a minute), burst 15, per seller.
- Slack (`FakeSlack.channel_rate`): chat.postMessage 1 message/s per channel, burst 3, 429 + Retry-After.

Jobs become due at their DelaySeconds (divided by --time-scale) and run on --workers threads, as SQS
hands them to the check Lambda's reserved concurrency. `--time-scale K` multiplies the SP-API rates of
the fake and of the limiter and divides the delays by K (bursts unchanged); Slack stays at its real rate.

Printed: time per account, the rate-limit minimum of the run (a seller's createReport calls at the
sustained rate, without counting on the burst: other reports share the seller's bucket; with one report
per account that is 0 s, so Slack's per-channel pace sets it), the ratio of
the run's time to it, and machine-independent figures (createReport per seller and its share of the
seller's 6-hour budget, 429s, posts that came before their Retry-After).

    .venv/bin/python bench/health_scale.py [--accounts 1000] [--time-scale 1] [--spread 0] [--workers 40]
"""

from __future__ import annotations

import argparse
import heapq
import json
import os
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from http.server import ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.jobs.health_checks import HealthDeps, run_account_check
from bot.jobs.health_queue import plan, run_id_for
from bot.slack_client import build_web_client
from handlers.health.check_state import schedule_interval
from handlers.health.fetch import ReportPending
from handlers.health.spapi_adapter import ReportsGateway
from infra.accounts import AccountConfig, AccountsConfig, MarketplaceConfig
from infra.fakes.slack_api import FakeSlack
from infra.fakes.slack_rate import ChannelRate
from infra.fakes.sp_api import FakeSpApi, SandboxData
from infra.fakes.sp_api.data import HealthSeed
from infra.secrets import EnvCredentials
from infra.spapi.factory import HEADROOM, SpApiFactory
from infra.spapi.limiter import RateLimiter
from infra.spapi.rates import DEFAULT_RATES, scaled
from infra.store.sqlite import SQLiteStore

CODES = ("US", "CA", "MX")
UNHEALTHY_EVERY = 20  # every 20th account's CA is unhealthy: its channel gets the red flags (Slack's side)
SLACK_PER_SECOND, SLACK_BURST = 1.0, 3
# The fakes are stdlib HTTP servers with a listen backlog of 5: with one report per account nothing spaces
# a seller's checks a minute apart any more, 40 workers post at once and a full backlog resets connections
# (a loopback artifact; Slack and Amazon do not refuse connections at this rate).
LISTEN_BACKLOG = 128


def accounts(n: int) -> AccountsConfig:
    return AccountsConfig(
        accounts=[
            AccountConfig(
                account_id=f"acct-{i:05d}",
                name=f"Account {i}",
                seller_id=f"A{i:013d}",
                marketplaces=[MarketplaceConfig(code=c, alert_channel=f"C{i:05d}{c}") for c in CODES],
            )
            for i in range(n)
        ]
    )


def minimum_seconds(create_per_seller: int, rate: float) -> float:
    """A seller's createReport calls at the sustained rate (the first one free): the run cannot end sooner."""
    return max(0, create_per_seller - 1) / rate


def run(n: int, time_scale: float, spread: int, workers: int) -> dict:
    config = accounts(n)
    data = SandboxData.build(accounts=config, orders_per_pair=0)
    data.health = {
        (a.account_id, c): HealthSeed(healthy=not (c == "CA" and i % UNHEALTHY_EVERY == 0), spelling="schema")
        for i, a in enumerate(config.accounts)
        for c in CODES
    }
    rates = scaled(DEFAULT_RATES, time_scale)
    ThreadingHTTPServer.request_queue_size = LISTEN_BACKLOG
    os.environ.setdefault("SELLERBOT_SLACK_POSTS_PER_SECOND", str(SLACK_PER_SECOND))  # the bot's own pacer
    jobs = plan(config.pairs(), run_id=run_id_for(datetime.now(UTC)), spread_seconds=spread)
    with FakeSpApi(data, enforce_rates=True, rate_scale=time_scale, report_polls=0) as spapi, FakeSlack() as slack:
        slack.channel_rate = ChannelRate(per_second=SLACK_PER_SECOND, burst=SLACK_BURST)
        factory = SpApiFactory(
            EnvCredentials(spapi.credentials_env()),
            RateLimiter(rates, headroom=HEADROOM),
            endpoint_override=spapi.base_url,
            lwa_endpoint_override=spapi.base_url,
        )
        store = SQLiteStore(":memory:")
        deps = HealthDeps(
            store=store,
            slack=build_web_client(slack.token, slack.base_url),
            accounts=config,
            reports=ReportsGateway(factory),
            poll_interval=10.0 / time_scale,
        )
        outcomes: Counter[str] = Counter()
        lock = threading.Lock()
        t0 = time.monotonic()
        # Due times on the scaled clock; the queue hands out the earliest due job to a free worker.
        due = [(delay / time_scale, k, job) for k, (job, delay) in enumerate(jobs)]
        heapq.heapify(due)

        def worker() -> None:
            while True:
                with lock:
                    if not due:
                        return
                    at, _, job = heapq.heappop(due)
                wait = t0 + at - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                try:
                    runs = run_account_check(
                        deps, job.account, job.codes(), run_id=job.run_id, deadline=time.time() + 60
                    )
                    kinds: list[str] = [r.outcome.status for r in runs]
                except ReportPending:
                    kinds = ["pending"] * len(job.codes())
                except Exception as exc:  # counted, not hidden: the bench prints every outcome
                    kinds = [type(exc).__name__] * len(job.codes())
                with lock:
                    outcomes.update(kinds)

        try:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                for f in [pool.submit(worker) for _ in range(workers)]:
                    f.result()
            elapsed = time.monotonic() - t0
        finally:
            factory.close()
        stats = spapi.stats.as_dict()
        posts = [c for c in slack.calls_to("chat.postMessage") if c.params.get("_fault") is None]
        per_channel = Counter(str(c.params.get("channel")) for c in posts)
        slack_stats = {
            "posts": len(posts),
            "channels": len(per_channel),
            "busiest_channel_posts": max(per_channel.values(), default=0),
            "throttled_429": slack.channel_rate.throttled,
            "before_retry_after": slack.channel_rate.early,
            "updates": len(slack.calls_to("chat.update")),
        }
    creates = stats["requests"].get("createReport", 0)
    per_seller = creates / n
    rate = DEFAULT_RATES["createReport"].rate
    budget = schedule_interval().total_seconds() * rate + DEFAULT_RATES["createReport"].burst
    create_minimum = minimum_seconds(round(per_seller), rate * time_scale)
    # Slack: the busiest channel's posts at 1/s after its burst.
    slack_minimum = max(0, slack_stats["busiest_channel_posts"] - SLACK_BURST) / SLACK_PER_SECOND
    minimum = max(create_minimum, slack_minimum)
    return {
        "accounts": n,
        "checks": sum(len(job.codes()) for job, _ in jobs),
        "messages": len(jobs),
        "time_scale": time_scale,
        "spread_s": spread,
        "workers": workers,
        "outcomes": dict(outcomes),
        "calls": {op: stats["requests"].get(op, 0) for op in ("createReport", "getReport", "getReportDocument")},
        "create_per_seller": per_seller,
        "create_budget_share": per_seller / budget,
        "spapi_throttled_429": stats["total_throttled"],
        "elapsed_s": round(elapsed, 3),
        "per_account_ms": round(elapsed / n * 1000, 2),
        "rate_limit_minimum_s": round(minimum, 3),
        "create_minimum_s": round(create_minimum, 3),
        "slack_minimum_s": round(slack_minimum, 3),
        "elapsed_over_minimum": round(elapsed / minimum, 3) if minimum else None,
        "slack": slack_stats,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--time-scale", type=float, default=1.0, help="SP-API rates x K, delays / K (1 = real)")
    parser.add_argument("--spread", type=int, default=0, help="the schedule's spread window in seconds (prod: 600)")
    parser.add_argument("--workers", type=int, default=40, help="concurrent checks (the check Lambda's concurrency)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    r = run(args.accounts, args.time_scale, args.spread, args.workers)
    if args.json:
        print(json.dumps(r))
        return 0
    s = r["slack"]
    print(
        f"{r['accounts']} accounts × {len(CODES)} marketplaces = {r['checks']} checks in {r['messages']} messages "
        f"(one report per account); plan spread {r['spread_s']} s, "
        f"{r['workers']} workers; SP-API: Amazon's default rates enforced x{r['time_scale']:g} (limiter at "
        f"{HEADROOM:.0%}); Slack: {SLACK_PER_SECOND:g} msg/s per channel, burst {SLACK_BURST}, enforced"
    )
    print(f"outcomes {r['outcomes']}; calls {r['calls']}")
    print(
        f"createReport per seller {r['create_per_seller']:.2f} (burst 15; {r['create_budget_share']:.2%} of the "
        f"seller's budget per {schedule_interval().total_seconds() / 3600:g} h); SP-API 429 answered: "
        f"{r['spapi_throttled_429']} (target 0)"
    )
    ratio = f"{r['elapsed_over_minimum']:.3f}" if r["elapsed_over_minimum"] else "n/a"
    print(
        f"elapsed {r['elapsed_s']:.2f} s at x{r['time_scale']:g}; per account {r['per_account_ms']:.1f} ms; "
        f"rate-limit minimum {r['rate_limit_minimum_s']:.2f} s (the larger of: a seller's createReport calls at "
        f"1/min {r['create_minimum_s']:.2f} s, the busiest channel's posts at 1/s {r['slack_minimum_s']:.2f} s); "
        f"ratio {ratio}"
    )
    print(
        f"Slack: {s['posts']} chat.postMessage to {s['channels']} channels (busiest {s['busiest_channel_posts']}), "
        f"{s['updates']} chat.update; 429 answered {s['throttled_429']}; posts before their Retry-After "
        f"{s['before_retry_after']} (target 0)"
    )
    ok = r["spapi_throttled_429"] == 0 and s["before_retry_after"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
