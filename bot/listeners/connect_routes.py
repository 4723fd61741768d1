"""`/sellerbot connect [NA|EU|FE] [ACCOUNT]` and `/sellerbot connect ads ACCOUNT` (issues 21, 22): their specs
and routes, registered without importing bot.listeners.connect / connect_ads (the consent flow's views and
domain load on the first connect), so a cold start that acks another command never pays for them (issue 16).
"""

from __future__ import annotations

from slack_bolt import App

from bot.commands import CommandSpec, declare
from bot.deps import Deps
from bot.listeners.lazy_module import Route, register_lazily

# Written out here so registering them imports no view code; tests/unit/bot/test_lazy_routes.py keeps them
# equal to bot/views/connect.py's and bot/views/connect_ads.py's.
USAGE = "/sellerbot connect [NA|EU|FE] [ACCOUNT]"
ADS_USAGE = "/sellerbot connect ads ACCOUNT"

CONNECT = declare(
    CommandSpec("/sellerbot", USAGE, "Admins: a Seller Central link that connects a seller account (or renews one)")
)
CONNECT_ADS = declare(
    CommandSpec("/sellerbot", ADS_USAGE, "Admins: a Login with Amazon link that connects an account's Amazon Ads")
)


def is_connect(body: dict) -> bool:
    words = str(body.get("text", "")).split(maxsplit=1)
    return bool(words) and words[0].lower() == "connect"


def is_connect_ads(body: dict) -> bool:
    words = str(body.get("text", "")).lower().split(maxsplit=2)
    return words[:2] == ["connect", "ads"]


# connect ads first: `connect` would take `ads` for an account name.
ADS_ROUTES = (Route("command", "/sellerbot", "ack_connect_ads", ("run_connect_ads",), test=is_connect_ads),)
ROUTES = (Route("command", "/sellerbot", "ack_connect", ("run_connect",), test=is_connect),)


def register(app: App, deps: Deps) -> None:
    register_lazily(app, deps, "bot.listeners.connect_ads", ADS_ROUTES)
    register_lazily(app, deps, "bot.listeners.connect", ROUTES)
