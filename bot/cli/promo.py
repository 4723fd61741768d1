"""`sellerbot promo`: validate a promo request and ingest a promo-code sales report.

sellerbot promo validate --json '{"code": "SUMMER2026", ...}' [--account ID] [--store URL] [--now ISO]
    prints {"ok": bool, "errors": [{"field","message"}], "warnings": [{"field","message"}]}
    exit 0 ok, 1 not ok, 2 unparseable JSON / unknown account / bad store URL
sellerbot promo report FILE [--json] [--code CODE] [--chart out.png] [--marketplace US] [--from DAY --to DAY]
                         [--account A]
    FILE: Amazon's per-code promo report or its All Orders report (promotion-ids column)
    prints totals with their currency (the file's, else --marketplace's), the referred share, the days the file
    covers, and with --from/--to which days of that window it misses (--json: the report, plus "coverage")
    and "affiliates": with --account and --marketplace, Amazon Attribution's totals over the file's days (a separate
    statistic, never joined to promo codes), else {"available": false, "reason", "message"}
    exit 0 parsed, 1 rejected (reason on stderr; also a code no row carries), 2 file unreadable
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bot.cli._accounts import cli_accounts


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
        description="Validate a promo request. JSON keys: code, percent_off, asins, start, end (dates in the marketplace's "
        "local time: YYYY-MM-DD, YYYY-MM-DDTHH:MM, today, tomorrow, +3d, +2w), "
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
    r.add_argument(
        "--marketplace",
        metavar="CODE",
        help="marketplace the report is from (US, UK, DE, ...): its local days and, when the file names no currency, "
        "its currency; default none (days as written, currency only from the file)",
    )
    r.add_argument(
        "--from", dest="window_from", metavar="YYYY-MM-DD", help="first day of the promotion (check coverage)"
    )
    r.add_argument("--to", dest="window_to", metavar="YYYY-MM-DD", help="last day of the promotion (check coverage)")
    r.add_argument(
        "--account",
        help="with --marketplace: also ask Amazon Attribution for this account's affiliate totals over the file's "
        'days ("affiliates" in --json; a separate statistic, never joined to promo codes)',
    )
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
    try:
        accounts = cli_accounts(args)
    except ValueError as exc:
        return _err(str(exc))
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


def _window(args: argparse.Namespace) -> tuple[date, date] | str | None:
    """The --from/--to days to check, None when neither is given, or the error to print."""
    if not args.window_from and not args.window_to:
        return None
    try:
        first = date.fromisoformat(args.window_from) if args.window_from else None
        last = date.fromisoformat(args.window_to) if args.window_to else None
    except ValueError:
        return "--from and --to are days like 2026-12-01"
    if first is None or last is None:
        return "give both --from and --to (the promotion's first and last day)"
    if last < first:
        return f"--to {last} is before --from {first}"
    return first, last


def run_report(args: argparse.Namespace) -> int:
    # Lazy: every `sellerbot` run imports every subcommand module; only this one loads the report parser.
    from handlers.promo.report import ReportRejected, coverage, parse_report
    from infra.marketplaces import MARKETPLACES

    if args.marketplace and args.marketplace.upper() not in MARKETPLACES:
        return _err(f"unknown marketplace {args.marketplace!r}; known: {', '.join(MARKETPLACES)}")
    window = _window(args)
    if isinstance(window, str):
        return _err(window)
    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        return _err(f"cannot read {args.file}: {exc.strerror}")
    try:
        report = parse_report(data, code=args.code, marketplace=args.marketplace)
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
    gap = coverage(report, *window) if window else None
    if args.chart:
        # Lazy: only --chart draws (the chart module imports matplotlib, ~500 ms, when it draws).
        from handlers.promo.chart import daily_orders_png

        Path(args.chart).write_bytes(daily_orders_png(report))
    affiliates = _affiliates(args, report)
    if args.json:
        out = json.loads(report.model_dump_json())
        if gap is not None:
            out["coverage"] = {**json.loads(gap.model_dump_json()), "covered": gap.covered}
        out["affiliates"] = affiliates
        print(json.dumps(out, ensure_ascii=False))
        return 0
    _print_report(report, gap, args.marketplace)
    print(_affiliates_line(affiliates))
    return 0


def _affiliates(args: argparse.Namespace, report: Any) -> dict[str, Any]:
    """Amazon Attribution totals for the file's marketplace and days (issue 22), or why there are none."""
    # Lazy: only `promo report` loads the affiliate view and its service.
    from bot.views.affiliates import promo_panel_json

    if not args.account or not args.marketplace:
        why = "pass --account A --marketplace M to add Amazon Attribution's totals for the same days"
        return promo_panel_json(None, why)
    from bot.affiliates_service import beside_promo, cli_service

    try:
        account = cli_accounts(args).get(args.account.lower())
    except ValueError as exc:
        return promo_panel_json(None, str(exc))
    if account is None:
        return promo_panel_json(None, f"unknown account {args.account!r}")
    panel = beside_promo(cli_service, account, args.marketplace.upper(), report.first_day, report.last_day)
    return promo_panel_json(*panel)


def _affiliates_line(affiliates: dict[str, Any]) -> str:
    if not affiliates.get("available"):
        return f"amazon attribution (separate statistic): {affiliates.get('message') or 'not available'}"
    t, cur = affiliates["totals"], affiliates["currency"]
    brb = f", est. BRB {t['brb_estimate']} {cur}" if t["brb_estimate"] is not None else ""
    return (
        f"amazon attribution (separate statistic, never joined to promo codes): {affiliates['from']} to "
        f"{affiliates['to']}: clicks {t['clicks']}, purchases {t['purchases']}, sales {t['sales']} {cur}{brb}"
    )


def _print_report(report: Any, gap: Any, marketplace: str | None) -> None:
    cur = f" {report.currency}" if report.currency else ""
    share = (
        f"{report.referred_orders}/{report.orders} orders ({report.referred_share_orders:.0%}), "
        f"{report.referred_units}/{report.units} units ({report.referred_share_units:.0%}), "
        f"{report.referred_revenue:.2f}{cur} ({report.referred_share_revenue:.0%})"
        if report.referred_share_orders is not None
        else "n/a: no referral column (Amazon adds it only for codes shared with Influencers/Associates)"
    )
    print(
        f"orders {report.orders}  units {report.units}  sales {report.revenue:.2f}{cur}  "
        f"discount {report.discount_cost:.2f}{cur}"
    )
    print(f"referred by Associates/Influencers: {share}")
    if report.currency is None:
        print("currency: not named in the file; pass --marketplace to use the marketplace's")
    else:
        where = "from the file" if report.currency_source == "report" else f"the {report.marketplace} marketplace's"
        print(f"currency: {report.currency} ({where})")
    span = f"{report.first_day} to {report.last_day}" if report.first_day else "no readable dates"
    print(f"covers: {span}" + (f" ({marketplace.upper()} local days)" if marketplace else ""))
    if gap is not None:
        print(
            "coverage: the report covers the whole window"
            if gap.covered
            else "WARNING: "
            + gap.sentence(report.code or "the promotion", marketplace.upper() if marketplace else None)
        )
    for d in report.daily:
        print(
            f"{d.date}  referred {d.orders_referred}  not referred {d.orders_not_referred}  sales {d.revenue:.2f}{cur}"
        )
    if report.row_errors:
        print(
            f"{report.row_error_count} row(s) skipped: "
            + "; ".join(f"line {e.line}: {e.reason}" for e in report.row_errors[:5])
        )
