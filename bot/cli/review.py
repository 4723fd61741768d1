"""`sellerbot review ORDER_ID` and `sellerbot review sweep [--dry-run] [--json]` (issue 4).

SP-API: $SELLERBOT_SPAPI_ENDPOINT (with the SELLERBOT_LWA_* / SELLERBOT_REFRESH_TOKEN_* credentials)
when set; otherwise the embedded SP-API sandbox is started in-process, as `make demo` does.
Store: $SELLERBOT_STORE_URL, default sqlite in ./.demo (so a second request is answered from it).
Exit codes: 0 sent or skipped with a reason, 1 an SP-API failure, 2 bad input.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from bot.cli._accounts import cli_accounts
from bot.local.demo import DEMO_LWA_ENV, demo_store_url
from bot.settings import Settings
from infra.accounts import AccountsConfig

if TYPE_CHECKING:
    from handlers.reviews.spapi_adapter import SpApiReviewsAdapter
    from infra.store.base import Store


@contextmanager
def spapi_environment(env: dict[str, str] | None = None) -> Iterator[dict[str, str]]:
    """The environment with an SP-API endpoint: the configured one, or an embedded sandbox."""
    env = dict(os.environ if env is None else env)
    fake = None
    if not env.get("SELLERBOT_SPAPI_ENDPOINT"):
        # Lazy: the sandbox (~60 ms to import) runs only when no SP-API endpoint is configured.
        from infra.fakes.sp_api import FakeSpApi

        fake = FakeSpApi()
        base_url = fake.start()
        env["SELLERBOT_SPAPI_ENDPOINT"] = base_url
        env["SELLERBOT_LWA_ENDPOINT"] = base_url
        for key, value in DEMO_LWA_ENV.items():
            env.setdefault(key, value)
        # The credential source reads the process environment (as bot/local/environment.py does).
        for key in [*DEMO_LWA_ENV, "SELLERBOT_SPAPI_ENDPOINT", "SELLERBOT_LWA_ENDPOINT"]:
            os.environ[key] = env[key]
        print(f"(SP-API: embedded sandbox at {base_url})", file=sys.stderr)
    try:
        yield env
    finally:
        if fake is not None:
            fake.stop()


def _build(env: dict[str, str]) -> tuple[Store, SpApiReviewsAdapter, AccountsConfig]:
    # Lazy: every `sellerbot` run imports every subcommand module; only this one talks to SP-API.
    from handlers.reviews.spapi_adapter import SpApiReviewsAdapter
    from infra.spapi.factory import build_spapi_factory
    from infra.store.factory import build_store

    settings = Settings.from_env(env)
    accounts = cli_accounts()
    store = build_store(env.get("SELLERBOT_STORE_URL") or demo_store_url())
    return store, SpApiReviewsAdapter(build_spapi_factory(settings, accounts)), accounts


def _print(payload: dict[str, Any], text: str, as_json: bool) -> None:
    print(json.dumps(payload, ensure_ascii=False, default=str) if as_json else text)


def run(args: argparse.Namespace) -> int:
    # Lazy: every `sellerbot` run imports every subcommand module; only this one loads the reviews domain.
    from handlers.reviews.errors import TargetError
    from handlers.reviews.orders import InvalidOrderId, parse_order_id
    from handlers.reviews.requests import ReviewRequestService
    from handlers.reviews.sweep import SweepRunner
    from handlers.reviews.target import resolve_target

    sweep = args.order.lower() == "sweep"
    user = f"cli:{os.environ.get('USER', 'unknown')}"
    try:
        if not sweep:
            parse_order_id(args.order)  # before any API call or sandbox start
            if args.dry_run:
                raise ValueError("--dry-run applies to `sellerbot review sweep` only")
        target = resolve_target(cli_accounts(), args.account, args.marketplace)
    except (InvalidOrderId, TargetError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    with spapi_environment() as env:
        store, spapi, _ = _build(env)
        if sweep:
            deadline = time.time() + args.timeout if args.timeout else None
            report = SweepRunner(store, spapi, time.time).run(target, user, dry_run=args.dry_run, deadline=deadline)
            _print(
                report.model_dump(mode="json"),
                report.summary_text() + "".join(f"\n- {f.order_id}: {f.reason}" for f in report.failures),
                args.json,
            )
            unsure = report.counts.failed or report.counts.unconfirmed  # unconfirmed: someone must check
            return 1 if unsure or report.stop_reason == "api_error" else 0
        outcome = ReviewRequestService(store, spapi, time.time).request(target, args.order, user, source="cli")
        _print(outcome.model_dump(mode="json"), outcome.text(), args.json)
        return 1 if outcome.status in ("failed", "unconfirmed") else 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "review",
        help="request an Amazon review for one order, or sweep all eligible orders",
        description=(
            "`sellerbot review ORDER_ID` checks the 5-30-day window and Amazon's offered actions, then sends "
            "the review request once (recorded in the store). `sellerbot review sweep` does it for every "
            "eligible order (paginated, rate-limited, resumable). Default target: the first configured "
            "account and its first marketplace. SP-API: $SELLERBOT_SPAPI_ENDPOINT, else the embedded "
            "sandbox. Exit 0 sent/skipped, 1 SP-API failure, 2 bad input."
        ),
    )
    p.add_argument("order", metavar="ORDER_ID|sweep", help="an Amazon order ID (3-7-7 digits) or `sweep`")
    p.add_argument("--account", help="configured account id (default: the first one)")
    p.add_argument("--marketplace", help="marketplace code such as US, DE (default: the account's first)")
    p.add_argument("--dry-run", action="store_true", help="sweep only: list what would be requested, send nothing")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument(
        "--timeout",
        type=float,
        default=0.0,
        help="sweep only: stop after this many seconds and keep the checkpoint (default: no limit)",
    )
    p.set_defaults(func=run)
