"""The Amazon marketplaces the bot serves: one table, shared by every capability.

Each row says what a person in that marketplace sees: the local time Seller Central enters and shows
promotion dates in, the currency, the language, the Seller Central host, and the SP-API region.

Sources: marketplace ids from SP-API's "Marketplace IDs" table; time zones as Amazon gives them on each
marketplace's Amazon Ads profile (`timezone`: US/CA/MX America/Los_Angeles, UK Europe/London,
DE/FR/IT/ES/NL Europe/Paris; ../shared/reference/amazon-attribution.md), JP Asia/Tokyo; Seller Central
hosts and regions from SP-API's endpoint tables (sp-api.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Marketplace:
    code: str  # the bot's short name: US, UK, DE …
    marketplace_id: str  # Amazon's id: ATVPDKIKX0DER …
    zone: str  # IANA time zone Seller Central uses for this marketplace
    currency: str  # ISO 4217
    language: str  # the marketplace's main language (ISO 639-1), as the compliance checks name it
    seller_central: str  # host of Seller Central for this marketplace
    region: str  # SP-API region: na, eu, fe

    @property
    def tz(self) -> ZoneInfo:
        return _zone(self.zone)


MARKETPLACES: dict[str, Marketplace] = {
    m.code: m
    for m in (
        Marketplace("US", "ATVPDKIKX0DER", "America/Los_Angeles", "USD", "en", "sellercentral.amazon.com", "na"),
        Marketplace("CA", "A2EUQ1WTGCTBG2", "America/Los_Angeles", "CAD", "en", "sellercentral.amazon.ca", "na"),
        Marketplace("MX", "A1AM78C64UM0Y8", "America/Los_Angeles", "MXN", "es", "sellercentral.amazon.com.mx", "na"),
        Marketplace("UK", "A1F83G8C2ARO7P", "Europe/London", "GBP", "en", "sellercentral.amazon.co.uk", "eu"),
        Marketplace("DE", "A1PA6795UKMFR9", "Europe/Paris", "EUR", "de", "sellercentral.amazon.de", "eu"),
        Marketplace("FR", "A13V1IB3VIYZZH", "Europe/Paris", "EUR", "fr", "sellercentral.amazon.fr", "eu"),
        Marketplace("IT", "APJ6JRA9NG5V4", "Europe/Paris", "EUR", "it", "sellercentral.amazon.it", "eu"),
        Marketplace("ES", "A1RKKUPIHCS9HS", "Europe/Paris", "EUR", "es", "sellercentral.amazon.es", "eu"),
        Marketplace("JP", "A1VC38T7YXB528", "Asia/Tokyo", "JPY", "ja", "sellercentral.amazon.co.jp", "fe"),
    )
}


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def marketplace(code: str) -> Marketplace | None:
    """The row for a code (any case) or an Amazon marketplace id; None when it is neither."""
    row = MARKETPLACES.get(code.upper())
    if row is not None:
        return row
    return next((m for m in MARKETPLACES.values() if m.marketplace_id == code), None)


def zone_of(code: str) -> ZoneInfo:
    """The marketplace's time zone; UTC for a code outside the table (never raises)."""
    row = marketplace(code)
    return row.tz if row else ZoneInfo("UTC")


def local(dt: datetime, code: str) -> datetime:
    """An aware datetime (naive ones are UTC) as the marketplace's local time."""
    aware = dt if dt.tzinfo else dt.replace(tzinfo=UTC)
    return aware.astimezone(zone_of(code))


def local_today(now: datetime, code: str) -> date:
    return local(now, code).date()


def start_of_day(day: date, code: str) -> datetime:
    """00:00 local on `day`, as UTC."""
    return datetime.combine(day, time.min, tzinfo=zone_of(code)).astimezone(UTC)


def end_of_day(day: date, code: str) -> datetime:
    """23:59:59 local on `day` (the last second Seller Central counts as that day), as UTC."""
    return (
        datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone_of(code)) - timedelta(seconds=1)
    ).astimezone(UTC)


def format_local(dt: datetime, code: str, *, with_time: bool = True) -> str:
    """`2026-12-01 00:00 PST` (the zone's abbreviation at that date, so summer time shows as PDT/BST/CEST)."""
    when = local(dt, code)
    return when.strftime("%Y-%m-%d %H:%M %Z") if with_time else when.strftime("%Y-%m-%d")
