"""`sellerbot status [--json] [--store URL]`: the bot's own state, as admins see it in `/sellerbot status`.

It reads the figures itself, with the same code the bot runs (bot/jobs/ops_status.py), from this
process's environment: the store (--store, $SELLERBOT_STORE_URL, else the demo store .demo/sellerbot.db),
the accounts in that store (while it holds none, the accounts file), queue URLs from the
SELLERBOT_*_QUEUE_URL / *_DLQ_URL variables, CloudWatch for $SELLERBOT_STAGE. It does not ask a running
bot: the bot would read the same store and the same AWS, and a Slack reply is no JSON. In `make demo`
no queue URL is set and the stage is `local`, so queues and errors show as unknown, with that reason.
"""

from __future__ import annotations

import argparse
import json
import sys

DESCRIPTION = __doc__.split("\n\n", 1)[1].replace("\n", " ") if __doc__ else ""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "status",
        help="the bot's own state: version, schedules, queues, 24 h errors, health-check coverage",
        description="Show the bot's own state, as admins see it in `/sellerbot status`. " + DESCRIPTION,
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="print JSON with top-level keys version, deployed_at, stage, generated_at, schedules, queues, "
        "errors_24h, health, unknown; a figure that could not be read is null with an `unknown` reason",
    )
    parser.add_argument(
        "--store", help="store URL (sqlite:///abs/path.db, dynamodb://TABLE); default $SELLERBOT_STORE_URL"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # Lazy: every `sellerbot` run imports every subcommand module; only this one reads the store and AWS.
    import os

    from bot.cli._accounts import cli_accounts
    from bot.jobs.ops_status import build_reader
    from bot.local.demo import demo_store_url
    from infra.store.factory import build_store

    try:
        store = build_store(args.store or os.environ.get("SELLERBOT_STORE_URL") or demo_store_url())
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    status = build_reader(store=store, accounts=cli_accounts(args), env=dict(os.environ)).read()
    if args.json:
        print(json.dumps(status.model_dump(mode="json"), indent=2))
        return 0
    print(f"version     {status.version or 'unknown: ' + status.unknown.get('version', '')}")
    print(f"deployed at {status.deployed_at or 'unknown: ' + status.unknown.get('deployed_at', '')}")
    print(f"stage       {status.stage}")
    for s in status.schedules:
        if s.unknown:
            when = f"unknown: {s.unknown}"
        elif s.last_success_at is None:
            when = "no successful run recorded"
        else:
            when = f"last success {s.last_success_at:%Y-%m-%d %H:%M} UTC ({s.age_seconds} s ago)"
        print(f"schedule    {s.name:<20} {s.rate:<20} {when}{'  LATE' if s.late else ''}")
    for q in status.queues:
        depth = f"unknown: {q.unknown}" if q.depth is None else f"{q.depth} waiting, {q.in_flight} in flight"
        print(f"queue       {q.name:<26} {q.kind:<8} {depth}")
    e = status.errors_24h
    if e.unknown and e.errors is None:
        print(f"errors 24h  unknown: {e.unknown}")
    else:
        print(
            f"errors 24h  lambda errors {e.errors}, lambda throttles {e.throttles}, sp-api throttles {e.spapi_throttles}"
        )
    h = status.health
    if h.checked is None:
        print(f"health      {h.pairs} pairs, unknown: {h.unknown}")
    else:
        print(
            f"health      {h.pairs} pairs: {h.checked} checked, {h.stale} stale, {h.failed} failed, {h.in_flight} running"
        )
    return 0
