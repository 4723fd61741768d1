"""`sellerbot affiliates report`: Amazon Attribution publishers, from a saved response or from the API.

  sellerbot affiliates report FILE [--currency CODE] [--by-tag] [--json]
      FILE: one POST /attribution/report response page as Amazon returns it, or a JSON list of pages
  sellerbot affiliates report --account A --marketplace M --from YYYY-MM-DD --to YYYY-MM-DD [--by-tag] [--json]
      asks the Attribution API (Amazon's hosts, or SELLERBOT_ADS_ENDPOINT: the fake in the demo) with the
      account's Ads credentials (SELLERBOT_ADS_<ACCOUNT>_* or SSM <prefix>/ads/<account>)

--json prints {"publishers": [{"publisher", "clicks", "detail_page_views", "add_to_carts", "purchases", "units",
"sales", "brb_estimate"}], "totals": {...}} (plus "currency" when known and "masked_rows"): publishers by sales,
amounts as decimal strings to the cent, brb_estimate null where no row carries the metric, and every figure
null for a publisher under Amazon's 10-click threshold (unknown, not zero).
Exit 0 done, 1 Amazon's data unavailable (one line: what to do), 2 bad input (one line: what is wrong).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from handlers.affiliates.models import PublisherRow

MAX_FILE_BYTES = 64 * 1024 * 1024
FIELDS = ("publisher", "clicks", "detail_page_views", "add_to_carts", "purchases", "units", "sales", "brb_estimate")
_PARSER_CRASHES = (ValueError, TypeError, RecursionError, MemoryError)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    affiliates = subparsers.add_parser(
        "affiliates",
        help="Amazon Attribution: publishers, tags and the Brand Referral Bonus",
        description="Amazon Attribution reports per publisher (issue 22).",
    )
    sub = affiliates.add_subparsers(dest="affiliates_command", metavar="SUBCOMMAND")

    def show_help(args: argparse.Namespace) -> int:
        affiliates.print_help()
        return 2

    affiliates.set_defaults(func=show_help)
    rp = sub.add_parser(
        "report",
        help="per-publisher clicks, funnel, sales and estimated BRB",
        description="Per publisher: clicks, detail-page views, add-to-carts, purchases, units, sales and the "
        "estimated Brand Referral Bonus, from a saved Attribution report response (FILE) or from the API "
        "(--account --marketplace --from --to).",
    )
    rp.add_argument(
        "file", metavar="FILE", nargs="?", help="a saved POST /attribution/report response or list of pages"
    )
    rp.add_argument("--currency", metavar="CODE", help="the amounts' ISO 4217 currency (the Ads profile's)")
    rp.add_argument("--account", help="account id (API mode)")
    rp.add_argument("--marketplace", metavar="CODE", help="US CA MX UK DE FR IT ES or NL (API mode)")
    rp.add_argument("--from", dest="start", metavar="YYYY-MM-DD", help="first day, marketplace-local (API mode)")
    rp.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help="last day, inclusive (API mode)")
    rp.add_argument("--by-tag", action="store_true", help="one row per publisher and tag (ad group)")
    rp.add_argument("--json", action="store_true", help="print JSON")
    rp.set_defaults(func=run_report)


def _err(message: str, code: int = 2) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


def run_report(args: argparse.Namespace) -> int:
    currency = (args.currency or "").strip().upper() or None
    if currency is not None and not re.fullmatch(r"[A-Z]{3}", currency):
        return _err(f"--currency {args.currency!r} is not an ISO 4217 code like USD or EUR")
    api_args = [args.account, args.marketplace, args.start, args.end]
    if args.file and any(api_args):
        return _err("give either FILE or --account/--marketplace/--from/--to, not both")
    if args.file:
        return _from_file(args.file, currency, by_tag=args.by_tag, as_json=args.json)
    if not all(api_args):
        return _err("give FILE, or all of --account, --marketplace, --from and --to")
    return _from_api(args, as_json=args.json)


def _from_file(path: str, currency: str | None, *, by_tag: bool, as_json: bool) -> int:
    # Lazy: every `sellerbot` run imports every subcommand module; only this command loads the domain.
    from handlers.affiliates.rows import NotAttributionReport, rows_of, summarise

    try:
        file = Path(path)
        if file.stat().st_size > MAX_FILE_BYTES:
            return _err(f"{path} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; split it into pages")
        document = json.loads(file.read_bytes())
        summary = summarise(rows_of(document), by_tag=by_tag)
    except OSError as exc:
        return _err(f"cannot read {path}: {exc.strerror}")
    except NotAttributionReport as exc:
        return _err(f"{path}: {exc}; pass a saved POST /attribution/report response (or a JSON list of pages)")
    except _PARSER_CRASHES as exc:
        return _err(f"{path}: not JSON ({type(exc).__name__}); pass a saved Attribution report response")
    payload = _payload(summary.publishers, summary.totals, currency, summary.masked_rows)
    _print(payload, as_json)
    return 0


def _from_api(args: argparse.Namespace, *, as_json: bool) -> int:
    # Lazy, as above: the store, the secrets source and the HTTP client only for this command.
    import os
    import time
    from datetime import UTC, datetime

    from bot.cli._accounts import cli_accounts
    from bot.local.demo import demo_store_url
    from bot.settings import Settings
    from handlers.affiliates.models import AffiliatesUnavailable
    from handlers.affiliates.period import PeriodError, parse_period
    from handlers.affiliates.service import AffiliatesService
    from infra.ads.factory import client_factory_from_env
    from infra.ads.regions import attribution_marketplace
    from infra.secrets import credentials_source
    from infra.store.factory import build_store

    try:
        account = cli_accounts().get(args.account)
    except ValueError as exc:
        return _err(str(exc))
    if account is None:
        return _err(f"unknown account {args.account!r}: use an account id from the accounts config")
    row = attribution_marketplace(args.marketplace)
    zone = row.zone if row else "UTC"
    try:
        period = parse_period(f"{args.start}..{args.end}", zone, datetime.now(UTC))
    except PeriodError as exc:
        return _err(str(exc))
    store = build_store(os.environ.get("SELLERBOT_STORE_URL") or demo_store_url())
    factory = client_factory_from_env(credentials_source(Settings.from_env()))  # type: ignore[arg-type]
    service = AffiliatesService(factory, store, time.time)
    report = service.report(account, args.marketplace, period, by_tag=args.by_tag)
    if isinstance(report, AffiliatesUnavailable):
        return _err(report.message, code=1)
    _print(_payload(report.publishers, report.totals, report.currency, report.masked_rows), as_json)
    return 0


def _row(row: PublisherRow, *, tag: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in FIELDS:
        value = getattr(row, name)
        out[name] = str(value) if name in ("sales", "brb_estimate") and value is not None else value
    if tag and row.tag is not None:
        out["tag"] = row.tag
    return out


def _payload(publishers: list[PublisherRow], totals: PublisherRow, currency: str | None, masked: int) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "publishers": [_row(p, tag=True) for p in publishers],
        "totals": _row(totals, tag=False),
        "masked_rows": masked,
    }
    if currency:
        payload["currency"] = currency
    return payload


def _print(payload: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(payload, indent=2))
        return
    currency = payload.get("currency", "")
    print(
        f"{'publisher':32} {'clicks':>7} {'DPV':>7} {'ATC':>6} {'purch':>6} {'units':>6} {'sales':>12} {'est. BRB':>10}"
    )
    for row in [*payload["publishers"], payload["totals"]]:
        if row["clicks"] is None:
            print(f"{row['publisher'][:32]:32} below Amazon's 10-click threshold: figures hidden (not zero)")
            continue
        figures = [row[k] for k in ("clicks", "detail_page_views", "add_to_carts", "purchases", "units")]
        brb = row["brb_estimate"] if row["brb_estimate"] is not None else "-"
        print(
            f"{row['publisher'][:32]:32} {figures[0]:>7} {figures[1]:>7} {figures[2]:>6} {figures[3]:>6} "
            f"{figures[4]:>6} {row['sales']:>12} {brb:>10}"
        )
    if currency:
        print(f"amounts in {currency}")
