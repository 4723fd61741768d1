"""GET /amazon/ads/callback on the amazonCallback function: Login with Amazon sends the browser back after the
Amazon Ads consent (`/sellerbot connect ads ACCOUNT`). A plain page for the browser; the admin who asked is told
in Slack which marketplaces have an Attribution profile, or why nothing was connected.

Settings (environment):
  SELLERBOT_ADS_CALLBACK_URL   https://<api>/amazon/ads/callback (default: SELLERBOT_AMAZON_CALLBACK_URL's
                               /amazon/callback with /amazon/ads/callback); an Allowed Return URL of the Ads app
  SELLERBOT_ADS_CONSENT_URL    a fake Login with Amazon (demo, tests; loopback http or https); unset = Amazon's
  SELLERBOT_ADS_ENDPOINT, SELLERBOT_ADS_LWA_ENDPOINT   as infra/ads/factory.py
The app: <prefix>/ads-app JSON {client_id, client_secret} (SSM) or SELLERBOT_ADS_APP_CLIENT_ID/_SECRET (env).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import Any, Protocol

import httpx
from slack_sdk import WebClient

from bot.deps import Deps
from bot.settings import check_https_url
from bot.views.connect import PAGE_HEADERS, render_page
from bot.views.connect_ads import connected_note, page, refusal_note
from handlers.onboarding.ads import CALLBACK_PATH, AdsConnectFlow, AdsConnectSettings, AdsOutcome, AdsRefusal
from handlers.onboarding.state import StateBook
from infra.secret_writer import SecretWriter
from infra.secrets import AdsAppCredentials, credentials_source

log = logging.getLogger("sellerbot.oauth.ads")

ADS_CALLBACK_PATH = CALLBACK_PATH
HTTP_TIMEOUT_SECONDS = 10.0


class _AdsAppSource(Protocol):
    def ads_app(self) -> AdsAppCredentials: ...


def ads_settings(env: Mapping[str, str] | None = None) -> AdsConnectSettings:
    env = os.environ if env is None else env
    callback = env.get("SELLERBOT_ADS_CALLBACK_URL", "").strip()
    spapi_callback = env.get("SELLERBOT_AMAZON_CALLBACK_URL", "").strip()
    if not callback and spapi_callback.endswith("/amazon/callback"):
        callback = spapi_callback.removesuffix("/amazon/callback") + ADS_CALLBACK_PATH
    consent = env.get("SELLERBOT_ADS_CONSENT_URL", "").strip() or None
    for value, name in ((callback, "SELLERBOT_ADS_CALLBACK_URL"), (consent, "SELLERBOT_ADS_CONSENT_URL")):
        if value:
            check_https_url(value, name)
    return AdsConnectSettings(
        callback_url=callback,
        consent_base=consent,
        lwa_endpoint=env.get("SELLERBOT_ADS_LWA_ENDPOINT") or None,
        ads_endpoint=env.get("SELLERBOT_ADS_ENDPOINT") or None,
    )


def build_ads_flow(deps: Deps, http: httpx.Client | None = None) -> AdsConnectFlow:
    source: _AdsAppSource = credentials_source(deps.settings)  # type: ignore[assignment]
    return AdsConnectFlow(
        settings=ads_settings(),
        states=StateBook(deps.store, deps.settings.slack_signing_secret.get_secret_value(), deps.clock),
        store=deps.store,
        registry=deps.registry,
        writer=SecretWriter(deps.settings),
        app=source.ads_app,
        http=http or httpx.Client(timeout=HTTP_TIMEOUT_SECONDS, follow_redirects=False),
        clock=deps.clock,
    )


def handle_ads(params: dict[str, str], received_at: str, flow: AdsConnectFlow, slack: WebClient) -> dict[str, Any]:
    if not flow.settings.callback_url:
        outcome = AdsOutcome(refusal=AdsRefusal.NOT_CONFIGURED, status=503)
    else:
        outcome = flow.callback(params, received_at=received_at)
        tell_admin(slack, outcome)
    title, text = page(outcome)
    return {"statusCode": outcome.status, "headers": dict(PAGE_HEADERS), "body": render_page(title, text)}


def tell_admin(slack: WebClient, outcome: AdsOutcome) -> None:
    """The channel where the admin asked, else their DM."""
    record = outcome.record
    note = connected_note(outcome) if outcome.connected else refusal_note(outcome)
    if record is None or note is None:
        return
    post_to_asker(slack, note, channel_id=record.channel_id, user_id=record.user_id)


def post_to_asker(slack: WebClient, note: dict[str, Any], *, channel_id: str | None, user_id: str | None) -> None:
    """Post `note` in the channel where the admin asked, else in their DM."""
    note.pop("response_type", None)
    for channel in dict.fromkeys(c for c in (channel_id, user_id) if c):
        try:
            slack.chat_postMessage(channel=channel, **note)
            return
        except Exception as exc:  # not in that channel: try the DM; never the exception's text in Slack
            log.warning("could not tell the admin in %s: %s", channel, type(exc).__name__)
