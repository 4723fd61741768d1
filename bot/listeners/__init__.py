"""Feature listener modules; each exposes `register(app, deps)`.

The fallback module must stay last: Bolt runs the first matching listener,
and the fallback matches every command and action.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Protocol

from slack_bolt import App

from bot.deps import Deps
from bot.listeners import (
    accounts_routes,
    affiliates_routes,
    compliance,
    connect_routes,
    fallback,
    health_routes,
    help,
    messages,
    no_accounts,
    ops,
    promo_routes,
    reviews,
)


class Feature(Protocol):
    def register(self, app: App, deps: Deps) -> None: ...


FEATURES: tuple[Feature, ...] = (
    help,  # first: the most common command; it answers only the /sellerbot subcommands no other listener routes
    no_accounts,  # while no account is connected, it answers the commands that need one
    connect_routes,  # /sellerbot connect ads ACCOUNT, then /sellerbot connect
    accounts_routes,
    SimpleNamespace(register=help.register_status),  # after no_accounts: a non-admin's status without accounts
    reviews,
    messages,
    promo_routes,
    health_routes,
    affiliates_routes,
    compliance,
    ops,
    fallback,
)


def register_listeners(app: App, deps: Deps) -> None:
    for feature in FEATURES:
        feature.register(app, deps)
