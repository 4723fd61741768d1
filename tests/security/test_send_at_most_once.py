"""A buyer message or a review request reaches Amazon at most once (issue 23, item 2).

Amazon's Messaging sends and createProductReviewAndSellerFeedbackSolicitation take no idempotency
key: a send Amazon accepted but whose answer was lost (a read timeout, a 502, an empty 5xx) must not
be sent again, neither by the retry policy nor by a later /review, a sweep re-run or a second Send
click. It is left "unconfirmed" and the user is told to check Seller Central. A 429 (Amazon did not
take it) and a connection refused before anything was sent are still retried.

Everything goes through the real factory, python-amazon-sp-api and HTTP to the fake SP-API, whose
`accept_then_*` faults let the operation take effect and then lose its answer.
"""

from __future__ import annotations

import time

import httpx
import pytest

from bot.local.harness import BotHarness
from handlers.reviews import resolve_target
from handlers.reviews.ledger import CLAIM_LEASE_SECONDS, record_pk, record_sk
from handlers.reviews.messaging import MessagingService, draft_key
from handlers.reviews.requests import ReviewRequestService
from handlers.reviews.spapi_adapter import SpApiReviewsAdapter
from handlers.reviews.sweep import SweepRunner
from infra.accounts import load_accounts
from infra.fakes.sp_api import FakeOrder
from infra.secrets import EnvCredentials
from infra.spapi.errors import SpApiOutcomeUnknown, SpApiServerError
from infra.spapi.factory import SpApiFactory, clear_token_cache
from infra.spapi.limiter import RateLimiter
from infra.spapi.rates import MESSAGING_ACTION_OPERATIONS
from infra.spapi.retry import RetryPolicy
from tests.support.reviews import NOW, factory_for, running, seeded_fake

ORDER, SWEPT = "111-0000000-0000001", "111-0000000-0000002"
SEND = "createConfirmDeliveryDetails"  # confirmDeliveryDetails, offered for a delivered order
CREATE = "createProductReviewAndSellerFeedbackSolicitation"
UNCONFIRMED = "unconfirmed: check Seller Central"
# People of the demo account acme (infra/data/accounts.demo.json), in its US channel.
MEMBER, OTHER_MEMBER, CHANNEL = "U0APPROVER1", "U0APPROVER2", "C0ACMEUS"
# The answer is lost after Amazon took the request: a 502 from a gateway, an empty 5xx, no answer in time.
AMAZON = "https://sellingpartnerapi-na.amazon.com"
LOST_ANSWERS = ["accept_then_status:502", "accept_then_empty_500", "accept_then_timeout"]


@pytest.fixture
def fake(running):
    f = seeded_fake([FakeOrder.delivered(o, days_ago=10, now=NOW) for o in (ORDER, SWEPT)])
    f.timeout_fault_seconds = 2.0  # longer than the client's timeout below: the client gives up first
    f.start()
    running.append(f)
    return f


@pytest.fixture
def factory(fake):
    f = factory_for(fake)
    f.timeout = 0.5  # before the first call builds the HTTP client
    return f


@pytest.fixture
def bot(store, factory):
    with BotHarness(store=store) as harness:
        harness.deps.__dict__["spapi"] = factory
        yield harness


def _last_reply(bot: BotHarness) -> str:
    bot.wait()
    return str(bot.replies()[-1]["text"])


def _received(fake, operation: str) -> int:
    return sum(1 for r in fake.requests if r.operation == operation)


def test_non_idempotent_is_a_property_of_the_operation():
    from infra.spapi.retry import NON_IDEMPOTENT_OPERATIONS, is_idempotent

    sends = set(MESSAGING_ACTION_OPERATIONS.values())
    assert sends | {CREATE} <= NON_IDEMPOTENT_OPERATIONS
    assert not any(is_idempotent(op) for op in sends | {CREATE})
    reads = ("getOrder", "getOrders", "getMessagingActionsForOrder", "getSolicitationActionsForOrder", "getReport")
    assert all(is_idempotent(op) for op in reads)


