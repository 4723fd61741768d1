"""The adapter over real HTTP with the real python-amazon-sp-api clients (no limiter: see the e2e suite)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from handlers.accounts import load_accounts
from handlers.reviews import resolve_target
from handlers.reviews.messaging import MessagingService
from handlers.reviews.requests import ReviewRequestService
from handlers.reviews.spapi_adapter import SpApiReviewsAdapter
from handlers.reviews.sweep import SweepRunner
from tests.reviews.http_fake import DirectFactory, HttpFakeSpApi

NOW = datetime.now(timezone.utc)


def _iso(days_ago: float) -> str:
    return (NOW - timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _raw(oid: str, delivered_days_ago: float) -> dict[str, Any]:
    return {"AmazonOrderId": oid, "OrderStatus": "Shipped", "PurchaseDate": _iso(delivered_days_ago + 5),
            "EarliestDeliveryDate": _iso(delivered_days_ago + 2), "LatestDeliveryDate": _iso(delivered_days_ago),
            "MarketplaceId": "ATVPDKIKX0DER"}


@pytest.fixture
def fake():
    f = HttpFakeSpApi([_raw("111-0000000-0000001", 10), _raw("111-0000000-0000002", 1),
                       _raw("111-0000000-0000003", 12), _raw("111-0000000-0000004", 40)])
    f.base_url = f.start()
    yield f
    f.stop()


@pytest.fixture
def adapter(fake):
    return SpApiReviewsAdapter(DirectFactory(fake.base_url))


def test_review_request_passes_marketplace_ids_in_the_query(store, fake, adapter):
    target = resolve_target(load_accounts())
    svc = ReviewRequestService(store, adapter, lambda: NOW.timestamp())
    assert svc.request(target, "111-0000000-0000001", "U1").status == "sent"
    post = [r for r in fake.requests if r[0] == "POST" and "productReviewAndSellerFeedback" in r[1]]
    assert len(post) == 1 and post[0][2]["marketplaceIds"] == ["ATVPDKIKX0DER"]
    assert svc.request(target, "111-0000000-0000001", "U1").status == "already_requested"
    assert fake.calls["createProductReviewAndSellerFeedbackSolicitation"] == 1


@pytest.mark.parametrize("status,kind,words", [(403, "forbidden", "403"), (404, "not_found", "404"),
                                               (429, "throttled", "429")])
def test_http_errors_map_to_clear_messages_and_record_nothing(store, fake, adapter, status, kind, words):
    target = resolve_target(load_accounts())
    fake.status_for["createProductReviewAndSellerFeedbackSolicitation"] = status
    svc = ReviewRequestService(store, adapter, lambda: NOW.timestamp())
    out = svc.request(target, "111-0000000-0000001", "U1")
    assert out.status == "failed" and out.failure_kind == kind and words in out.text()
    assert svc.ledger.get(target, "111-0000000-0000001") is None


def test_unknown_order_is_a_404_message(store, adapter):
    out = ReviewRequestService(store, adapter, lambda: NOW.timestamp()).request(
        resolve_target(load_accounts()), "111-9999999-9999999", "U1")
    assert out.failure_kind == "not_found" and "404" in out.text()


def test_sweep_over_pages(store, fake, adapter):
    target = resolve_target(load_accounts(), marketplace="UK")
    report = SweepRunner(store, adapter, lambda: NOW.timestamp()).run(target, "U1")
    assert report.status == "done" and report.counts.pages == 2
    assert report.counts.sent == 2 and report.counts.skipped == {"too_early": 1, "too_late": 1}
    assert all(q["marketplaceIds"] == ["A1F83G8C2ARO7P"] for m, p, q, _ in fake.requests if "solicitations" in p)


def test_message_send_goes_to_the_matching_operation(store, fake, adapter):
    target = resolve_target(load_accounts())
    svc = MessagingService(store, adapter, lambda: NOW.timestamp(), accounts=load_accounts())
    draft = svc.draft(target, "111-0000000-0000001", "confirmOrderDetails", "Please confirm the colour.", "U1")
    assert draft.status == "draft" and draft.allowed == ["confirmOrderDetails", "unexpectedProblem"]
    assert svc.send(draft.draft.draft_id, "U1").status == "sent"
    assert svc.send(draft.draft.draft_id, "U1").status == "already_sent"
    [(order_id, action, body)] = fake.messages  # the library also adds marketplaceIds to the body
    assert (order_id, action, body["text"]) == ("111-0000000-0000001", "confirmOrderDetails", "Please confirm the colour.")
