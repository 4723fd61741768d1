"""Affiliate reports, tags and the weekly digest for one account x marketplace (no Slack, no boto3).

    service = AffiliatesService(client_factory, store, clock)
    service.report(account, "US", parse_period("30d", zone, today))  # AffiliateReport | AffiliatesUnavailable
    service.tags(account, "US", publisher=None, asin="B0...")         # list[TagLink] | AffiliatesUnavailable
    service.weekly(account, "US", week_end)                             # WeeklyDigest | AffiliatesUnavailable

Reports are PERFORMANCE grouped by ADGROUP (the only level with both `publisher` and
`brb_bonus_amount`, amazon-attribution.md §0), summed per publisher (or per publisher and tag with
`by_tag`). Every report is pulled live: Amazon restates the last 28 days, so nothing is cached (the
"re-pull the last 30 days daily" rule holds by construction). A period is requested in windows of at
most 31 days, since Amazon's maximum span per request is not published. The Ads profile of each
marketplace is discovered once with GET /v2/profiles on the regional host and kept in the store.
"""

from __future__ import annotations

from datetime import date, timedelta

from handlers.affiliates import profiles, rows
from handlers.affiliates.models import (
    ATTRIBUTION_MARKETPLACES,
    AffiliateReport,
    AffiliatesUnavailable,
    Period,
    PublisherRow,
    TagLink,
    WeeklyDigest,
)
from handlers.affiliates.period import local_today
from handlers.affiliates.ports import AttributionApi, ClientFactory
from handlers.affiliates.profiles import StoredProfile
from handlers.affiliates.tags import ASIN, aa_problems, product_link
from infra.accounts import AccountConfig
from infra.ads.errors import AdsApiError, AdsAuthError, AdsError, AdsTransportError, NoAdsCredentials
from infra.ads.regions import AttributionMarketplace, attribution_marketplace
from infra.clock import Clock, utc
from infra.store.base import Store

WINDOW_DAYS = 31
PAGE_ROWS = 5000
MAX_TAG_PUBLISHERS = 50
TOP = 5

NOTE_INCOMPLETE = "The last two days are incomplete: Amazon adds clicks within about 24 hours and purchases within 48."
NOTE_MASKED = (
    "{n} tag(s) are below Amazon's 10-click threshold: Amazon hides their figures, so they are not counted "
    "(this is not zero sales)."
)
NOTE_BRB = (
    "The Brand Referral Bonus is Amazon's estimate; the actual bonus is credited about two months later "
    "as a credit against referral fees."
)
NOTE_NO_BRB = "No Brand Referral Bonus figures: Amazon returns them only to brands enrolled in the programme."
NOTE_HALO = "Purchases and sales are for the promoted products; brand-halo figures (your other products) are apart."
NOTE_NO_PROMO = "Amazon Attribution has no order or promo-code data, so these rows are never matched to promo codes."
NOTE_RESTATED = "Amazon restates the last 28 days (returns), so recent figures may still change."


