"""The adapter over real HTTP: the real factory and python-amazon-sp-api clients against the one
fake SP-API (infra/fakes), which checks every request and answer against Amazon's models."""

from __future__ import annotations

import pytest

from handlers.reviews import resolve_target
from handlers.reviews.messaging import MessagingService
from handlers.reviews.requests import ReviewRequestService
from handlers.reviews.spapi_adapter import SpApiReviewsAdapter
from handlers.reviews.sweep import SweepRunner
from infra.accounts import load_accounts
from infra.fakes.sp_api import FakeOrder
from tests.support.reviews import NOW, factory_for, seeded_fake

# Delivered 10, 1 (too early), 12 and 40 (too late) days ago, for acme in the US and globex in the UK.
DELIVERED = {"0000001": 10, "0000002": 1, "0000003": 12, "0000004": 40}


def _orders(account: str, code: str, prefix: str) -> list[FakeOrder]:
    return [
        FakeOrder.delivered(f"{prefix}-0000000-{n}", days_ago=days, now=NOW, account_id=account, marketplace_code=code)
        for n, days in DELIVERED.items()
    ]


@pytest.fixture
def fake(running):
    f = seeded_fake(_orders("acme", "US", "111") + _orders("globex", "UK", "202"), max_page_size=2)
    f.start()
    running.append(f)
    return f


@pytest.fixture
def adapter(fake):
    # One attempt: these tests read how a refused call is reported, not the retry policy.
    return SpApiReviewsAdapter(factory_for(fake, attempts=1))


def test_review_request_passes_marketplace_ids_in_the_query(store, fake, adapter):
    target = resolve_target(load_accounts())
    svc = ReviewRequestService(store, adapter, lambda: NOW.timestamp())
    assert svc.request(target, "111-0000000-0000001", "U1").status == "sent"
    post = [r for r in fake.requests if r.operation == "createProductReviewAndSellerFeedbackSolicitation"]
    assert len(post) == 1 and post[0].query["marketplaceIds"] == ["ATVPDKIKX0DER"]
    assert svc.request(target, "111-0000000-0000001", "U1").status == "already_requested"
    assert fake.stats.requests["createProductReviewAndSellerFeedbackSolicitation"] == 1


@pytest.mark.parametrize(
    "status,kind,words", [(403, "forbidden", "403"), (404, "not_found", "404"), (429, "throttled", "429")]
)
def test_http_errors_map_to_clear_messages_and_record_nothing(store, fake, adapter, status, kind, words):
    target = resolve_target(load_accounts())
    fake.faults.add("createProductReviewAndSellerFeedbackSolicitation", f"status:{status}")
    svc = ReviewRequestService(store, adapter, lambda: NOW.timestamp())
    out = svc.request(target, "111-0000000-0000001", "U1")
    assert out.status == "failed" and out.failure_kind == kind and words in out.text()
    assert svc.ledger.get(target, "111-0000000-0000001") is None


def test_unknown_order_is_a_404_message(store, adapter):
    out = ReviewRequestService(store, adapter, lambda: NOW.timestamp()).request(
        resolve_target(load_accounts()), "111-9999999-9999999", "U1"
    )
    assert out.failure_kind == "not_found" and "404" in out.text()


def test_sweep_over_pages(store, fake, adapter):
    target = resolve_target(load_accounts(), marketplace="UK")
    report = SweepRunner(store, adapter, lambda: NOW.timestamp()).run(target, "U1")
    assert report.status == "done" and report.counts.pages == 2
    assert report.counts.sent == 2 and report.counts.skipped == {"too_early": 1, "too_late": 1}
    assert all(r.query["marketplaceIds"] == ["A1F83G8C2ARO7P"] for r in fake.requests if "solicitations" in r.path)


def test_message_send_goes_to_the_matching_operation(store, fake, adapter):
    target = resolve_target(load_accounts())
    svc = MessagingService(store, adapter, lambda: NOW.timestamp(), accounts=load_accounts())
    draft = svc.draft(target, "111-0000000-0000001", "confirmDeliveryDetails", "Your parcel is with the carrier.", "U1")
    assert draft.status == "draft" and "confirmDeliveryDetails" in draft.allowed
    assert svc.send(draft.draft.draft_id, "U1").status == "sent"
    assert svc.send(draft.draft.draft_id, "U1").status == "already_sent"
    [message] = fake.messages
    assert (message["order_id"], message["action"], message["text"]) == (
        "111-0000000-0000001",
        "confirmDeliveryDetails",
        "Your parcel is with the carrier.",
    )
