"""`/sellerbot accounts` and `/sellerbot disconnect` (issue 21): their specs and routes, registered without
importing bot.listeners.accounts (its views, the revocation rules and the health check state load on the first
request that needs them), so a cold start that acks another command never pays for them (issue 16).
"""

from __future__ import annotations

from slack_bolt import App

from bot.commands import CommandSpec, declare
from bot.deps import Deps
from bot.listeners.lazy_module import Route, register_lazily

# Written out here so registering them imports no view code; tests/unit/bot/test_lazy_routes.py keeps them
# equal to bot/views/accounts.py's.
ACCOUNTS_USAGE = "/sellerbot accounts"
DISCONNECT_USAGE = "/sellerbot disconnect ACCOUNT"
CONFIGURE_ACTION = "accounts_configure"
CONFIGURE_VIEW = "accounts_configure_submit"
DISCONNECT_ACTION = "accounts_disconnect_confirm"
DISCONNECT_CANCEL_ACTION = "accounts_disconnect_cancel"
RECONNECT_ACTION = "accounts_reconnect"

ACCOUNTS = declare(
    CommandSpec("/sellerbot", ACCOUNTS_USAGE, "Admins: seller accounts x marketplaces, their state, and their settings")
)
DISCONNECT = declare(
    CommandSpec("/sellerbot", DISCONNECT_USAGE, "Admins: delete an account's Amazon token and pause its scheduled work")
)


def subcommand(body: dict) -> str:
    words = str(body.get("text", "")).split(maxsplit=1)
    return words[0].lower() if words else ""


def is_accounts(body: dict) -> bool:
    return subcommand(body) == "accounts"


def is_disconnect(body: dict) -> bool:
    return subcommand(body) == "disconnect"


ROUTES = (
    Route("command", "/sellerbot", "ack_accounts", ("run_accounts",), test=is_accounts),
    Route("command", "/sellerbot", "ack_disconnect", test=is_disconnect),
    Route("action", CONFIGURE_ACTION, "ack_configure"),
    Route("view", CONFIGURE_VIEW, "ack_configure_submit"),
    Route("action", DISCONNECT_ACTION, "ack_button", ("run_disconnect",)),
    Route("action", DISCONNECT_CANCEL_ACTION, "ack_button", ("run_disconnect_cancel",)),
    Route("action", RECONNECT_ACTION, "ack_button", ("run_reconnect",)),
)


def register(app: App, deps: Deps) -> None:
    register_lazily(app, deps, "bot.listeners.accounts", ROUTES)
