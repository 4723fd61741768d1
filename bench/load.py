"""Load run (issue 7): 1,000 Slack requests through bot.lambda_handler.handler, 20 at a time, 20% repeated.

The mix and the judgement are in bot/local/load.py (shared with tests/reliability/test_idempotency_load.py):
`/review`, `/message` + Send/Cancel clicks, `/promo new` + Approve clicks, `/health check` + alert
Acknowledge clicks, `/sellerbot help`, malformed commands; 20% of the requests are
Slack retries (same body, X-Slack-Retry-Num) or double requests/clicks (new trigger_id). Slack, SP-API (real
python-amazon-sp-api client) and the store are the local fakes over real HTTP / SQLite, or DynamoDB in moto
server mode with `--store dynamodb`.

Printed: requests, accepted, duplicates, lost, ack latency p50/p99, and the p99 ratio against a bare Bolt
app acking a slash command on the same Lambda adapter at the same concurrency (machine-independent).
Lazy listeners are held while a wave's acks are timed and then run 20 at a time (on AWS they run in other
containers); SP-API rate plans are scaled x1000 so the run measures the bot, not Amazon's 1 request/s.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SELLERBOT_LOG_LEVEL", "WARNING")
os.environ.setdefault("SELLERBOT_HEALTH_POLL_SECONDS", "0.01")  # the fake builds a report in 2 polls
for _k, _v in (("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing"),
               ("AWS_DEFAULT_REGION", "us-east-1")):
    os.environ.setdefault(_k, _v)


def _store(kind: str):
    if kind == "sqlite":
        from infra.store.sqlite import SQLiteStore

        return SQLiteStore(":memory:"), None
    from moto.server import ThreadedMotoServer

    from infra.store.dynamodb import DynamoDBStore, ensure_table, make_client

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = make_client(endpoint_url=endpoint, region_name="us-east-1")
    ensure_table(client, "sellerbot-load")
    return DynamoDBStore("sellerbot-load", client), server


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1000, help="requests (default 1000)")
    parser.add_argument("--concurrency", type=int, default=20, help="requests in flight (default 20)")
    parser.add_argument("--repeat-share", type=float, default=0.2, help="share of retries/double clicks (0.2)")
    parser.add_argument("--store", choices=("sqlite", "dynamodb"), default="sqlite",
                        help="sqlite (in memory) or dynamodb (moto server over HTTP)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print the report as JSON too")
    args = parser.parse_args()

    import logging

    from bot.local.harness import BotHarness
    from bot.local.load import LoadRun, as_json, bare_bolt_p99, fast_spapi, install_deferred_lambda

    store, server = _store(args.store)
    try:
        with BotHarness(store=store, with_spapi=True) as harness:
            logging.getLogger().setLevel(logging.WARNING)
            fast_spapi(harness)
            lazy = install_deferred_lambda(harness, concurrency=args.concurrency)
            run = LoadRun(harness, args.n, concurrency=args.concurrency, repeat_share=args.repeat_share,
                          seed=args.seed)
            report = run.run(wait_timeout=600)
            harness.wait(60)
            lazy.close()
    finally:
        if server is not None:
            server.stop()
    # The baseline is sub-millisecond, so one descheduling moves its p99: take the median of 5 runs.
    bare = sorted((bare_bolt_p99(args.n, args.concurrency) for _ in range(5)), key=lambda pq: pq[1])
    bare_p50, bare_p99 = bare[2]
    print(f"load run: N={args.n}, concurrency {args.concurrency}, repeated {args.repeat_share:.0%}, "
          f"store {args.store}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    for line in report.lines():
        print("  " + line)
    print(f"  bare Bolt ack at the same concurrency: p50 {bare_p50:.1f} ms, p99 {bare_p99:.1f} ms; "
          f"ratio sellerbot/bare p99 {report.p99_ms / bare_p99:.2f}x")
    print(f"  SP-API requests: {json.dumps(report.spapi, sort_keys=True)}")
    for problem in report.problems:
        print("  PROBLEM " + problem)
    if args.json:
        print(as_json(report))
    return 0 if report.duplicates == 0 and report.lost == 0 and report.errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
