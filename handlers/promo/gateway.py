"""The creation step, behind a protocol: no public Amazon API creates promotions.

`SellerCentralHandoff` (default) tells a human exactly what to type into
Seller Central's "Create a social media promo code" form and where; the
human's "Mark as created" click is `PromoRepository.confirm_created`, after
which the promotion goes active when its start arrives.

Sources / verification:
- Form field names and order follow the Seller Central help page "Create a
  social media promo code" as quoted in secondary copies (sp-api.md §1.3,
  amazon-rules-and-peers.md §4.1). [unverified against the live form]
- Deep link: Seller Central domains per marketplace are public; the path
  `/promotions/new` (Advertising → Promotions → Create) is [unverified]; the
  social-media option is chosen on that page.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol, runtime_checkable

from pydantic import BaseModel, Field

from handlers.promo.models import Promotion

SELLER_CENTRAL_HOSTS: dict[str, str] = {
    "US": "sellercentral.amazon.com",
    "CA": "sellercentral.amazon.ca",
    "MX": "sellercentral.amazon.com.mx",
    "UK": "sellercentral.amazon.co.uk",
    "DE": "sellercentral.amazon.de",
    "FR": "sellercentral.amazon.fr",
    "IT": "sellercentral.amazon.it",
    "ES": "sellercentral.amazon.es",
    "JP": "sellercentral.amazon.co.jp",
}
PROMOTIONS_PATH = "/promotions/new"  # [unverified]


class FormField(BaseModel):
    label: str  # as Seller Central labels it
    value: str  # exactly what to enter or select


class HandoffResult(BaseModel):
    """What the person creating the promotion needs: `steps`, then `fields` in order as label/value pairs.
    With `requires_confirmation`, they confirm it was created (Slack: the "Mark as created" button)."""

    gateway: str
    promo_id: str
    code: str
    deep_link: str
    fields: list[FormField]
    steps: list[str]
    requires_confirmation: bool = True
    warnings: list[str] = Field(default_factory=list)


class ConfirmResult(BaseModel):
    ok: bool
    external_id: str | None = None
    message: str = ""


@runtime_checkable
class PromotionGateway(Protocol):
    name: str

    def submit(self, promo: Promotion) -> HandoffResult:
        """Start creating the promotion on Amazon's side (or hand it to a human)."""

    def confirm_created(self, promo: Promotion, by: str, external_id: str | None = None) -> ConfirmResult:
        """Acknowledge that the promotion now exists on Amazon's side."""


def seller_central_link(marketplace: str) -> str:
    host = SELLER_CENTRAL_HOSTS.get(marketplace.upper(), SELLER_CENTRAL_HOSTS["US"])
    return f"https://{host}{PROMOTIONS_PATH}"


def _day(dt: datetime) -> str:
    return dt.strftime("%m/%d/%Y %I:%M %p UTC")


class SellerCentralHandoff:
    name = "seller_central"

    def submit(self, promo: Promotion) -> HandoffResult:
        fields = [
            FormField(label="Products (ASINs or SKUs)", value=", ".join(promo.asins)),
            FormField(label="Percentage off", value=f"{promo.percent_off:g}"),
            FormField(label="Start date", value=_day(promo.start)),
            FormField(label="End date", value=_day(promo.end)),
            FormField(label="Internal description", value=f"{promo.code} {promo.note}".strip()[:100]),
            FormField(label="Promo code", value=promo.code),
            FormField(label="One redemption per customer", value="Yes" if promo.one_per_customer else "No"),
            FormField(
                label="Share with Amazon Influencers and Associates",
                value="Yes (checked)" if promo.share_with_influencers else "No (unchecked)",
            ),
        ]
        link = seller_central_link(promo.marketplace)
        return HandoffResult(
            gateway=self.name,
            promo_id=promo.id,
            code=promo.code,
            deep_link=link,
            fields=fields,
            steps=[
                f"Open {link} and choose 'Social media promo code'.",
                "Enter the values below in the form, in this order. Dates are in UTC: convert to the marketplace time zone Seller Central shows.",
            ],
            warnings=["The 'Share with Amazon Influencers and Associates' choice cannot be changed after creation."],
        )

    def confirm_created(self, promo: Promotion, by: str, external_id: str | None = None) -> ConfirmResult:
        # The human already created it; nothing to call. Kept for gateways that can verify.
        return ConfirmResult(ok=True, external_id=external_id, message=f"{promo.code} marked as created by {by}")
