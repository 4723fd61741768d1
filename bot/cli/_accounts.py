"""The seller accounts an offline `sellerbot` command works with: the store's, as the bot reads them.

The store is the one `sellerbot accounts` opens (--store, $SELLERBOT_STORE_URL, else the demo store
.demo/sellerbot.db), read with `AccountRegistry.snapshot()` only: a command never seeds or changes the
accounts (the bot imports the accounts file itself). A store that holds no account yet (a fresh checkout,
tests, a store the bot has not started on) gives the accounts file ($SELLERBOT_ACCOUNTS_FILE, else the
embedded demo set) as before, so offline use works without a running bot.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from infra.accounts import AccountsConfig

DEMO_STORE = Path(".demo") / "sellerbot.db"


def store_url(args: argparse.Namespace | None = None) -> str | None:
    """--store, else $SELLERBOT_STORE_URL, else the demo store when it exists (None: no store to read)."""
    given = getattr(args, "store", None) if args is not None else None
    url = given or os.environ.get("SELLERBOT_STORE_URL")
    if url:
        return str(url)
    # Reading must not create the demo store (bot.local.demo.demo_store_url makes its directory).
    return f"sqlite:///{DEMO_STORE.resolve()}" if DEMO_STORE.exists() else None


def cli_accounts(args: argparse.Namespace | None = None) -> AccountsConfig:
    """The store's accounts, else the accounts file's. Raises ValueError for a store URL that names no store."""
    # Lazy: every `sellerbot` run imports every subcommand module; only commands naming accounts read them.
    from handlers.accounts import AccountRegistry
    from infra.accounts import load_accounts
    from infra.store.factory import build_store

    url = store_url(args)
    if url and not _missing_sqlite_file(url):
        store = build_store(url)
        try:
            stored = AccountRegistry(store).snapshot()
        finally:
            close = getattr(store, "close", None)  # SQLite holds a file handle; DynamoDB nothing to close
            if close is not None:
                close()
        if stored.accounts:
            return stored
    return load_accounts(os.environ.get("SELLERBOT_ACCOUNTS_FILE"))


def _missing_sqlite_file(url: str) -> bool:
    """A SQLite file that does not exist holds no account; opening it would create it."""
    target = url.removeprefix("sqlite://")
    return url.startswith("sqlite://") and target.startswith("/") and target != "/" and not Path(target).exists()
