"""`/affiliates`'s registration (issue 22): the command specs and thin listeners that load
bot.listeners.affiliates (the affiliate views, domain and Attribution client) on the first /affiliates
request, so a cold start that acks another command never pays for them (issue 16).

Bolt injects arguments by parameter name and re-invokes lazy listeners by function name: the wrappers
keep both the names and the parameters of AffiliatesListeners' methods.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt import Ack, App, Respond

from bot.commands import CommandSpec, declare
from bot.deps import Deps
from bot.listeners.routing import only_if

if TYPE_CHECKING:
    from bot.listeners.affiliates import AffiliatesListeners

REPORT = declare(
    CommandSpec(
        "/affiliates",
        "/affiliates [ACCOUNT] [MARKETPLACE] [7d|30d|YYYY-MM-DD..YYYY-MM-DD] [per-tag]",
        "Amazon Attribution per publisher (or per tag): clicks, detail-page views, add-to-carts, purchases, units, "
        "sales and the estimated Brand Referral Bonus, only to you (default: your account, 30 days)",
    )
)
TAGS = declare(
    CommandSpec(
        "/affiliates",
        "/affiliates tags [ACCOUNT] [MARKETPLACE] [PUBLISHER] [--asin ASIN]",
        "Attribution publishers with their macro or template tag and a copy-ready product-page link",
    )
)
USAGE = f"{REPORT.usage}\n{TAGS.usage}"


def is_tags(body: dict) -> bool:
    words = (body.get("text") or "").split()
    return bool(words) and words[0].lower() == "tags"


def register(app: App, deps: Deps) -> None:
    built: list[AffiliatesListeners] = []

    def a() -> AffiliatesListeners:
        if not built:
            # Imported on the first /affiliates request, not at cold start.
            from bot.listeners.affiliates import AffiliatesListeners

            built.append(AffiliatesListeners(deps))
        return built[0]

    def ack_affiliate_tags(ack: Ack, command: dict) -> None:
        a().ack_affiliate_tags(ack, command)

    def run_affiliate_tags(respond: Respond, command: dict) -> None:
        a().run_affiliate_tags(respond=respond, command=command)

    def ack_affiliates(ack: Ack, command: dict) -> None:
        a().ack_affiliates(ack, command)

    def run_affiliates(respond: Respond, command: dict) -> None:
        a().run_affiliates(respond=respond, command=command)

    app.command("/affiliates", middleware=only_if(is_tags))(ack=ack_affiliate_tags, lazy=[run_affiliate_tags])
    app.command("/affiliates")(ack=ack_affiliates, lazy=[run_affiliates])
