"""Affiliate reports, tags and the weekly digest for one account x marketplace (no Slack, no boto3).

    service = AffiliatesService(client_factory, store, clock)
    service.report(account, "US", parse_period("30d", zone, today))  # AffiliateReport | AffiliatesUnavailable
    service.tags(account, "US", publisher=None, asin="B0...")         # list[TagLink] | AffiliatesUnavailable
    service.weekly(account, "US", week_end)                             # WeeklyDigest | AffiliatesUnavailable

Reports are PERFORMANCE grouped by ADGROUP (the only level with both `publisher` and
`brb_bonus_amount`, amazon-attribution.md §0), summed per publisher (or per publisher and tag with
`by_tag`). The Ads profile of each marketplace is discovered once with GET /v2/profiles on the
marketplace's regional host and kept in the store (profiles.py).
"""

from __future__ import annotations

from datetime import date

from handlers.affiliates.models import AffiliateReport, AffiliatesUnavailable, Period, TagLink, WeeklyDigest
from handlers.affiliates.ports import ClientFactory
from infra.accounts import AccountConfig
from infra.clock import Clock
from infra.store.base import Store


class AffiliatesService:
    def __init__(self, client_factory: ClientFactory, store: Store, clock: Clock) -> None:
        self._clients = client_factory
        self._store = store
        self._clock = clock

    def report(
        self, account: AccountConfig, marketplace: str, period: Period, *, by_tag: bool = False
    ) -> AffiliateReport | AffiliatesUnavailable:
        raise NotImplementedError

    def tags(
        self, account: AccountConfig, marketplace: str, publisher: str | None, asin: str | None
    ) -> list[TagLink] | AffiliatesUnavailable:
        raise NotImplementedError

    def weekly(self, account: AccountConfig, marketplace: str, week_end: date) -> WeeklyDigest | AffiliatesUnavailable:
        raise NotImplementedError
