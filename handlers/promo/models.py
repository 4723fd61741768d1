"""Pydantic models for promo codes: the draft a user submits and the stored promotion."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

from pydantic import BaseModel, Field, model_validator

from handlers import audit

ASIN_PATTERN = r"^B0[A-Z0-9]{8}$"


class PromoStatus(str, Enum):
    DRAFT = "draft"
    PENDING_APPROVAL = "pending_approval"
    APPROVED = "approved"
    HANDED_OFF = "handed_off"  # approved and handed to a person: still to be created in Seller Central
    CREATED = "created"  # created in Seller Central (its promotion ID recorded); active once its start passes
    ACTIVE = "active"
    ENDED = "ended"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


class PromoDraft(BaseModel):
    """A validated promo request. Build it through `validation.validate`, which
    turns raw text into these types with field-specific errors.

    Dates are stored as timezone-aware UTC datetimes, read in the marketplace's local time
    (handlers/promo/dates.py): a date-only start means 00:00 local of that day, a date-only end
    23:59:59 local (the end day is included), as Seller Central enters them.
    """

    code: str = Field(pattern=r"^[A-Z0-9]{1,40}$")
    percent_off: float = Field(gt=0, le=100)
    # ASINs (B0 + 8 alphanumerics) or seller SKUs, as typed, uppercased ASINs.
    asins: list[str] = Field(min_length=1)
    start: datetime
    end: datetime
    marketplace: str = Field(default="US", pattern=r"^[A-Z]{2}$")
    share_with_influencers: bool = True
    one_per_customer: bool = False
    note: str = ""
    account_id: str = ""


class AuditEntry(audit.AuditEntry):
    """One state change of a promotion: who did what, when, from which status to which."""

    from_status: PromoStatus | None
    to_status: PromoStatus


# What each status means, in the words a seller uses (Slack shows these, never the enum values).
STATUS_TEXT: dict[PromoStatus, str] = {
    PromoStatus.DRAFT: "draft",
    PromoStatus.PENDING_APPROVAL: "pending approval",
    PromoStatus.APPROVED: "approved",
    PromoStatus.HANDED_OFF: "to be created in Seller Central",
    PromoStatus.CREATED: "created in Seller Central",
    PromoStatus.ACTIVE: "active",
    PromoStatus.ENDED: "ended",
    PromoStatus.REJECTED: "rejected",
    PromoStatus.CANCELLED: "cancelled",
}


class HandoffInfo(BaseModel):
    gateway: str
    handed_off_by: str
    handed_off_at: datetime
    deep_link: str = ""
    # Set with the move to CREATED ("Mark as created"): who, when, and Seller Central's promotion ID.
    created_confirmed: bool = False
    confirmed_by: str | None = None
    confirmed_at: datetime | None = None
    external_id: str | None = None


class Promotion(PromoDraft):
    """A stored promotion. `version` is the store item's version (for compare-and-swap)."""

    id: str
    status: PromoStatus
    requester: str
    approver: str | None = None
    decided_at: datetime | None = None
    reason: str | None = None
    handoff: HandoffInfo | None = None
    # ASIN → product title from Amazon's catalog, filled when the request is checked (handlers/promo/catalog.py).
    product_titles: dict[str, str] = Field(default_factory=dict)
    created_at: datetime
    version: int = 1
    # Filled from the audit items when read through the repository; not stored on the item.
    history: list[AuditEntry] = Field(default_factory=list)

    @model_validator(mode="after")
    def _created_is_a_status(self) -> Promotion:
        """Before CREATED existed, "Mark as created" kept a promotion handed_off with the handoff's
        `created_confirmed` set: such a stored item reads as created, so every reader sees one state."""
        if self.status is PromoStatus.HANDED_OFF and self.handoff is not None and self.handoff.created_confirmed:
            self.status = PromoStatus.CREATED
        return self

    def draft(self) -> PromoDraft:
        return PromoDraft.model_validate(self.model_dump(include=set(PromoDraft.model_fields)))
