"""/review, /review sweep and /message through the whole Lambda handler (signed requests, lazy listeners).

SP-API: the one fake SP-API (infra/fakes, checked against Amazon's models) seeded with exact
orders, reached through the production factory, injected as the bot's SP-API factory.
"""

from __future__ import annotations

import time

import pytest

from bot.local.harness import BotHarness
from handlers.reviews import resolve_target
from handlers.reviews.spapi_adapter import SpApiReviewsAdapter
from handlers.reviews.sweep import SweepRunner
from infra.accounts import load_accounts
from infra.fakes.sp_api import FakeOrder
from tests.support.reviews import NOW, bot_on, factory_for, seeded_fake, started_fake

# Six acme orders, US: delivered 10 days ago, but #5 a day ago (too early) and #6 45 days ago (too late);
# #2 also exists in CA. An order that exists in one marketplace only is looked up by its id.
ORDERS = [
    FakeOrder.delivered(f"111-0000000-000000{i}", days_ago=1 if i == 5 else 45 if i == 6 else 10, now=NOW)
    for i in range(1, 7)
]
CA_ORDER = FakeOrder.delivered("701-0000000-0000002", days_ago=10, now=NOW, marketplace_code="CA")


@pytest.fixture
def fake(running):
    return started_fake(running, [*ORDERS, CA_ORDER], max_page_size=2)


@pytest.fixture
def bot(store, fake):
    with bot_on(store, fake) as harness:
        yield harness


def _texts(bot) -> list[str]:
    return [r.get("text", "") for r in bot.replies()]


def test_malformed_order_id_is_refused_in_the_ack(bot, fake):
    ack = bot.ack_json(bot.slash("/review 12-345"))
    assert "3-7-7 digits" in ack["text"] and "Usage" in ack["text"]
    bot.wait()
    assert sum(fake.stats.requests.values()) == 0


def test_review_then_again_reaches_amazon_once(bot, fake):
    assert (
        "Checking order 111-0000000-0000001 (acme/US)" in bot.ack_json(bot.slash("/review 111-0000000-0000001"))["text"]
    )
    bot.wait()
    bot.slash("/review 111-0000000-0000001")
    bot.wait()
    first, second = _texts(bot)
    assert "Review request sent" in first and "Already requested" in second
    assert fake.stats.requests["createProductReviewAndSellerFeedbackSolicitation"] == 1


def test_concurrent_double_request_makes_one_api_call(bot, fake):
    bot.slash("/review 701-0000000-0000002 --marketplace CA")
    bot.slash("/review 701-0000000-0000002 --marketplace CA")
    bot.wait()
    texts = sorted(_texts(bot))
    assert fake.stats.requests["createProductReviewAndSellerFeedbackSolicitation"] == 1
    assert len(texts) == 2 and sum("Review request sent" in t for t in texts) == 1
    # The loser either finds the claim (already requested) or, if it checked after the send, no offered action.
    assert any("Already requested" in t or "Amazon offers no review request" in t for t in texts)


def test_too_early_names_the_date(bot):
    bot.slash("/review 111-0000000-0000005")
    bot.wait()
    [text] = _texts(bot)
    assert "Too early" in text and "Eligible on" in text


def test_amazon_refusal_is_explained_and_not_recorded(bot, fake):
    fake.faults.add("createProductReviewAndSellerFeedbackSolicitation", "status:403")
    bot.slash("/review 111-0000000-0000003")
    bot.wait()
    assert "403" in _texts(bot)[0]
    bot.slash("/review 111-0000000-0000003")
    bot.wait()
    assert "Review request sent" in _texts(bot)[1]


def test_sweep_updates_one_message_and_summarises(bot, fake):
    bot.slash("/review sweep")
    bot.wait()
    posts = bot.slack.calls_to("chat.postMessage")
    assert len(posts) == 1
    [message] = bot.slack.messages["C0DEMO"]
    assert "Sweep finished for acme/US" in message["text"]
    assert "sent 4; skipped: too early 1, too late 1; failed 0" in message["text"]
    assert fake.stats.requests["createProductReviewAndSellerFeedbackSolicitation"] == 4


def test_dry_run_sends_nothing(bot, fake):
    bot.slash("/review sweep --dry-run")
    bot.wait()
    [message] = bot.slack.messages["C0DEMO"]
    assert "dry run" in message["text"] and "would request 4" in message["text"]
    assert fake.stats.requests["createProductReviewAndSellerFeedbackSolicitation"] == 0


def test_interrupted_sweep_resumes_without_duplicates(bot, fake, store):
    # First run: a clock that advances 1 s per reading stops the sweep part-way (a Lambda timeout).
    # It starts at the wall clock, which the SP-API factory judges the deadline by.
    ticks = [time.time()]

    def clock() -> float:
        ticks[0] += 1
        return ticks[0]

    target = resolve_target(load_accounts())
    runner = SweepRunner(store, SpApiReviewsAdapter(factory_for(fake)), clock, stop_margin=0)
    first = runner.run(target, "U1", deadline=ticks[0] + 12)
    assert first.status == "paused" and 0 < first.counts.seen < 6
    sent_before = fake.stats.requests["createProductReviewAndSellerFeedbackSolicitation"]
    bot.slash("/review sweep")
    bot.wait()
    [message] = bot.slack.messages["C0DEMO"]
    assert "(resumed)" in message["text"] and "6 orders checked" in message["text"]
    assert fake.stats.requests["createProductReviewAndSellerFeedbackSolicitation"] == 4 >= sent_before


def test_message_blocked_by_compliance(bot, fake):
    bot.slash("/message 111-0000000-0000001 confirmDeliveryDetails Leave us a 5-star review and get a free gift!")
    bot.wait()
    [reply] = bot.replies()
    assert reply["text"].startswith("Blocked") and "actions" not in str(reply.get("blocks"))
    assert fake.messages == []


def test_message_preview_send_twice_sends_once(bot, fake):
    bot.slash(
        "/message 111-0000000-0000001 confirmDeliveryDetails Your parcel is with the carrier and arrives on Friday."
    )
    bot.wait()
    [preview] = bot.replies()
    buttons = {e["action_id"]: e["value"] for b in preview["blocks"] if b["type"] == "actions" for e in b["elements"]}
    assert set(buttons) == {"reviews_message_send", "reviews_message_cancel"}
    bot.click("reviews_message_send", buttons["reviews_message_send"])
    bot.click("reviews_message_send", buttons["reviews_message_send"])
    bot.wait()
    assert len(fake.messages) == 1
    texts = _texts(bot)[1:]
    assert any("Message sent" in t for t in texts)
    assert any("Already sent" in t or "right now" in t for t in texts)
    bot.click("reviews_message_cancel", buttons["reviews_message_cancel"])
    bot.wait()
    assert "cannot be cancelled" in _texts(bot)[-1]


def test_message_cancel_and_removed_type(bot, fake):
    ack = bot.ack_json(bot.slash("/message 111-0000000-0000001 negativeFeedbackRemoval please remove"))
    assert "removed from Amazon's Messaging API" in ack["text"]
    bot.slash("/message 111-0000000-0000001 unexpectedProblem Your parcel is delayed by one day.")
    bot.wait()
    [preview] = bot.replies()
    draft = next(e["value"] for b in preview["blocks"] if b["type"] == "actions" for e in b["elements"])
    bot.click("reviews_message_cancel", draft)
    bot.wait()
    bot.click("reviews_message_send", draft)
    bot.wait()
    assert "Cancelled" in _texts(bot)[1] and "cancelled" in _texts(bot)[2]
    assert fake.messages == []
