"""`sellerbot promo`: validate a promo request and ingest a promo-code sales report.

sellerbot promo validate --json '{"code": "SUMMER2026", ...}' [--account ID] [--store URL] [--now ISO]
    prints {"ok": bool, "errors": [{"field","message"}], "warnings": [{"field","message"}]}
    exit 0 ok, 1 not ok, 2 unparseable JSON / unknown account / bad store URL
sellerbot promo report FILE [--json] [--code CODE] [--chart out.png]
    FILE: Amazon's per-code promo report or its All Orders report (promotion-ids column)
    exit 0 parsed, 1 rejected (reason on stderr; also a code no row carries), 2 file unreadable
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from infra.accounts import load_accounts


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    promo = subparsers.add_parser(
        "promo",
        help="promo codes: validate a request, ingest a sales report",
        description="Promo codes: validate a request, ingest Amazon's per-promo-code sales report.",
    )
    sub = promo.add_subparsers(dest="promo_command", metavar="SUBCOMMAND")

    def show_help(args: argparse.Namespace) -> int:
        promo.print_help()
        return 2

    promo.set_defaults(func=show_help)

    v = sub.add_parser(
        "validate",
        help="check a promo request against the rules",
        description="Validate a promo request. JSON keys: code, percent_off, asins, start, end (ISO dates), "
        "marketplace, share_with_influencers, one_per_customer, note. Exit 0 ok, 1 invalid, 2 bad input.",
    )
    v.add_argument("--json", dest="payload", required=True, metavar="JSON", help="the request as a JSON object")
    v.add_argument("--account", help="account id from the accounts config (default: the first account)")
    v.add_argument(
        "--store",
        help="store URL whose promotions count as existing (sqlite:///abs/path.db, dynamodb://TABLE); default none",
    )
    v.add_argument("--now", help="ISO datetime to validate against instead of the current time (UTC if naive)")
    v.set_defaults(func=run_validate)

    r = sub.add_parser(
        "report",
        help="summarise an Amazon promo-code sales report CSV",
        description="Ingest Amazon's per-promo-code sales report or its All Orders report "
        "(CSV/TSV, any common encoding). Exit 0 parsed, 1 rejected with the reason "
        "(including a --code no row carries), 2 file unreadable.",
    )
    r.add_argument("file", metavar="FILE", help="the downloaded report")
    r.add_argument("--json", action="store_true", help="print the report as JSON")
    r.add_argument(
        "--code",
        help="only rows of this promo code, matched in the Promo Code or promotion-ids column; "
        "a code no row carries is rejected with the file's date range",
    )
    r.add_argument("--chart", metavar="OUT.PNG", help="also write a PNG bar chart of daily orders, referred vs not")
    r.set_defaults(func=run_report)


def _err(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def run_validate(args: argparse.Namespace) -> int:
    # Lazy: every `sellerbot` run imports every subcommand module; only this one loads the promo domain.
    from handlers.promo.validation import validate

    try:
        raw = json.loads(args.payload)
    except json.JSONDecodeError as exc:
        return _err(
            f"--json is not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno}); pass one object in single quotes"
        )
    if not isinstance(raw, dict):
        return _err("--json must be a JSON object with keys code, percent_off, asins, start, end, ...")
    accounts = load_accounts()
    account = accounts.get(args.account) if args.account else accounts.default()
    if account is None:
        return _err(f"unknown account {args.account!r}; known: {', '.join(a.account_id for a in accounts.accounts)}")
    now = datetime.now(UTC)
    if args.now:
        try:
            now = datetime.fromisoformat(args.now.replace("Z", "+00:00"))
        except ValueError:
            return _err(f"--now {args.now!r} is not an ISO datetime, e.g. 2026-11-24T09:00:00Z")
    existing = []
    if args.store:
        # Lazy: only --store reads the stored promotions.
        from handlers.promo.repository import PromoRepository
        from infra.store.factory import build_store

        try:
            existing = PromoRepository(build_store(args.store)).list(account.account_id)
        except ValueError as exc:
            return _err(str(exc))
    result = validate(raw, account=account, existing=existing, now=now)
    print(json.dumps(result.contract(), ensure_ascii=False))
    return 0 if result.ok else 1


def run_report(args: argparse.Namespace) -> int:
    # Lazy: every `sellerbot` run imports every subcommand module; only this one loads the report parser.
    from handlers.promo.report import ReportRejected, parse_report

    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        return _err(f"cannot read {args.file}: {exc.strerror}")
    try:
        report = parse_report(data, code=args.code)
    except ReportRejected as exc:
        print(f"rejected: {exc.reason}", file=sys.stderr)
        if args.json:
            print(json.dumps({"ok": False, "reason": exc.reason}))
        return 1
    if args.code and "promo_code" not in report.columns:
        print(
            f"note: {args.file} has no promo-code column; every row is counted as {report.code} "
            "(Amazon's per-code report holds one code)",
            file=sys.stderr,
        )
    if args.chart:
        # Lazy: only --chart draws (the chart module imports matplotlib, ~500 ms, when it draws).
        from handlers.promo.chart import daily_orders_png

        Path(args.chart).write_bytes(daily_orders_png(report))
    if args.json:
        print(report.model_dump_json())
    else:
        share = (
            f"{report.referred_share_orders:.0%}"
            if report.referred_share_orders is not None
            else "n/a (no referral column)"
        )
        print(
            f"orders {report.orders}  units {report.units}  revenue {report.revenue:.2f}  discount {report.discount_cost:.2f}  referred {share}"
        )
        for d in report.daily:
            print(
                f"{d.date}  referred {d.orders_referred}  not referred {d.orders_not_referred}  revenue {d.revenue:.2f}"
            )
        if report.row_errors:
            print(
                f"{report.row_error_count} row(s) skipped: "
                + "; ".join(f"line {e.line}: {e.reason}" for e in report.row_errors[:5])
            )
    return 0
