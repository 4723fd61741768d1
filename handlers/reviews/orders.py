"""Order IDs and the Solicitations time window.

Amazon accepts a review request from 5 days after EarliestDeliveryDate to 30 days after
LatestDeliveryDate (Solicitations use-case guide); outside it the API answers 403. The window
is only our pre-filter: Orders v0 documents both dates as "only returned for seller-fulfilled
orders", so an order without them (FBA) is not judged here; the action list of
getSolicitationActionsForOrder decides.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Literal

from pydantic import BaseModel

ORDER_ID_PATTERN = r"\d{3}-\d{7}-\d{7}"
_ORDER_ID = re.compile(ORDER_ID_PATTERN, re.ASCII)  # fullmatch; ASCII so "１１３" is refused
WINDOW_OPENS_AFTER = timedelta(days=5)
WINDOW_CLOSES_AFTER = timedelta(days=30)


class InvalidOrderId(ValueError):
    def __init__(self, text: str) -> None:
        shown = text if len(text) <= 40 else text[:40] + "…"
        super().__init__(
            f"ORDER_ID `{shown}` is not an Amazon order ID: expected 3-7-7 digits like 113-1234567-1234567."
        )


def parse_order_id(text: str) -> str:
    """The order ID, stripped; InvalidOrderId before any API call if it is not 3-7-7 digits."""
    candidate = (text or "").strip()
    if not _ORDER_ID.fullmatch(candidate):
        raise InvalidOrderId(candidate)
    return candidate


class WindowVerdict(BaseModel):
    state: Literal["open", "too_early", "too_late", "unknown"]
    opens_at: datetime | None = None
    closes_at: datetime | None = None


def review_window(earliest_delivery: datetime | None, latest_delivery: datetime | None, now: datetime) -> WindowVerdict:
    """Where `now` falls in [earliest + 5 d, latest + 30 d]; both edges are inclusive.
    "unknown" when the order carries no delivery date (FBA orders): only Amazon can tell then."""
    earliest = earliest_delivery or latest_delivery
    latest = latest_delivery or earliest_delivery
    if earliest is None or latest is None:
        return WindowVerdict(state="unknown")
    opens, closes = earliest + WINDOW_OPENS_AFTER, latest + WINDOW_CLOSES_AFTER
    if now < opens:
        return WindowVerdict(state="too_early", opens_at=opens, closes_at=closes)
    if now > closes:
        return WindowVerdict(state="too_late", opens_at=opens, closes_at=closes)
    return WindowVerdict(state="open", opens_at=opens, closes_at=closes)
