"""Feature listener modules; each exposes `register(app, deps)`.

The fallback module must stay last: Bolt runs the first matching listener,
and the fallback matches every command and action.
"""

from __future__ import annotations

from typing import Protocol

from slack_bolt import App

from bot.deps import Deps
from bot.listeners import (
    accounts,
    affiliates_routes,
    compliance,
    connect,
    connect_ads,
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
    no_accounts,  # first: while no account is connected, it answers the commands that need one
    connect_ads,  # before connect, which would take `ads` for an account name
    connect,  # before help: help answers every /sellerbot subcommand it does not know
    accounts,  # before help, as connect
    help,
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
