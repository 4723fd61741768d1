"""The creation step, behind a protocol: no public Amazon API creates promotions.

`SellerCentralHandoff` (default) tells a human exactly what to type into
Seller Central's "Create a social media promo code" form and where, in the
marketplace's local time (Seller Central enters and shows promotion dates in
it); the human then presses "Mark as created" and enters the promotion ID
Seller Central gave it (`check_promotion_id`), which moves the promotion to
created (`PromoRepository.confirm_created`); it goes active when its start arrives.

Sources / verification:
- Form field names and order follow the Seller Central help page "Create a
  social media promo code" as quoted in secondary copies (sp-api.md §1.3,
  amazon-rules-and-peers.md §4.1). [unverified against the live form]
- Deep link: Seller Central hosts per marketplace from infra/marketplaces.py; the
  path `/promotions/new` (Advertising → Promotions → Create) is [unverified]; the
  social-media option is chosen on that page.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Protocol, runtime_checkable

from pydantic import BaseModel, Field

from handlers.promo.models import Promotion
from infra.marketplaces import MARKETPLACES, local, zone_of

PROMOTIONS_PATH = "/promotions/new"  # [unverified]

# Seller Central's promotion ID, as Amazon's own model gives it: `promotionId` of the promotion
# performance report (GET_PROMOTION_PERFORMANCE_REPORT, schemas/reports/promotionReport.json in
# ../shared/reference/amazon-models/), "The unique identifier of the promotion", a string whose
# example is "16913551269": digits. The schema has no pattern, so we accept digits with room either
# side of the example's 11 (6 to 20). That catches what people paste by mistake: the promo code, the
# internal description, a URL. (Orders' `PromotionIds` are something else: names the seller chose.)
PROMOTION_ID = re.compile(r"[0-9]{6,20}")
PROMOTION_ID_EXAMPLE = "16913551269"


def check_promotion_id(raw: str | None, code: str = "") -> tuple[str | None, str]:
    """(the ID, "") when `raw` is a Seller Central promotion ID (spaces dropped), else (None, what to do)."""
    text = re.sub(r"\s+", "", raw or "")
    if not text:
        return None, (
            f"Enter the promotion ID Seller Central shows for {code or 'the promotion'} "
            f"(a number like {PROMOTION_ID_EXAMPLE})."
        )
    if PROMOTION_ID.fullmatch(text):
        return text, ""
    if code and text.upper() == code.upper():
        return None, (
            f"That is the promo code. Enter the promotion ID Seller Central gave it "
            f"(a number like {PROMOTION_ID_EXAMPLE})."
        )
    return None, (
        f"A Seller Central promotion ID is a number like {PROMOTION_ID_EXAMPLE}. "
        "Copy it from the promotion in Seller Central (Advertising → Promotions → Manage promotions)."
    )


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
    row = MARKETPLACES.get(marketplace.upper(), MARKETPLACES["US"])
    return f"https://{row.seller_central}{PROMOTIONS_PATH}"


def _date(dt: datetime, marketplace: str) -> str:
    """The day as Seller Central's date picker writes it, in the marketplace's time."""
    return local(dt, marketplace).strftime("%m/%d/%Y")


def _time(dt: datetime, marketplace: str) -> str:
    """The time as Seller Central's time picker offers it, in the marketplace's time (zone named)."""
    return local(dt, marketplace).strftime("%I:%M %p %Z")


class SellerCentralHandoff:
    name = "seller_central"

    def submit(self, promo: Promotion) -> HandoffResult:
        mp = promo.marketplace
        fields = [
            FormField(label="Products (ASINs or SKUs)", value=", ".join(promo.asins)),
            FormField(label="Percentage off", value=f"{promo.percent_off:g}"),
            FormField(label="Start date", value=_date(promo.start, mp)),
            FormField(label="Start time", value=_time(promo.start, mp)),
            FormField(label="End date", value=_date(promo.end, mp)),
            FormField(label="End time", value=_time(promo.end, mp)),
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
                "Enter the values below in the form, in this order. Dates and times are already in the "
                f"marketplace's time ({zone_of(mp).key}), as Seller Central shows them: type them as they are.",
            ],
            warnings=["The 'Share with Amazon Influencers and Associates' choice cannot be changed after creation."],
        )

    def confirm_created(self, promo: Promotion, by: str, external_id: str | None = None) -> ConfirmResult:
        # The human already created it; there is nothing to call, only the ID's format to check.
        promotion_id, problem = check_promotion_id(external_id, promo.code)
        if promotion_id is None:
            return ConfirmResult(ok=False, message=problem)
        return ConfirmResult(ok=True, external_id=promotion_id, message=f"{promo.code} marked as created by {by}")
