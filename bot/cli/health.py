"""`sellerbot health`: evaluate an Amazon V2 seller performance report offline; record notification subscriptions.

  sellerbot health evaluate FILE [--json] [--previous FILE] [--account ID] [--marketplace CODE]
      prints {"account_status": "...", "red_flags": [{"metric","value","target","severity","message", ...}],
              "warnings": [{"metric","value","previous","target","message", ...}]}
      exit 0 no red flags, 1 red flags, 2 bad input (one line on stderr: what is wrong, what to do), also for
      a file that crashes a JSON parser (nesting too deep, an integer past Python's digit limit)

  sellerbot health subscribe --account ID --subscription-id ID [--marketplace CODE] [--store URL]
      records the subscriptionId Amazon returned from createSubscription (ACCOUNT_STATUS_CHANGED) for the
      account, so its notifications, which name no seller, reach the account's alert channel
      store: --store, $SELLERBOT_STORE_URL, else the demo store (.demo); exit 0 recorded or already recorded,
      2 refused (unknown account or marketplace, bad id, recorded for another account)

`warnings` holds the trend warnings, then the report notices: a metric or field
the parser does not know ("unknown metric X with N defects"), a malformed value
of a known metric, an unknown status (`kind` says which; previous/target null).
Neither kind changes the exit code.

`account_status` is the worst status across the report's marketplaces
(DEACTIVATED > SUSPENDED > AT_RISK > any unknown value > NORMAL; UNKNOWN when
the report lists none). Rates are fractions as in the report (0.01 = 1 %).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli._accounts import cli_accounts

# What a JSON parser raises on hostile input besides its own errors.
_PARSER_CRASHES = (ValueError, TypeError, RecursionError, MemoryError)

if TYPE_CHECKING:
    from handlers.health.evaluate import Evaluation, FlagDiff
    from handlers.health.report import PerformanceReport


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    health = subparsers.add_parser(
        "health",
        help="account health: evaluate a V2 seller performance report",
        description="Account health (red flags) from Amazon's GET_V2_SELLER_PERFORMANCE_REPORT.",
    )
    sub = health.add_subparsers(dest="health_command", metavar="SUBCOMMAND")

    def show_help(args: argparse.Namespace) -> int:
        health.print_help()
        return 2

    health.set_defaults(func=show_help)

    ev = sub.add_parser(
        "evaluate",
        help="list red flags and trend warnings in a report file",
        description="Evaluate a V2 seller performance report (JSON, gzipped or not). Exit 0 when there are no red "
        "flags, 1 when there are, 2 when the file is unreadable or not such a report.",
    )
    ev.add_argument("file", metavar="FILE", help="the report document (JSON or .gz)")
    ev.add_argument("--json", action="store_true", help="print the result as JSON")
    ev.add_argument(
        "--previous", metavar="FILE", help="an earlier report: adds trend warnings and marks flags new/still_open"
    )
    ev.add_argument(
        "--account",
        help="account id from the accounts config: applies its per-marketplace thresholds "
        "and names the flags (default: 'report', Amazon's targets only)",
    )
    ev.add_argument("--marketplace", metavar="CODE", help="only this marketplace (code like US or an Amazon id)")
    ev.set_defaults(func=run_evaluate)

    sb = sub.add_parser(
        "subscribe",
        help="record an SP-API notification subscription id for an account",
        description="Record the subscriptionId Amazon returned from createSubscription (or getSubscription) for "
        "ACCOUNT_STATUS_CHANGED: that notification names no seller, so the bot routes it by this id.",
    )
    sb.add_argument("--account", required=True, help="account id from the accounts config")
    sb.add_argument("--subscription-id", required=True, dest="subscription_id", help="Amazon's subscriptionId")
    sb.add_argument(
        "--marketplace",
        metavar="CODE",
        help="the account's marketplace (code or Amazon id) to alert in; leave it out when the account sells in "
        "several (Amazon does not say which, so the alert goes to the account's first channel)",
    )
    sb.add_argument("--store", help="store URL (sqlite:///abs/path.db, dynamodb://TABLE); default $SELLERBOT_STORE_URL")
    sb.set_defaults(func=run_subscribe)


def _err(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def _read(path: str, label: str) -> PerformanceReport:
    # Lazy: every `sellerbot` run imports every subcommand module; only this one loads the report parser.
    from handlers.health.report import ReportUnreadable, parse_report

    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ReportUnreadable(f"cannot read {label} {path}: {exc.strerror}") from exc
    try:
        return parse_report(data)
    except ReportUnreadable as exc:
        raise ReportUnreadable(f"{label} {path}: {exc.reason}") from exc
    except _PARSER_CRASHES as exc:
        # A JSON parser crash (RecursionError, ValueError past the integer digit limit, ...) is bad input too.
        raise ReportUnreadable(
            f"{label} {path}: not a readable V2 seller performance report ({type(exc).__name__}); "
            "pass the document downloaded for GET_V2_SELLER_PERFORMANCE_REPORT"
        ) from exc


def run_subscribe(args: argparse.Namespace) -> int:
    # Lazy: as in run_evaluate; only this command opens the store.
    import os
    from datetime import UTC, datetime

    from bot.local.demo import demo_store_url
    from handlers.health.subscriptions import SubscriptionRefused, record_subscription
    from infra.store.factory import build_store

    try:
        store = build_store(args.store or os.environ.get("SELLERBOT_STORE_URL") or demo_store_url())
        outcome = record_subscription(
            store,
            cli_accounts(args),
            args.subscription_id,
            args.account,
            args.marketplace,
            by=f"cli:{os.environ.get('USER', 'unknown')}",
            now=datetime.now(UTC),
        )
    except (SubscriptionRefused, ValueError) as exc:
        return _err(str(exc))
    where = f" {args.marketplace}" if args.marketplace else ""
    done = "recorded" if outcome == "recorded" else "already recorded"
    print(f"subscription {args.subscription_id} {done} for account {args.account}{where}")
    return 0


def run_evaluate(args: argparse.Namespace) -> int:
    # Lazy: every `sellerbot` run imports every subcommand module; only this one loads the health domain.
    from handlers.health.evaluate import diff_flags, evaluate_report
    from handlers.health.report import ReportUnreadable

    thresholds: dict[str, dict[str, float]] = {}
    account_id = "report"
    if args.account:
        try:
            accounts = cli_accounts(args)
        except ValueError as exc:
            return _err(str(exc))
        account = accounts.get(args.account)
        if account is None:
            return _err(
                f"unknown account {args.account!r}; known: {', '.join(a.account_id for a in accounts.accounts)}"
            )
        account_id = account.account_id
        thresholds = {m.code: m.thresholds for m in account.marketplaces}
    try:
        report = _read(args.file, "report")
        previous_report = _read(args.previous, "--previous") if args.previous else None
    except ReportUnreadable as exc:
        return _err(f"report unreadable: {exc.reason}")
    only = None
    if args.marketplace:
        wanted = args.marketplace.upper() if len(args.marketplace) == 2 else args.marketplace
        listed = {m: _code(m) for m in report.marketplace_ids()}
        if wanted not in listed and wanted not in listed.values():
            return _err(
                f"--marketplace {args.marketplace} is not in the report (it lists {', '.join(listed.values())})"
            )
        only = [wanted]
    prev = (
        evaluate_report(previous_report, account=account_id, thresholds=thresholds, marketplaces=only)
        if previous_report
        else None
    )
    result = evaluate_report(
        report, account=account_id, thresholds=thresholds, previous=prev.metrics if prev else None, marketplaces=only
    )
    diff = diff_flags(prev.flags, result.flags) if prev else None
    if args.json:
        _print_json(result, diff)
    else:
        _print_text(result, diff)
    return 1 if result.flags else 0


def _change(flag_id: str, diff: FlagDiff | None) -> str | None:
    """ "new" or "still_open" against --previous; None without it."""
    if diff is None:
        return None
    return "new" if flag_id in {f.flag_id for f in diff.new} else "still_open"


def _print_json(result: Evaluation, diff: FlagDiff | None) -> None:
    flags = []
    for f in result.flags:
        item = f.contract()
        change = _change(f.flag_id, diff)
        if change is not None:
            item["change"] = change
        flags.append(item)
    warnings = [w.contract() for w in result.warnings] + [n.contract() for n in result.notices]
    print(
        json.dumps(
            {"account_status": result.account_status, "red_flags": flags, "warnings": warnings}, ensure_ascii=False
        )
    )


def _print_text(result: Evaluation, diff: FlagDiff | None) -> None:
    print(
        f"account status: {result.account_status}  "
        f"({', '.join(f'{k} {v}' for k, v in result.statuses.items()) or 'no statuses in report'})"
    )
    if not result.flags:
        print("no red flags")
    for f in result.flags:
        change = {None: "", "new": " [new]", "still_open": " [still open]"}[_change(f.flag_id, diff)]
        print(f"[{f.severity.upper():8}] {f.marketplace} {f.message}{change}\n           next: {f.next_step}")
    for w in result.warnings:
        print(f"[TREND   ] {w.marketplace} {w.message}")
    for n in result.notices:
        print(f"[NOTICE  ] {n.marketplace} {n.message}")
    if diff is not None:
        for f in diff.resolved:
            print(f"[RESOLVED] {f.marketplace} {f.label}")


def _code(marketplace_id: str) -> str:
    # Lazy: as in run_evaluate (already imported by then).
    from handlers.health.evaluate import marketplace_key

    return marketplace_key(marketplace_id)
