"""Domain units: order IDs, the 5-30-day window edges, outcome reasons, claims, sweep resume, drafts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from handlers.reviews import InvalidOrderId, TargetError, parse_order_id, resolve_target
from handlers.reviews.errors import SpApiFailure
from handlers.reviews.ledger import ReviewLedger
from handlers.reviews.messaging import MessageError, MessagingService, parse_action
from handlers.reviews.orders import review_window
from handlers.reviews.port import OrderSummary
from handlers.reviews.requests import ReviewRequestService
from handlers.reviews.sweep import SweepRunner
from infra.accounts import load_accounts
from tests.support.memory_spapi import MemorySpApi

# Real "now": the store judges leases (expires_at) by the wall clock.
NOW = datetime.now(UTC).replace(microsecond=0)


class Clock:
    def __init__(self, t: float = NOW.timestamp()) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


def order(oid: str, delivered_days_ago: float, span_days: float = 2) -> OrderSummary:
    latest = NOW - timedelta(days=delivered_days_ago)
    return OrderSummary(
        order_id=oid, status="Shipped", earliest_delivery=latest - timedelta(days=span_days), latest_delivery=latest
    )


@pytest.fixture
def target():
    return resolve_target(load_accounts())


@pytest.mark.parametrize("text", ["113-1234567-1234567", " 113-1234567-1234567 "])
def test_valid_order_ids(text):
    assert parse_order_id(text) == "113-1234567-1234567"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "113-123456-1234567",
        "1131234567-1234567",
        "113-1234567-12345678",
        "abc-1234567-1234567",
        "113-1234567\n-1234567",
        "113-1234567-1234567x",
        "１１３-1234567-1234567",
    ],
)
def test_malformed_order_ids_are_rejected_with_the_format(text):
    with pytest.raises(InvalidOrderId, match="3-7-7 digits"):
        parse_order_id(text)


def test_window_edges_are_inclusive():
    earliest = datetime(2026, 11, 1, tzinfo=UTC)
    latest = datetime(2026, 11, 3, tzinfo=UTC)
    opens, closes = earliest + timedelta(days=5), latest + timedelta(days=30)
    assert review_window(earliest, latest, opens - timedelta(seconds=1)).state == "too_early"
    assert review_window(earliest, latest, opens).state == "open"
    assert review_window(earliest, latest, closes).state == "open"
    assert review_window(earliest, latest, closes + timedelta(seconds=1)).state == "too_late"
    assert review_window(None, None, opens).state == "unknown"  # FBA: no dates, Amazon decides
    assert review_window(None, latest, latest + timedelta(days=5)).state == "open"


def test_target_defaults_and_errors():
    accounts = load_accounts()
    assert resolve_target(accounts).label() == "acme/US"
    assert resolve_target(accounts, marketplace="de").label() == "globex/DE"
    assert resolve_target(accounts, account="globex").label() == "globex/UK"
    with pytest.raises(TargetError, match="--account `nope`"):
        resolve_target(accounts, account="nope")
    with pytest.raises(TargetError, match="--marketplace `DE` is not configured for acme"):
        resolve_target(accounts, account="acme", marketplace="DE")


def test_send_then_second_request_never_reaches_amazon(store, target):
    api = MemorySpApi([order("111-0000000-0000001", 10)])
    svc = ReviewRequestService(store, api, Clock())
    first = svc.request(target, "111-0000000-0000001", "U1")
    assert first.status == "sent"
    second = svc.request(target, "111-0000000-0000001", "U2")
    assert second.status == "already_requested" and "U1" in second.text()
    assert api.calls["createProductReviewAndSellerFeedbackSolicitation"] == 1
    assert api.calls["getOrder"] == 1  # the store answered the second request alone
    trail = ReviewLedger(store, Clock()).audit_trail(target, "111-0000000-0000001")
    assert [e.what for e in trail] == ["claimed", "sent"]


def test_reasons(store, target):
    api = MemorySpApi(
        [
            order("111-0000000-0000001", 2),
            order("111-0000000-0000002", 31),
            OrderSummary(order_id="111-0000000-0000003"),
            order("111-0000000-0000004", 10),
        ]
    )
    api.solicited.add("111-0000000-0000004")
    svc = ReviewRequestService(store, api, Clock())
    early = svc.request(target, "111-0000000-0000001", "U1")
    opens = (NOW + timedelta(days=1)).date().isoformat()  # earliest delivery 4 days ago + 5 days
    assert early.status == "too_early" and early.eligible_on.isoformat() == opens
    assert f"Eligible on {opens}" in early.text()
    late = svc.request(target, "111-0000000-0000002", "U1")
    assert late.status == "too_late" and late.closed_on == (NOW - timedelta(days=1)).date()
    assert svc.request(target, "111-0000000-0000004", "U1").status == "no_action"
    assert api.calls["createProductReviewAndSellerFeedbackSolicitation"] == 0
    # No delivery dates (FBA orders carry none): not judged locally, Amazon's action list decides.
    assert svc.request(target, "111-0000000-0000003", "U1").status == "sent"


def test_canceled_order_is_not_asked(store, target):
    api = MemorySpApi([OrderSummary(order_id="111-0000000-0000001", status="Canceled")])
    out = ReviewRequestService(store, api, Clock()).request(target, "111-0000000-0000001", "U1")
    assert out.status == "canceled" and "canceled: no review request" in out.text()
    assert api.calls["getSolicitationActionsForOrder"] == 0


def test_order_in_another_marketplace_is_handled_there(store, target):
    ca = OrderSummary(order_id="111-0000000-0000001", marketplace_id="A2EUQ1WTGCTBG2")
    api = MemorySpApi([ca])
    out = ReviewRequestService(store, api, Clock()).request(target, "111-0000000-0000001", "U1")
    assert out.status == "sent" and out.target == "acme/CA" and out.requested_marketplace == "US"
    assert "placed in CA, not US" in out.text()
    assert api.targets["createProductReviewAndSellerFeedbackSolicitation"] == "acme/CA"


def test_order_in_a_marketplace_unknown_to_sellerbot_fails_clearly(store, target):
    api = MemorySpApi([OrderSummary(order_id="111-0000000-0000001", marketplace_id="A2Q3Y263D00KWC")])
    out = ReviewRequestService(store, api, Clock()).request(target, "111-0000000-0000001", "U1")
    assert out.status == "failed" and "A2Q3Y263D00KWC" in out.text() and "Seller Central" in out.text()
    assert api.calls["createProductReviewAndSellerFeedbackSolicitation"] == 0


def test_invalid_id_makes_no_call(store, target):
    api = MemorySpApi()
    with pytest.raises(InvalidOrderId):
        ReviewRequestService(store, api, Clock()).request(target, "12-34", "U1")
    assert sum(api.calls.values()) == 0


def test_refusal_releases_the_claim_and_records_nothing(store, target):
    api = MemorySpApi([order("111-0000000-0000001", 10)])
    api.fail["createProductReviewAndSellerFeedbackSolicitation"] = SpApiFailure(
        "throttled", "createProductReviewAndSellerFeedbackSolicitation", "QuotaExceeded", 429
    )
    svc = ReviewRequestService(store, api, Clock())
    failed = svc.request(target, "111-0000000-0000001", "U1")
    assert failed.status == "failed" and "429" in failed.text()
    assert ReviewLedger(store, Clock()).get(target, "111-0000000-0000001") is None
    assert svc.request(target, "111-0000000-0000001", "U1").status == "sent"


def test_concurrent_request_loses_the_claim(store, target):
    api = MemorySpApi([order("111-0000000-0000001", 10)])
    svc = ReviewRequestService(store, api, Clock())
    inner: list = []
    api.before_send = lambda: inner.append(svc.request(target, "111-0000000-0000001", "U2"))
    assert svc.request(target, "111-0000000-0000001", "U1").status == "sent"
    assert inner[0].status == "already_requested"
    assert api.calls["createProductReviewAndSellerFeedbackSolicitation"] == 1


def _orders(n: int) -> list[OrderSummary]:
    return [order(f"111-0000000-{i:07d}", 1 if i % 5 == 0 else 10) for i in range(n)]


def test_sweep_counts_and_resume_after_deadline(store, target):
    api = MemorySpApi(_orders(10), page_size=3)
    clock = Clock()
    runner = SweepRunner(store, api, clock, stop_margin=0)
    # A deadline that passes after 4 orders: the in-memory API advances the clock one second per order.
    api.on_list_or_check = lambda: setattr(clock, "t", clock.t + 1)
    first = runner.run(target, "U1", deadline=clock.t + 4)
    assert first.status == "paused" and 0 < first.counts.seen < 10
    second = runner.run(target, "U1")
    assert second.resumed and second.status == "done"
    assert second.counts.seen == 10 and second.counts.sent == 8 and second.counts.skipped == {"too_early": 2}
    assert api.calls["createProductReviewAndSellerFeedbackSolicitation"] == 8
    assert "sent 8; skipped: too early 2; failed 0" in second.summary_text()
    third = runner.run(target, "U1")  # a new run: everything is already recorded
    assert not third.resumed and third.counts.skipped == {"already_requested": 8, "too_early": 2}
    assert api.calls["createProductReviewAndSellerFeedbackSolicitation"] == 8


def test_sweep_dry_run_sends_nothing(store, target):
    api = MemorySpApi(_orders(7), page_size=3)
    report = SweepRunner(store, api, Clock()).run(target, "U1", dry_run=True)
    assert report.status == "done" and report.counts.would_send == 5 and report.counts.pages == 3
    assert api.calls["getSolicitationActionsForOrder"] == 0
    assert SweepRunner(store, api, Clock()).checkpoint(target) is None


def test_parse_action_refuses_removed_and_attachment_types():
    assert parse_action("confirmorderdetails") == "confirmOrderDetails"
    with pytest.raises(MessageError, match="removed"):
        parse_action("negativeFeedbackRemoval")
    with pytest.raises(MessageError, match="removed"):
        parse_action("amazonMotors")
    with pytest.raises(MessageError, match="attachments"):
        parse_action("warranty")


def test_message_draft_send_once_and_cancel(store, target):
    api = MemorySpApi()
    svc = MessagingService(store, api, Clock())
    blocked = svc.draft(
        target,
        "111-0000000-0000001",
        "confirmOrderDetails",
        "Please leave a 5-star review and email me at bob@example.com",
        "U1",
    )
    assert blocked.status == "blocked" and blocked.compliance.findings
    not_allowed = svc.draft(target, "111-0000000-0000001", "digitalAccessKey", "Your key is below.", "U1")
    assert not_allowed.status == "not_allowed" and "confirmOrderDetails" in not_allowed.reason
    ok = svc.draft(
        target, "111-0000000-0000001", "confirmOrderDetails", "Please confirm the engraving text for your order.", "U1"
    )
    assert ok.status == "draft"
    assert svc.send(ok.draft.draft_id, "U1", target).status == "sent"
    assert svc.send(ok.draft.draft_id, "U1", target).status == "already_sent"
    assert svc.cancel(ok.draft.draft_id, "U1").status == "already_sent"
    assert len(api.messages) == 1
    other = svc.draft(target, "111-0000000-0000001", "unexpectedProblem", "Your parcel is delayed by a day.", "U1")
    assert svc.cancel(other.draft.draft_id, "U1").status == "cancelled"
    assert svc.send(other.draft.draft_id, "U1", target).status == "cancelled"
    assert len(api.messages) == 1


def test_a_send_that_never_finished_is_not_repeated(store, target):
    api = MemorySpApi()
    clock = Clock()
    svc = MessagingService(store, api, clock)
    draft_id = svc.draft(
        target, "111-0000000-0000001", "confirmOrderDetails", "Please confirm the engraving text for your order.", "U1"
    ).draft.draft_id
    draft, item = svc.get(draft_id)
    svc._move(draft, item, "sending", "U1")  # the sender's Lambda is killed here, mid-call
    assert svc.send(draft_id, "U1", target).status == "in_progress"
    clock.t += 121
    late = svc.send(draft_id, "U1", target)
    assert late.status == "unconfirmed" and "Seller Central" in late.detail and "U1" in late.detail
    assert svc.cancel(draft_id, "U1").status == "unconfirmed"
    assert api.messages == []


def test_message_refused_by_amazon_can_be_retried(store, target):
    api = MemorySpApi()
    api.fail["confirmOrderDetails"] = SpApiFailure("forbidden", "confirmOrderDetails", "Unauthorized", 403)
    svc = MessagingService(store, api, Clock())
    ok = svc.draft(target, "111-0000000-0000001", "confirmOrderDetails", "Please confirm the size you ordered.", "U1")
    failed = svc.send(ok.draft.draft_id, "U1", target)
    assert failed.status == "failed" and "403" in failed.detail
    assert svc.send(ok.draft.draft_id, "U1", target).status == "sent"
