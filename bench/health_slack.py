"""Account health on the Slack and worker side: what a user waits for, and what a run costs.

  ack        /health, /health check and an alert button through the whole Lambda handler
             (signed request → gate → Bolt ack), p50/p95 over --acks requests each
  summary    `/health` for an agency: --accounts accounts × 2 marketplaces checked once, then the
             lazy listener's work (store reads for every pair + Block Kit), timed end to end
  check      the SQS check worker against the fake SP-API over HTTP (createReport → 2 getReport
             polls → document → evaluate → posts to the fake Slack), per record
  escalate   due_escalations over --accounts × 2 pairs' open critical alerts (one scan, all due)

Everything runs in-process against SQLite and the HTTP fakes; absolute numbers are for this
machine only. The SP-API rate limits are not the subject here (see FANOUT.md): the check
phase scales Amazon's rate table up 1,000× on both sides (client limiter and the fake's headers).

  .venv/bin/python bench/health_slack.py [--accounts 300] [--acks 40] [--checks 40]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("SELLERBOT_LOG_LEVEL", "ERROR")

from bench.load_driver import percentile


def bench_acks(n: int) -> None:
    from bot.local.harness import BotHarness
    from infra.store.sqlite import SQLiteStore

    os.environ["SELLERBOT_HEALTH_POLL_SECONDS"] = "0.01"
    with BotHarness(store=SQLiteStore(":memory:"), with_spapi=True) as bot:
        bot.slash("/health check acme CA")
        bot.wait(60)
        alert = next(m for m in bot.slack.messages["C0ACMECA"] if m.get("blocks"))
        value = next(e["value"] for b in alert["blocks"] if b["type"] == "actions" for e in b["elements"])
        for label, send in (
            ("/health acme CA", lambda: bot.slash("/health acme CA")),
            ("/health check acme CA", lambda: bot.slash("/health check acme CA")),
            (
                "button health_assign",
                lambda: bot.click("health_assign", value, channel="C0ACMECA", message_ts=alert["ts"]),
            ),
        ):
            times = []
            for _ in range(n):
                started = time.perf_counter()
                response = send()
                times.append((time.perf_counter() - started) * 1000)
                assert response["statusCode"] == 200
                bot.wait(60)
            print(
                f"  ack {label:24} p50 {statistics.median(times):6.1f} ms  p95 {percentile(times, 95):6.1f} ms  "
                f"max {max(times):6.1f} ms  (n={n})"
            )


def _accounts(n: int) -> dict:
    return {
        "accounts": [
            {
                "account_id": f"seller-{i:04d}",
                "name": f"Seller {i}",
                "seller_id": f"A{i:013d}",
                "marketplaces": [
                    {"code": "US", "alert_channel": f"C{i:06d}US", "owner_group": "S0OPS"},
                    {"code": "CA", "alert_channel": f"C{i:06d}CA", "owner_group": "S0OPS"},
                ],
            }
            for i in range(n)
        ]
    }


def bench_summary_and_escalation(n: int) -> None:
    from bot.local.harness import BotHarness
    from handlers.health.alerts import AlertBook
    from handlers.health.service import check_account
    from infra.accounts import AccountsConfig
    from infra.fakes.sp_api.data import performance_metrics
    from infra.store.sqlite import SQLiteStore

    config = AccountsConfig.model_validate(_accounts(n))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "accounts.json"
        path.write_text(json.dumps(_accounts(n)))
        store = SQLiteStore(str(Path(tmp) / "bench.db"))
        now = datetime.now(UTC)
        started = time.perf_counter()
        for i, (account, marketplace) in enumerate(config.pairs()):
            healthy = i % 5 != 0  # a fifth of the pairs are at risk
            doc = {
                "accountStatuses": [
                    {"marketplaceId": marketplace.marketplace_id, "status": "NORMAL" if healthy else "AT_RISK"}
                ],
                "performanceMetrics": [
                    performance_metrics(now, marketplace.marketplace_id, healthy=healthy, spelling="schema")
                ],
            }
            check_account(json.dumps(doc).encode(), account, marketplace, store, now)
        seeded = time.perf_counter() - started
        alerts = sum(len(AlertBook(store).list_for(a.account_id, m.code)) for a, m in config.pairs())
        print(f"  seeded {len(config.pairs())} pairs ({alerts} open alerts) in {seeded:.1f} s")

        os.environ["SELLERBOT_ACCOUNTS_FILE"] = str(path)
        try:
            with BotHarness(store=store) as bot:
                times = []
                for _ in range(3):
                    started = time.perf_counter()
                    bot.slash("/health")
                    bot.wait(120)
                    times.append(time.perf_counter() - started)
                reply = bot.replies()[-1]
                print(
                    f"  /health summary of {len(config.pairs())} pairs: {min(times) * 1000:.0f} ms best of 3 "
                    f"(ack + store reads + Block Kit + response_url), {len(reply['blocks'])} blocks, "
                    f"{len(json.dumps(reply))} bytes"
                )
        finally:
            os.environ.pop("SELLERBOT_ACCOUNTS_FILE", None)

        book = AlertBook(store, escalation_delay=timedelta(minutes=60))
        started = time.perf_counter()
        due = book.due_escalations(now + timedelta(hours=2))
        first = time.perf_counter() - started
        started = time.perf_counter()
        again = book.due_escalations(now + timedelta(hours=3))
        second = time.perf_counter() - started
        print(
            f"  escalation scan: {len(due)} due in {first * 1000:.0f} ms ({first / max(len(due), 1) * 1000:.2f} "
            f"ms each, CAS + audit); next scan {len(again)} due in {second * 1000:.0f} ms"
        )
        store.close()


def bench_checks(n: int) -> None:
    from bot.jobs.health_checks import HealthDeps
    from bot.jobs.health_queue import HealthCheckJob
    from bot.local.lambda_emulation import LocalContext
    from bot.slack_client import build_web_client
    from bot.workers import health_check
    from handlers.health.spapi_adapter import ReportsGateway
    from infra.accounts import load_accounts
    from infra.fakes.slack_api import FakeSlack
    from infra.fakes.sp_api import FakeSpApi
    from infra.secrets import EnvCredentials
    from infra.spapi.factory import SpApiFactory
    from infra.spapi.limiter import RateLimiter
    from infra.spapi.rates import DEFAULT_RATES, scaled
    from infra.store.sqlite import SQLiteStore

    accounts = load_accounts()
    with FakeSpApi(report_polls=2, rate_scale=1000.0) as fake, FakeSlack() as slack:
        factory = SpApiFactory(
            EnvCredentials(fake.credentials_env()),
            RateLimiter(scaled(DEFAULT_RATES, 1000.0)),
            endpoint_override=fake.base_url,
            lwa_endpoint_override=fake.base_url,
        )
        deps = HealthDeps(
            store=SQLiteStore(":memory:"),
            slack=build_web_client(slack.token, slack.base_url),
            accounts=accounts,
            reports=ReportsGateway(factory),
            poll_interval=0.0,
            sleep=lambda s: None,
        )
        handler = health_check.make_handler(deps)
        pairs = accounts.pairs()
        times = []
        for i in range(n):
            account, marketplace = pairs[i % len(pairs)]
            job = HealthCheckJob(account=account.account_id, marketplace=marketplace.code, run_id=f"bench-{i}")
            event = {
                "Records": [
                    {
                        "messageId": f"m{i}",
                        "receiptHandle": "r",
                        "body": job.model_dump_json(),
                        "attributes": {"ApproximateReceiveCount": "1"},
                        "messageAttributes": {},
                        "md5OfBody": "",
                        "eventSource": "aws:sqs",
                        "eventSourceARN": "arn:aws:sqs:::q",
                        "awsRegion": "us-east-1",
                    }
                ]
            }
            started = time.perf_counter()
            result = handler(event, LocalContext(60))
            assert result == {"batchItemFailures": []}, result
            times.append((time.perf_counter() - started) * 1000)
        posts = len(slack.calls_to("chat.postMessage"))
        print(
            f"  check worker: {n} records, p50 {statistics.median(times):.0f} ms  p95 {percentile(times, 95):.0f} ms "
            f"per record (6 SP-API requests + download + evaluate + store); {posts} Slack posts in total "
            f"(first run of each pair only: later runs of the same flags post nothing)"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=300)
    parser.add_argument("--acks", type=int, default=40)
    parser.add_argument("--checks", type=int, default=40)
    args = parser.parse_args()
    print("== ack latency (whole Lambda handler, in-process)")
    bench_acks(args.acks)
    print(f"== /health for {args.accounts} accounts × 2 marketplaces, and escalation")
    bench_summary_and_escalation(args.accounts)
    print("== SQS check worker vs the fake SP-API over HTTP")
    bench_checks(args.checks)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
