"""Where Amazon Attribution lives: the marketplaces it serves and the Ads API host of each region.

Source: amazon-attribution.md §1 (hosts, LWA token hosts, Attribution eligibility). Profiles are per
marketplace and only the region's host lists or accepts them, so a US profile is never sent to the
EU host.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AttributionMarketplace:
    code: str  # project code (UK, not GB), also the Ads profile's countryCode
    marketplace_id: str  # the Ads profile's accountInfo.marketplaceStringId
    region: str  # na | eu | fe
    zone: str  # the Ads profile timezone Amazon documents for it
    currency: str
    retail_host: str  # the store's product pages (a tag's landing page)


ATTRIBUTION: dict[str, AttributionMarketplace] = {
    m.code: m
    for m in (
        AttributionMarketplace("US", "ATVPDKIKX0DER", "na", "America/Los_Angeles", "USD", "www.amazon.com"),
        AttributionMarketplace("CA", "A2EUQ1WTGCTBG2", "na", "America/Los_Angeles", "CAD", "www.amazon.ca"),
        AttributionMarketplace("MX", "A1AM78C64UM0Y8", "na", "America/Los_Angeles", "MXN", "www.amazon.com.mx"),
        AttributionMarketplace("UK", "A1F83G8C2ARO7P", "eu", "Europe/London", "GBP", "www.amazon.co.uk"),
        AttributionMarketplace("DE", "A1PA6795UKMFR9", "eu", "Europe/Paris", "EUR", "www.amazon.de"),
        AttributionMarketplace("FR", "A13V1IB3VIYZZH", "eu", "Europe/Paris", "EUR", "www.amazon.fr"),
        AttributionMarketplace("IT", "APJ6JRA9NG5V4", "eu", "Europe/Paris", "EUR", "www.amazon.it"),
        AttributionMarketplace("ES", "A1RKKUPIHCS9HS", "eu", "Europe/Paris", "EUR", "www.amazon.es"),
        AttributionMarketplace("NL", "A1805IZSGTT6HS", "eu", "Europe/Paris", "EUR", "www.amazon.nl"),
    )
}

API_HOSTS = {
    "na": "https://advertising-api.amazon.com",
    "eu": "https://advertising-api-eu.amazon.com",
    "fe": "https://advertising-api-fe.amazon.com",
}
# Access tokens are global (valid in every region); each region still has its own LWA host.
TOKEN_URLS = {
    "na": "https://api.amazon.com/auth/o2/token",
    "eu": "https://api.amazon.co.uk/auth/o2/token",
    "fe": "https://api.amazon.co.jp/auth/o2/token",
}


def attribution_marketplace(code: str) -> AttributionMarketplace | None:
    """The row for a project code (any case); None where Attribution does not exist."""
    return ATTRIBUTION.get(code.strip().upper())