class AffiliatesService:
    def __init__(self, client_factory: ClientFactory, store: Store, clock: Clock) -> None:
        self._clients = client_factory
        self._store = store
        self._clock = clock

    # -- public ----------------------------------------------------------------------------------

    def report(
        self, account: AccountConfig, marketplace: str, period: Period, *, by_tag: bool = False
    ) -> AffiliateReport | AffiliatesUnavailable:
        ready = self._ready(account, marketplace)
        if isinstance(ready, AffiliatesUnavailable):
            return ready
        row, client, profile = ready
        try:
            data = self._pull(client, profile, period)
        except AdsError as exc:
            if isinstance(exc, AdsApiError) and exc.status == 401:
                profiles.forget(self._store, account.account_id, row.code, utc(self._clock()))
            return _unavailable(exc, account, row)
        return self._build(account, row, profile, period, data, by_tag=by_tag)

    def tags(
        self, account: AccountConfig, marketplace: str, publisher: str | None, asin: str | None
    ) -> list[TagLink] | AffiliatesUnavailable:
        ready = self._ready(account, marketplace)
        if isinstance(ready, AffiliatesUnavailable):
            return ready
        row, client, profile = ready
        wanted = (publisher or "").strip().lower()[:100]
        clean_asin = (asin or "").strip().upper() or None
        if clean_asin is not None and not ASIN.match(clean_asin):
            return AffiliatesUnavailable(
                reason="amazon_error", message="That is not an ASIN: use the 10-character ASIN, e.g. B0ABCDEFGH."
            )
        try:
            listed = client.publishers(profile.profile_id)
            chosen = [
                p
                for p in listed
                if not wanted or wanted in str(p.get("name", "")).lower() or wanted == str(p.get("id", "")).lower()
            ][:MAX_TAG_PUBLISHERS]
            links: list[TagLink] = []
            for macro in (True, False):
                group = [p for p in chosen if bool(p.get("macroEnabled")) is macro]
                if not group:
                    continue
                tag_map = client.tags(
                    profile.profile_id,
                    macro=macro,
                    publisher_ids=[str(p["id"]) for p in group],
                    advertiser_ids=profile.advertiser_ids,
                )
                for p in group:
                    for adv in profile.advertiser_ids or list(tag_map):
                        tag = tag_map.get(adv, {}).get(str(p["id"]))
                        if tag and not aa_problems(tag):
                            links.append(
                                TagLink(
                                    publisher=str(p.get("name", "")),
                                    publisher_id=str(p["id"]),
                                    asin=clean_asin,
                                    url=product_link(row.retail_host, clean_asin, tag),
                                    macro=macro,
                                )
                            )
        except AdsError as exc:
            return _unavailable(exc, account, row)
        return sorted(links, key=lambda link: link.publisher.lower())

    def weekly(self, account: AccountConfig, marketplace: str, week_end: date) -> WeeklyDigest | AffiliatesUnavailable:
        this_week = self.report(account, marketplace, Period(start=week_end - timedelta(days=6), end=week_end))
        if isinstance(this_week, AffiliatesUnavailable):
            return this_week
        before_end = week_end - timedelta(days=7)
        before = self.report(account, marketplace, Period(start=before_end - timedelta(days=6), end=before_end))
        previous = None if isinstance(before, AffiliatesUnavailable) else before.totals
        top = [p for p in this_week.publishers if not p.masked][:TOP]
        return WeeklyDigest(report=this_week, previous_totals=previous, top=top)

    # -- steps -----------------------------------------------------------------------------------

    def _ready(
        self, account: AccountConfig, marketplace: str
    ) -> tuple[AttributionMarketplace, AttributionApi, StoredProfile] | AffiliatesUnavailable:
        row = attribution_marketplace(marketplace)
        if row is None:
            return AffiliatesUnavailable(
                reason="marketplace_not_supported",
                message=(
                    f"Amazon Attribution is not available in {marketplace.upper()[:10]}. It covers "
                    + ", ".join(ATTRIBUTION_MARKETPLACES[:-1])
                    + f" and {ATTRIBUTION_MARKETPLACES[-1]}: pick one of those."
                ),
            )
        try:
            client = self._clients(account.account_id, row.code)
        except NoAdsCredentials:
            return AffiliatesUnavailable(
                reason="no_credentials",
                message=(
                    f"{account.name} has no Amazon Ads connection yet. A sellerbot admin connects it with "
                    f"/sellerbot connect ads {account.account_id} (or adds its Amazon Ads credentials, a refresh "
                    "token granted with advertising::campaign_management, to the bot's secrets), then try again."
                ),
            )
        profile = profiles.stored(self._store, account.account_id, row.code)
        if profile is None:
            try:
                found = profiles.discover(client, row)
            except AdsError as exc:
                return _unavailable(exc, account, row)
            if found is None:
                return AffiliatesUnavailable(
                    reason="no_profile",
                    message=(
                        f"Amazon Ads has no {row.code} profile for {account.name}. Open Amazon Attribution in the "
                        f"{row.code} Amazon Ads console once (new access shows up within about 2 hours), then try again."
                    ),
                )
            profile = profiles.remember(self._store, account.account_id, found, utc(self._clock()))
        return row, client, profile

    def _pull(self, client: AttributionApi, profile: StoredProfile, period: Period) -> list[dict[str, object]]:
        if not profile.advertiser_ids:
            return []
        out: list[dict[str, object]] = []
        start = period.start
        while start <= period.end:
            end = min(period.end, start + timedelta(days=WINDOW_DAYS - 1))
            body = {
                "reportType": "PERFORMANCE",
                "advertiserIds": ",".join(profile.advertiser_ids),
                "startDate": start.strftime("%Y%m%d"),
                "endDate": end.strftime("%Y%m%d"),
                "groupBy": "ADGROUP",
                "metrics": rows.REPORT_METRICS,
                "count": PAGE_ROWS,
            }
            for page in client.report_pages(profile.profile_id, body):
                out.extend(page)
            start = end + timedelta(days=1)
        return out

    def _build(
        self,
        account: AccountConfig,
        row: AttributionMarketplace,
        profile: StoredProfile,
        period: Period,
        data: list[dict[str, object]],
        *,
        by_tag: bool,
    ) -> AffiliateReport:
        summary = rows.summarise(data, by_tag=by_tag)
        today = local_today(profile.timezone, utc(self._clock()))
        incomplete = max(period.start, today - timedelta(days=1)) if period.end >= today - timedelta(days=1) else None
        notes = []
        if incomplete is not None:
            notes.append(NOTE_INCOMPLETE)
        if summary.masked_rows:
            notes.append(NOTE_MASKED.format(n=summary.masked_rows))
        notes.append(NOTE_BRB if summary.brb_present else NOTE_NO_BRB)
        if any(p.halo for p in summary.publishers):
            notes.append(NOTE_HALO)
        if (today - period.start).days <= 28:
            notes.append(NOTE_RESTATED)
        notes.append(NOTE_NO_PROMO)
        return AffiliateReport(
            account_id=account.account_id,
            marketplace=row.code,
            currency=profile.currency,
            zone=profile.timezone,
            start=period.start,
            end=period.end,
            publishers=summary.publishers,
            totals=summary.totals,
            incomplete_from=incomplete,
            masked_rows=summary.masked_rows,
            brb_present=summary.brb_present,
            notes=notes,
        )


