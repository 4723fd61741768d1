"""The affiliates service the Slack function, the digest worker and the CLI use (issue 22): the domain's
AffiliatesService over the Attribution client for each account's Ads credentials, and the Attribution
totals beside a promo report (same marketplace, same days; a separate statistic, never joined)."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from datetime import date
from zoneinfo import ZoneInfo

from handlers.affiliates.models import ATTRIBUTION_MARKETPLACES, AffiliateReport, AffiliatesUnavailable, Period
from handlers.affiliates.service import AffiliatesService
from infra.accounts import AccountConfig
from infra.clock import Clock
from infra.marketplaces import zone_of
from infra.secrets import SecretsSettings, credentials_source
from infra.store.base import Store

log = logging.getLogger("sellerbot.affiliates")

# Ads profiles' time zones where infra/marketplaces.py has no row (amazon-attribution.md §2).
_PROFILE_ZONES = {"NL": "Europe/Paris"}

Panel = tuple[AffiliateReport | AffiliatesUnavailable | None, str]


def marketplace_zone(code: str) -> ZoneInfo:
    """The zone a marketplace's days are counted in (the Ads profile's)."""
    return ZoneInfo(_PROFILE_ZONES[code]) if code in _PROFILE_ZONES else zone_of(code)


def build_affiliates_service(settings: SecretsSettings, store: Store, clock: Clock) -> AffiliatesService:
    """The service over each account's Ads credentials (infra/secrets.py `ads`), Amazon's hosts unless
    SELLERBOT_ADS_ENDPOINT names another (the fake in the demo)."""
    # Lazy: the client imports httpx (~60 ms); /promo loads this module, and only Attribution needs it.
    from infra.ads.factory import client_factory_from_env

    return AffiliatesService(client_factory_from_env(credentials_source(settings)), store, clock)  # type: ignore[arg-type]  # both sources have ads(); the protocol does not list it


def cli_service() -> AffiliatesService:
    """For `sellerbot promo report --account`: settings from the environment, the CLI's store (the profile cache)."""
    from bot.local.demo import demo_store_url
    from bot.settings import Settings
    from infra.store.factory import build_store

    store = build_store(os.environ.get("SELLERBOT_STORE_URL") or demo_store_url())
    return build_affiliates_service(Settings.from_env(), store, time.time)


def beside_promo(
    service: Callable[[], AffiliatesService],
    account: AccountConfig | None,
    marketplace: str | None,
    first: date | None,
    last: date | None,
) -> Panel:
    """The Attribution report for the promo report's marketplace and days, or None with the reason (words for a
    seller). Never raises: the promo report is shown whatever Attribution says."""
    if account is None or not marketplace:
        return None, "No marketplace is known for this report, so no Attribution figures are shown beside it."
    if marketplace not in ATTRIBUTION_MARKETPLACES:
        return None, f"Amazon Attribution does not exist for {marketplace}, so there are no affiliate figures to show."
    if first is None or last is None:
        return None, "The report has no readable dates, so no Attribution period can match it."
    try:
        return service().report(account, marketplace, Period(start=first, end=last)), ""
    except Exception as exc:  # the promo report must not fail because Attribution did
        log.warning("attribution beside the promo report failed for %s: %s", account.account_id, type(exc).__name__)
        return None, "Amazon Attribution could not be read just now; run `/affiliates` for these days later."
