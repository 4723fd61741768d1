"""The `amazonCallback` function: GET /amazon/callback (Amazon returns the seller with a one-time code),
GET /amazon/login (the log-in URI: Amazon starts an authorization, e.g. the yearly renewal) and
GET /amazon/ads/callback (Amazon Ads' consent: bot/oauth/ads_callback.py).

It answers the seller's browser with a plain page (no referrer, no caching) and tells the admin who asked in
Slack: what was connected, or why not. It is the only function whose role may write refresh tokens.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

from slack_sdk import WebClient

from bot.deps import Deps
from bot.oauth.ads_callback import ADS_CALLBACK_PATH, build_ads_flow, handle_ads, post_to_asker
from bot.oauth.setup import build_flow, is_configured
from bot.views.connect import PAGE_HEADERS, connected_note, page, refusal_note, render_page
from bot.workers.entry import ContainerEntry, LambdaHandler
from handlers.onboarding.ads import AdsConnectFlow
from handlers.onboarding.flow import ConnectFlow, Outcome, Refusal

log = logging.getLogger("sellerbot.oauth")

CALLBACK_PATH = "/amazon/callback"
LOGIN_PATH = "/amazon/login"
MAX_QUERY_CHARS = 8192


def query_of(event: dict[str, Any]) -> dict[str, str]:
    """The first value of each query parameter (HTTP API v2: rawQueryString)."""
    raw = str(event.get("rawQueryString") or "")
    if len(raw) > MAX_QUERY_CHARS:
        return {}
    return {k: v[0] for k, v in parse_qs(raw, keep_blank_values=False).items()}


def received_at(event: dict[str, Any]) -> str:
    """This request's URL without the query: compared with the redirect URI the state was issued for."""
    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
    context = event.get("requestContext") or {}
    host = context.get("domainName") or headers.get("host", "")
    scheme = headers.get("x-forwarded-proto", "https")
    return f"{scheme}://{host}{event.get('rawPath', '')}"


def handle(
    event: dict[str, Any], flow: ConnectFlow, slack: WebClient, ads: Callable[[], AdsConnectFlow] | None = None
) -> dict[str, Any]:
    path = str(event.get("rawPath", ""))
    method = str(((event.get("requestContext") or {}).get("http") or {}).get("method", "GET"))
    if method == "GET" and path == ADS_CALLBACK_PATH and ads is not None:  # Amazon Ads' consent (issue 22)
        return handle_ads(query_of(event), received_at(event), ads(), slack)
    if method != "GET" or path not in (CALLBACK_PATH, LOGIN_PATH):
        return _html(404, "Not found", "There is nothing at this address.")
    if not is_configured(flow.settings):
        return _answer(Outcome(refusal=Refusal.NOT_CONFIGURED, status=503))
    params = query_of(event)
    if path == LOGIN_PATH:
        outcome = flow.login(params)
        if outcome.redirect_to:
            return {"statusCode": 302, "headers": {**PAGE_HEADERS, "Location": outcome.redirect_to}, "body": ""}
        return _answer(outcome)
    outcome = flow.callback(params, received_at=received_at(event))
    tell_admin(slack, outcome)
    return _answer(outcome)


def tell_admin(slack: WebClient, outcome: Outcome) -> None:
    """The channel where the admin asked, else their DM; a log-in flow's renewal has no Slack asker: its
    note goes to nobody here (the accounts list shows the new authorization date)."""
    record = outcome.record
    note = connected_note(outcome) if outcome.connected else refusal_note(outcome)
    if record is None or note is None or record.source != "slack":
        return
    post_to_asker(slack, note, channel_id=record.channel_id, user_id=record.user_id)


def _answer(outcome: Outcome) -> dict[str, Any]:
    title, text = page(outcome)
    return _html(outcome.status, title, text)


def _html(status: int, title: str, text: str) -> dict[str, Any]:
    return {"statusCode": status, "headers": dict(PAGE_HEADERS), "body": render_page(title, text)}


def make_handler(deps: Deps) -> LambdaHandler:
    flow = build_flow(deps)
    ads = functools.cache(lambda: build_ads_flow(deps))  # built on the first Ads callback

    def run(event: dict[str, Any], context: Any) -> dict[str, Any]:
        return handle(event, flow, deps.slack, ads)

    return run


handler = ContainerEntry(make_handler)