def totals_change(current: PublisherRow, previous: PublisherRow | None) -> dict[str, int | None]:
    """Per-figure change against the previous week (None where either side is unknown)."""
    out: dict[str, int | None] = {}
    for name in ("clicks", "purchases", "units"):
        now, then = getattr(current, name), getattr(previous, name) if previous else None
        out[name] = now - then if now is not None and then is not None else None
    return out


def _unavailable(exc: AdsError, account: AccountConfig, row: AttributionMarketplace) -> AffiliatesUnavailable:
    if isinstance(exc, AdsAuthError):
        message = (
            f"Amazon refused {account.name}'s Amazon Ads credentials (the refresh token may be revoked). "
            "Connect Amazon Ads again, then retry."
        )
        return AffiliatesUnavailable(reason="no_credentials", message=message)
    if isinstance(exc, AdsApiError):
        if exc.status == 401:
            message = (
                f"Amazon Ads did not accept {account.name}'s {row.code} profile. Check that the Ads connection "
                "covers this marketplace, then retry (the profile is looked up again)."
            )
        elif exc.status == 403:
            message = (
                f"Amazon says {account.name}'s {row.code} profile may not be eligible for Amazon Attribution "
                "(it needs a Brand Registry professional seller account). Check eligibility in the Amazon Ads console."
            )
        elif exc.status == 429:
            message = "Amazon Ads is busy right now. Try again in a few minutes."
        elif exc.status >= 500:
            message = "Amazon Attribution failed to answer. Try again later; if it persists, try a shorter period."
        else:
            message = (
                "Amazon refused the report request. Try a shorter or more recent period; if it persists, check "
                f"that {account.name} may use Amazon Attribution in {row.code}."
            )
        return AffiliatesUnavailable(reason="amazon_error", message=message)
    if isinstance(exc, AdsTransportError):
        return AffiliatesUnavailable(reason="amazon_error", message="Amazon Ads did not answer in time. Try again.")
    return AffiliatesUnavailable(reason="amazon_error", message="Amazon Ads failed. Try again later.")
