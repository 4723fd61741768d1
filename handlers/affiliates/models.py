"""What the affiliate view returns (the shared interface between the domain and the Slack side).

Amounts are Decimal in the profile's currency, summed to the cent; never floats. A figure Amazon
masks (a row under its 10-lifetime-click threshold reports every metric as 0) is None with
`masked=True`: unknown, never "0 sales". The BRB figure is Amazon's estimate (`brb_bonus_amount`),
None when no row carries the metric (the advertiser is not enrolled, or the metric was not asked).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

# Amazon Attribution exists for these marketplaces only (amazon-attribution.md §1), as project codes.
ATTRIBUTION_MARKETPLACES: tuple[str, ...] = ("US", "CA", "MX", "UK", "DE", "FR", "IT", "ES", "NL")


class Period(BaseModel):
    """Whole marketplace-local days, `start` to `end` inclusive."""

    model_config = ConfigDict(frozen=True)

    start: date
    end: date

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.start > self.end:
            raise ValueError("the period starts after it ends")
        return self

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


class HaloFigures(BaseModel):
    """Brand halo: purchases of the brand's other products after a tag's click (not the promoted ones)."""

    detail_page_views: int | None = None
    add_to_carts: int | None = None
    purchases: int | None = None
    units: int | None = None
    sales: Decimal | None = None


class PublisherRow(BaseModel):
    """One publisher (or one tag of it, when grouped per tag), or the totals (publisher == "total").

    Funnel figures are the promoted products' (Amazon's `attributed…14d`, 14-day last click);
    `halo` holds brand-halo figures apart. `masked`: under Amazon's 10-click threshold, so the
    figures are unknown (None), never zero.
    """

    publisher: str
    publisher_id: str | None = None
    tag: str | None = None  # set when grouped per tag (Amazon's ad group id of the tag)
    clicks: int | None = None
    detail_page_views: int | None = None
    add_to_carts: int | None = None
    purchases: int | None = None
    units: int | None = None
    sales: Decimal | None = None
    brb_estimate: Decimal | None = None
    masked: bool = False
    halo: HaloFigures | None = None


class AffiliateReport(BaseModel):
    account_id: str
    marketplace: str  # project code, e.g. "US"
    currency: str  # ISO 4217, the Ads profile's currencyCode
    zone: str  # IANA zone of the marketplace (the Ads profile's timezone)
    start: date  # inclusive, marketplace-local
    end: date  # inclusive, marketplace-local
    publishers: list[PublisherRow] = Field(default_factory=list)  # sales desc, masked last
    totals: PublisherRow
    incomplete_from: date | None = None  # first day of the last two (still incomplete) days in the period
    masked_rows: int = 0
    brb_present: bool = False
    notes: list[str] = Field(default_factory=list)  # plain-language caveats, no Slack markup


class AffiliatesUnavailable(BaseModel):
    reason: Literal["no_credentials", "marketplace_not_supported", "no_profile", "amazon_error"]
    message: str  # says what to do; never exception text


class TagLink(BaseModel):
    publisher: str
    publisher_id: str
    asin: str | None = None
    url: str  # copy-ready product-page link with the tag, or the tag template when no ASIN is given
    macro: bool  # the publisher fills Amazon's macros itself (macroEnabled)


class WeeklyDigest(BaseModel):
    report: AffiliateReport  # this week (7 local days ending week_end)
    previous_totals: PublisherRow | None = None  # the week before, totals only; None when unavailable
    top: list[PublisherRow] = Field(default_factory=list)  # up to 5 publishers by sales, unmasked first