@pytest.mark.parametrize("lost", LOST_ANSWERS)
def test_a_message_whose_answer_was_lost_is_delivered_once_and_send_again_refuses(bot, fake, store, lost):
    bot.slash(f"/message {ORDER} confirmDeliveryDetails Your parcel arrives on Friday.", user=MEMBER, channel=CHANNEL)
    bot.wait()
    draft_id = next(e["value"] for b in bot.replies()[-1]["blocks"] if b["type"] == "actions" for e in b["elements"])
    fake.faults.add(SEND, lost)

    bot.click("reviews_message_send", draft_id, user=MEMBER, channel=CHANNEL)
    first = _last_reply(bot)
    assert len(fake.messages) == 1 and _received(fake, SEND) == 1
    assert UNCONFIRMED in first, first
    item = store.get(*draft_key(draft_id))
    assert item is not None and item.data["state"] == "unconfirmed"

    bot.click("reviews_message_send", draft_id, user=MEMBER, channel=CHANNEL)  # e.g. from a copy of the preview
    again = _last_reply(bot)
    assert UNCONFIRMED in again and "Seller Central" in again, again
    assert len(fake.messages) == 1 and _received(fake, SEND) == 1


@pytest.mark.parametrize("lost", LOST_ANSWERS)
def test_a_review_request_whose_answer_was_lost_is_sent_once_by_review_and_never_again(bot, fake, store, lost):
    fake.faults.add(CREATE, lost)
    bot.slash(f"/review {ORDER}", user=MEMBER, channel=CHANNEL)
    first = _last_reply(bot)
    assert _received(fake, CREATE) == 1
    assert UNCONFIRMED in first, first

    bot.slash(f"/review {ORDER}", user=OTHER_MEMBER, channel=CHANNEL)
    again = _last_reply(bot)
    assert UNCONFIRMED in again, again
    target = resolve_target(load_accounts())
    item = store.get(record_pk(target.account_id), record_sk(ORDER))
    assert item is not None and item.data["state"] == "unconfirmed"
    assert item.expires_at is None  # no lease runs out: a later /review or sweep never reopens it

    # A sweep over the account, well after the claim's lease would have run out, skips it too.
    later = NOW.timestamp() + CLAIM_LEASE_SECONDS + 60
    report = SweepRunner(store, SpApiReviewsAdapter(bot.deps.spapi), lambda: later).run(target, "U3")
    assert report.status == "done" and report.counts.unconfirmed == 1 and report.counts.sent == 1
    assert _received(fake, CREATE) == 2  # the other order's, once
    assert [r.path.split("/")[4] for r in fake.requests if r.operation == CREATE].count(ORDER) == 1


@pytest.mark.parametrize("lost", LOST_ANSWERS)
def test_a_sweep_whose_answer_was_lost_leaves_the_order_unconfirmed_and_a_rerun_skips_it(store, fake, factory, lost):
    target = resolve_target(load_accounts())
    fake.faults.add(f"/solicitations/v1/orders/{SWEPT}/solicitations/", lost)
    runner = SweepRunner(store, SpApiReviewsAdapter(factory), lambda: NOW.timestamp())
    first = runner.run(target, "U1")
    assert _received(fake, CREATE) == 2  # one per order
    assert first.status == "done" and first.counts.sent == 1 and first.counts.unconfirmed == 1
    assert UNCONFIRMED in first.summary_text()
    assert any(f.order_id == SWEPT and UNCONFIRMED in f.reason for f in first.failures)

    rerun = SweepRunner(store, SpApiReviewsAdapter(factory), lambda: NOW.timestamp() + CLAIM_LEASE_SECONDS + 60)
    second = rerun.run(target, "U1")
    assert second.counts.sent == 0 and second.counts.unconfirmed == 1
    assert _received(fake, CREATE) == 2  # one per order, ever
    review = ReviewRequestService(store, SpApiReviewsAdapter(factory), lambda: NOW.timestamp())
    assert review.request(target, SWEPT, "U2").status == "unconfirmed"
    assert _received(fake, CREATE) == 2


