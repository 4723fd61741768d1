"""The SP-API operations this capability needs, as a port the domain is written against.

`SpApiReviewsAdapter` implements it with python-amazon-sp-api through infra.spapi; the unit
tests implement it in memory. Every method raises SpApiFailure on a refused call.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from pydantic import BaseModel

from handlers.reviews.target import Target

# The action name getSolicitationActionsForOrder lists (Amazon's model and its sandbox answers);
# the operation that sends it is createProductReviewAndSellerFeedbackSolicitation.
REVIEW_ACTION = "productReviewAndSellerFeedback"


class OrderSummary(BaseModel):
    """The few Orders v0 fields the window needs; no buyer PII is read."""

    order_id: str
    status: str = ""
    marketplace_id: str = ""  # the order's own MarketplaceId
    purchase_date: datetime | None = None
    earliest_delivery: datetime | None = None
    latest_delivery: datetime | None = None


class OrdersPage(BaseModel):
    orders: list[OrderSummary]
    next_token: str | None = None


class ReviewsSpApi(Protocol):
    def get_order(self, target: Target, order_id: str, *, deadline: float | None = None) -> OrderSummary: ...

    def list_orders(
        self, target: Target, *, created_after: datetime, next_token: str | None = None, deadline: float | None = None
    ) -> OrdersPage: ...

    def solicitation_actions(self, target: Target, order_id: str, *, deadline: float | None = None) -> list[str]: ...

    def request_review(self, target: Target, order_id: str, *, deadline: float | None = None) -> None: ...

    def messaging_actions(self, target: Target, order_id: str, *, deadline: float | None = None) -> list[str]: ...

    def send_message(
        self, target: Target, order_id: str, action: str, text: str, *, deadline: float | None = None
    ) -> None: ...
