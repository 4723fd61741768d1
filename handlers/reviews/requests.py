"""`/review ORDER_ID`: one review request per order, at the right time, at most once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Literal

from pydantic import BaseModel

from handlers.reviews.errors import UNCONFIRMED, SpApiFailure, TargetError
from handlers.reviews.ledger import ReviewLedger
from handlers.reviews.orders import parse_order_id, review_window
from handlers.reviews.port import REVIEW_ACTION, OrderSummary, ReviewsSpApi
from handlers.reviews.target import Target
from infra import metrics
from infra.clock import utc
from infra.store.base import Store

Status = Literal["sent", "too_early", "too_late", "canceled", "already_requested", "no_action", "unconfirmed", "failed"]


class ReviewOutcome(BaseModel):
    order_id: str
    target: str  # "acme/US"
    status: Status
    eligible_on: date | None = None
    closed_on: date | None = None
    detail: str = ""
    failure_kind: str | None = None
    # Set when the order was placed in another marketplace than the one named: where it was asked for.
    requested_marketplace: str | None = None

    @property
    def sent(self) -> bool:
        return self.status == "sent"

    def text(self) -> str:
        return self._text() + (
            f" (The order was placed in {self.target.split('/')[-1]}, not {self.requested_marketplace}: handled there.)"
            if self.requested_marketplace
            else ""
        )

    def _text(self) -> str:
        o, where = self.order_id, self.target
        if self.status == "sent":
            return f"Review request sent for order {o} ({where})."
        if self.status == "too_early":
            return (
                f"Too early for order {o} ({where}): Amazon accepts a review request from 5 days after the "
                f"earliest delivery date. Eligible on {_day(self.eligible_on)}."
            )
        if self.status == "too_late":
            return (
                f"Too late for order {o} ({where}): the window closed on {_day(self.closed_on)} "
                "(30 days after the latest delivery date)."
            )
        if self.status == "canceled":
            return f"Order {o} ({where}) is canceled: no review request."
        if self.status == "already_requested":
            return f"Already requested for order {o} ({where}): {self.detail}. Nothing was sent again."
        if self.status == "unconfirmed":
            return (
                f"Review request for order {o} ({where}) is {UNCONFIRMED}. {self.detail} "
                "It is not requested again automatically."
            )
        if self.status == "no_action":
            return (
                f"Amazon offers no review request for order {o} ({where}) right now (its solicitation actions "
                "do not list productReviewAndSellerFeedback): it was probably requested already, e.g. from "
                "Seller Central, or the order is not eligible (yet)."
            )
        return f"Review request for order {o} ({where}) failed; nothing was recorded as sent. {self.detail}"


def _day(day: date | None) -> str:
    """A window edge; a too_early/too_late outcome always has its edge (check_window sets it)."""
    return day.isoformat() if day is not None else "an unknown date"


class ReviewRequestService:
    def __init__(self, store: Store, spapi: ReviewsSpApi, clock: Callable[[], float]) -> None:
        self.ledger = ReviewLedger(store, clock)
        self.spapi = spapi
        self.clock = clock

    def request(
        self, target: Target, order_id: str, user: str, *, source: str = "slack", deadline: float | None = None
    ) -> ReviewOutcome:
        """Check and send for one order. Raises InvalidOrderId before any API call; SpApiFailure
        from the read calls (getOrder, getSolicitationActionsForOrder) propagates as a failed outcome.

        The order is looked up by its id alone (getOrder takes no marketplace) and handled in the
        marketplace it was placed in, whatever marketplace was named.
        """
        order_id = parse_order_id(order_id)
        early = self._already(target, order_id)
        if early:
            return _counted(early)
        try:
            order = self.spapi.get_order(target, order_id, deadline=deadline)
        except SpApiFailure as exc:
            return self._failed(target, order_id, exc)
        named = target
        try:
            target = target.for_marketplace_id(order.marketplace_id) if order.marketplace_id else target
        except TargetError as exc:
            return ReviewOutcome(
                order_id=order_id, target=named.label(), status="failed", detail=str(exc), failure_kind="invalid"
            )
        outcome = self.process(
            target, order.model_copy(update={"order_id": order_id}), user, source=source, deadline=deadline
        )
        if target is not named:
            outcome.requested_marketplace = named.code
        return outcome

    def _already(self, target: Target, order_id: str) -> ReviewOutcome | None:
        record = self.ledger.get(target, order_id)
        if record is None:
            return None
        if record.state == "unconfirmed":
            detail = (
                f"Amazon may have received the request by {record.by} ({record.source}) on "
                f"{record.claimed_at:%Y-%m-%d %H:%M} UTC, but its answer was lost."
            )
            return ReviewOutcome(
                order_id=order_id,
                target=target.label(),
                status="unconfirmed",
                detail=detail,
                failure_kind="unconfirmed",
            )
        if record.state == "sent":
            detail = f"sent on {record.sent_at:%Y-%m-%d %H:%M} UTC by {record.by} ({record.source})"
        else:
            detail = f"a request by {record.by} is being sent right now"
        return ReviewOutcome(order_id=order_id, target=target.label(), status="already_requested", detail=detail)

    @staticmethod
    def _failed(target: Target, order_id: str, exc: SpApiFailure) -> ReviewOutcome:
        return ReviewOutcome(
            order_id=order_id, target=target.label(), status="failed", detail=exc.user_message(), failure_kind=exc.kind
        )

    def check_window(self, target: Target, order: OrderSummary) -> ReviewOutcome | None:
        """A skip outcome if the order is canceled or `now` is outside its delivery window, else None.

        Only a pre-filter that saves a call: without delivery dates (FBA) nothing is judged here."""
        if order.status == "Canceled":
            return ReviewOutcome(order_id=order.order_id, target=target.label(), status="canceled")
        verdict = review_window(order.earliest_delivery, order.latest_delivery, utc(self.clock()))
        if verdict.state in ("open", "unknown"):
            return None
        return ReviewOutcome(
            order_id=order.order_id,
            target=target.label(),
            status=verdict.state,
            eligible_on=verdict.opens_at.date() if verdict.opens_at else None,
            closed_on=verdict.closes_at.date() if verdict.closes_at else None,
        )

    def precheck(self, target: Target, order: OrderSummary) -> ReviewOutcome | None:
        """Store and window checks only (no API call): what a dry run reports."""
        return self._already(target, order.order_id) or self.check_window(target, order)

    def process(
        self, target: Target, order: OrderSummary, user: str, *, source: str, deadline: float | None = None
    ) -> ReviewOutcome:
        """Eligibility, claim, send, record: the part `/review` and the sweep share."""
        return _counted(self._process(target, order, user, source=source, deadline=deadline))

    def _process(
        self, target: Target, order: OrderSummary, user: str, *, source: str, deadline: float | None = None
    ) -> ReviewOutcome:
        skip = self.precheck(target, order)
        if skip:
            return skip
        oid = order.order_id
        try:
            actions = self.spapi.solicitation_actions(target, oid, deadline=deadline)
        except SpApiFailure as exc:
            return self._failed(target, oid, exc)
        if REVIEW_ACTION not in actions:
            return ReviewOutcome(order_id=oid, target=target.label(), status="no_action")
        claim = self.ledger.claim(target, oid, user, source)
        if claim is None:
            return self._already(target, oid) or ReviewOutcome(
                order_id=oid, target=target.label(), status="already_requested", detail="requested concurrently"
            )
        try:
            self.spapi.request_review(target, oid, deadline=deadline)
        except SpApiFailure as exc:
            if exc.kind == "unconfirmed":  # Amazon may have taken it: never request it again
                self.ledger.mark_unconfirmed(target, claim, user, f"answer lost: {exc.detail}")
                detail = f"Amazon may have received it, but its answer was lost ({exc.detail})."
                return ReviewOutcome(
                    order_id=oid, target=target.label(), status="unconfirmed", detail=detail, failure_kind=exc.kind
                )
            self.ledger.release(target, claim, user, f"{exc.kind}: {exc.detail}")
            return self._failed(target, oid, exc)
        except BaseException:
            # Unknown whether the request left: the same as a lost answer, never requested again.
            self.ledger.mark_unconfirmed(target, claim, user, "answer lost: crashed during the call")
            raise
        self.ledger.mark_sent(target, claim, user)
        return ReviewOutcome(order_id=oid, target=target.label(), status="sent")


# Not a request that failed: one the bot decided not to send (the order's window, a cancellation, already sent).
SKIPPED = frozenset({"too_early", "too_late", "canceled", "already_requested", "no_action"})


def _counted(outcome: ReviewOutcome) -> ReviewOutcome:
    """ReviewRequestsSent / ReviewRequestsSkipped (failures show in the SP-API metrics instead)."""
    if outcome.sent:
        metrics.count(metrics.REVIEW_REQUESTS_SENT)
    elif outcome.status in SKIPPED:
        metrics.count(metrics.REVIEW_REQUESTS_SKIPPED)
    return outcome
