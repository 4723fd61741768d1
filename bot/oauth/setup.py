"""The connect flow built from the process's Deps and environment.

Settings (environment):
  SELLERBOT_SPAPI_APP_ID         the app's id, amzn1.sp.solution... (falls back to SELLERBOT_SPAPI_APPLICATION_ID)
  SELLERBOT_SPAPI_APP_DRAFT      true (default) while the app is a draft: consent URLs carry version=beta
  SELLERBOT_AMAZON_CALLBACK_URL  https://<api>/amazon/callback, registered as the app's redirect URI
  SELLERBOT_SELLER_CENTRAL_URL   a fake Seller Central (demo, tests; loopback http or https); unset = Amazon's hosts
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import httpx

from bot.commands import UsageError
from bot.deps import Deps
from bot.settings import check_https_url
from handlers.onboarding.flow import ConnectFlow, ConnectSettings
from handlers.onboarding.state import StateBook
from infra.secret_writer import SecretWriter
from infra.secrets import credentials_source

HTTP_TIMEOUT_SECONDS = 10.0  # well inside the code's five minutes and the API's 30 s


def connect_settings(deps: Deps, env: Mapping[str, str] | None = None) -> ConnectSettings:
    env = os.environ if env is None else env
    callback = env.get("SELLERBOT_AMAZON_CALLBACK_URL", "").strip()
    central = env.get("SELLERBOT_SELLER_CENTRAL_URL", "").strip() or None
    if callback:
        check_https_url(callback, "SELLERBOT_AMAZON_CALLBACK_URL")
    if central:
        check_https_url(central, "SELLERBOT_SELLER_CENTRAL_URL")
    teams = deps.settings.allowed_team_ids
    return ConnectSettings(
        application_id=(env.get("SELLERBOT_SPAPI_APP_ID", "").strip() or (deps.settings.spapi_application_id or "")),
        draft=env.get("SELLERBOT_SPAPI_APP_DRAFT", "true").strip().lower() not in ("false", "0", "no"),
        callback_url=callback,
        seller_central_base=central,
        lwa_endpoint=deps.settings.lwa_endpoint,
        spapi_endpoint=deps.settings.spapi_endpoint,
        team_id=teams[0] if teams else env.get("SELLERBOT_TEAM_ID") or None,
    )


def build_flow(deps: Deps, http: httpx.Client | None = None) -> ConnectFlow:
    """A ConnectFlow over the Deps' store, registry and Slack signing secret (the state's HMAC key)."""
    settings = connect_settings(deps)
    source = credentials_source(deps.settings)
    return ConnectFlow(
        settings=settings,
        states=StateBook(deps.store, deps.settings.slack_signing_secret.get_secret_value(), deps.clock),
        store=deps.store,
        registry=deps.registry,
        tokens=SecretWriter(deps.settings),
        lwa=source.lwa,
        http=http or httpx.Client(timeout=HTTP_TIMEOUT_SECONDS, follow_redirects=False),
        clock=deps.clock,
    )


def is_configured(settings: ConnectSettings) -> bool:
    return bool(settings.application_id and settings.callback_url)


NOT_CONFIGURED = (
    "sellerbot's Amazon app is not configured: set SELLERBOT_SPAPI_APP_ID and "
    "SELLERBOT_AMAZON_CALLBACK_URL (see the README's deploy walk)."
)


def consent_url(
    deps: Deps, *, team_id: str, user_id: str, region: str, channel_id: str | None, account_id: str | None
) -> str:
    """A Seller Central consent link (`/sellerbot connect`, Reconnect); UsageError when the app is not set up."""
    flow = build_flow(deps)
    try:
        if not is_configured(flow.settings):
            raise UsageError(NOT_CONFIGURED)
        return flow.begin(
            team_id=team_id,
            user_id=user_id,
            region=region,  # type: ignore[arg-type]
            channel_id=channel_id,
            account_id=account_id,
        )
    finally:
        flow.http.close()
