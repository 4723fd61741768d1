"""`sellerbot accounts import FILE | list [--json] | export`: the seller accounts in the store.

Each reads and writes the store itself (--store, $SELLERBOT_STORE_URL, else the demo store
.demo/sellerbot.db), like `sellerbot status`: the bot reads the same store, so a running bot sees an
import within seconds, without a restart. An import adds the file's new accounts, updates the ones the
file had put there before, and keeps an account changed in Slack since (--overwrite replaces it too); it
never removes an account. The file's `admins` replace the stored admins. Every change is audited.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from handlers.accounts import AccountRegistry

DESCRIPTION = __doc__.split("\n\n", 1)[1].replace("\n", " ") if __doc__ else ""
MAX_FILE_BYTES = 5_000_000  # an agency's thousands of accounts fit many times over
STATE_WORDS = {
    "connected": "connected",
    "never_checked": "never checked",
    "token_refused": "disconnected, reconnect needed",
    "disconnected": "disconnected",
}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "accounts",
        help="seller accounts in the store: import an accounts file, list them with their state, export them",
        description="Seller accounts in the store. " + DESCRIPTION,
    )
    sub = parser.add_subparsers(dest="accounts_command", metavar="ACTION")

    imp = sub.add_parser(
        "import",
        help="import an accounts file (the accounts file format); prints what was added or updated",
        description="Import an accounts file into the store. " + DESCRIPTION,
    )
    imp.add_argument("file", metavar="FILE", help="an accounts JSON file ({'admins': [...], 'accounts': [...]})")
    imp.add_argument(
        "--overwrite", action="store_true", help="also replace accounts changed in Slack since they were imported"
    )
    _store_arg(imp)
    imp.set_defaults(func=run_import)

    lst = sub.add_parser(
        "list",
        help="every account x marketplace with its connection state",
        description="List every account x marketplace in the store with its connection state and alert channel.",
    )
    lst.add_argument(
        "--json",
        action="store_true",
        help="print a JSON list of {account_id, name, region, seller_id, marketplace, alert_channel, state, "
        "authorized_at, changed_at}",
    )
    _store_arg(lst)
    lst.set_defaults(func=run_list)

    exp = sub.add_parser(
        "export",
        help="print the accounts in the import format (JSON) to stdout",
        description="Print every account and the admins in the accounts file format, to stdout.",
    )
    _store_arg(exp)
    exp.set_defaults(func=run_export)
    parser.set_defaults(func=lambda args: _usage(parser))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _store_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store",
        help="store URL (sqlite:///abs/path.db, dynamodb://TABLE); default $SELLERBOT_STORE_URL, else the demo store",
    )


def _registry(args: argparse.Namespace) -> AccountRegistry | None:
    # Lazy: every `sellerbot` run imports every subcommand module; only this one reads the accounts.
    import os

    from bot.local.demo import demo_store_url
    from handlers.accounts import AccountRegistry
    from infra.store.factory import build_store

    try:
        store = build_store(args.store or os.environ.get("SELLERBOT_STORE_URL") or demo_store_url())
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None
    return AccountRegistry(store)


def _first_problem(exc: Exception) -> str:
    from pydantic import ValidationError

    if isinstance(exc, ValidationError):
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"]) or "the file"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        return f"{where}: {error['msg']}{more}"
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def run_import(args: argparse.Namespace) -> int:
    from infra.accounts import parse_accounts

    path = Path(args.file)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ValueError(f"larger than {MAX_FILE_BYTES // 1_000_000} MB")
        config = parse_accounts(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"error: {args.file} is not a valid accounts file: {_first_problem(exc)}", file=sys.stderr)
        return 2
    registry = _registry(args)
    if registry is None:
        return 2
    result = registry.import_config(config, actor=f"cli:{getpass.getuser()}", overwrite=args.overwrite)
    for word, ids in (("added", result.added), ("updated", result.updated), ("unchanged", result.unchanged)):
        for account_id in ids:
            print(f"{word:<10} {account_id}")
    for account_id in result.kept:
        print(f"{'kept':<10} {account_id} (changed in Slack since it was imported; --overwrite replaces it)")
    if result.admins_changed:
        print(f"{'admins':<10} {', '.join(config.admins) or '(none)'}")
    print(
        f"{len(result.added)} added, {len(result.updated)} updated, {len(result.unchanged)} unchanged, "
        f"{len(result.kept)} kept"
    )
    return 0


def run_list(args: argparse.Namespace) -> int:
    registry = _registry(args)
    if registry is None:
        return 2
    accounts, connections = registry.export(), registry.connections()
    rows = []
    for account, market in accounts.pairs():
        conn = connections.get(account.account_id)
        rows.append(
            {
                "account_id": account.account_id,
                "name": account.name,
                "region": account.region,
                "seller_id": account.seller_id,
                "marketplace": market.code,
                "alert_channel": market.alert_channel,
                "state": str(conn.state) if conn else "never_checked",
                "authorized_at": conn.authorized_at.isoformat() if conn and conn.authorized_at else None,
                "changed_at": conn.changed_at.isoformat() if conn else None,
            }
        )
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    if not rows:
        print("No seller account in the store. Connect one in Slack (/sellerbot connect NA|EU|FE) or import a file")
        print("(sellerbot accounts import FILE).")
        return 0
    print(f"{'ACCOUNT':<24} {'MARKET':<6} {'STATE':<32} {'AUTHORIZED':<11} CHANNEL")
    for r in rows:
        authorized = (r["authorized_at"] or "")[:10] or "-"
        state = STATE_WORDS.get(str(r["state"]), str(r["state"]))
        print(f"{r['account_id']:<24} {r['marketplace']:<6} {state:<32} {authorized:<11} {r['alert_channel'] or '-'}")
    return 0


def run_export(args: argparse.Namespace) -> int:
    registry = _registry(args)
    if registry is None:
        return 2
    print(registry.export().model_dump_json(indent=2))
    return 0