def test_a_throttled_send_and_review_request_are_still_retried(store, fake, factory):
    target = resolve_target(load_accounts())
    adapter = SpApiReviewsAdapter(factory)
    fake.faults.add(SEND, "throttle_429")
    fake.faults.add(CREATE, "throttle_429")
    svc = MessagingService(store, adapter, lambda: NOW.timestamp(), accounts=load_accounts())
    draft = svc.draft(target, ORDER, "confirmDeliveryDetails", "Your parcel arrives on Friday.", "U1").draft
    assert draft is not None and svc.send(draft.draft_id, "U1").status == "sent"
    assert ReviewRequestService(store, adapter, lambda: NOW.timestamp()).request(target, ORDER, "U1").sent
    assert _received(fake, SEND) == 2 and len(fake.messages) == 1
    assert _received(fake, CREATE) == 2 and len(fake.solicited) == 1


def test_a_connection_refused_before_sending_is_retried(store, fake):
    """Nothing listens on the fake's port for the first attempt (connection refused: the request never
    left); the retry policy's wait brings the fake back on the same port, and the second attempt sends."""
    port = int(fake.base_url.rsplit(":", 1)[1])
    refused: list[float] = []

    def sleep(seconds: float) -> None:
        if refused == []:
            refused.append(seconds)
            fake.port = port
            fake.start()

    clear_token_cache()
    factory = SpApiFactory(
        EnvCredentials(fake.credentials_env()),
        RateLimiter(),
        endpoint_override=fake.base_url,
        lwa_endpoint_override=fake.base_url,
        policy=RetryPolicy(sleep=sleep),
    )
    adapter = SpApiReviewsAdapter(factory)
    target = resolve_target(load_accounts())
    svc = MessagingService(store, adapter, lambda: NOW.timestamp(), accounts=load_accounts())
    draft = svc.draft(target, ORDER, "confirmDeliveryDetails", "Your parcel arrives on Friday.", "U1").draft
    assert draft is not None
    assert "productReviewAndSellerFeedback" in adapter.solicitation_actions(target, ORDER)  # token cached

    fake.stop()
    factory.close()  # drop pooled keep-alive connections: the next request must connect afresh
    assert svc.send(draft.draft_id, "U1").status == "sent"
    assert len(refused) == 1 and len(fake.messages) == 1 and _received(fake, SEND) == 1

    refused.clear()
    fake.stop()
    factory.close()
    adapter.request_review(target, ORDER)
    assert len(refused) == 1 and len(fake.solicited) == 1 and _received(fake, CREATE) == 1


@pytest.mark.parametrize(
    "error, retried",
    [
        (httpx.ConnectError("refused", request=httpx.Request("POST", f"{AMAZON}/messaging/v1/orders/1")), True),
        (httpx.ReadTimeout("no answer", request=httpx.Request("POST", f"{AMAZON}/auth/o2/token")), True),  # LWA
        (httpx.ReadTimeout("no answer", request=httpx.Request("POST", f"{AMAZON}/messaging/v1/orders/1")), False),
        (httpx.RemoteProtocolError("closed", request=httpx.Request("POST", f"{AMAZON}/messaging/v1/orders/1")), False),
        (SpApiServerError(502, reason="no Amazon error details"), False),
    ],
)
def test_the_policy_resends_only_what_amazon_cannot_have_taken(error, retried):
    calls: list[int] = []

    def attempt() -> str:
        calls.append(1)
        if len(calls) == 1:
            raise error
        return "ok"

    policy = RetryPolicy(sleep=lambda _seconds: None)
    if retried:
        assert policy.run(SEND, attempt, deadline=time.time() + 10) == "ok" and len(calls) == 2
    else:
        with pytest.raises(SpApiOutcomeUnknown) as info:
            policy.run(SEND, attempt, deadline=time.time() + 10)
        assert len(calls) == 1 and info.value.last_error is error and "Seller Central" in str(info.value)
    calls.clear()
    assert policy.run("getOrder", attempt, deadline=time.time() + 10) == "ok" and len(calls) == 2  # reads: as before
