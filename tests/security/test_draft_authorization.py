"""Only a /message draft's author may Send or Cancel it; anyone else is refused, and the refusal is audited."""

from __future__ import annotations

import pytest

from bot.local.harness import BotHarness
from handlers.reviews.messaging import draft_key
from infra.fakes.sp_api import FakeOrder
from tests.support.reviews import NOW, bot_on, running, started_fake

ORDER = "111-0000000-0000001"
AUTHOR, OTHER = "U0AUTHOR", "U0INTRUDER"
CHANNEL = "C0ACMEUS"  # both are in acme's channel, so both are on the account; only the author may send


@pytest.fixture
def fake(running):
    return started_fake(running, [FakeOrder.delivered(ORDER, days_ago=10, now=NOW)])


@pytest.fixture
def bot(store, fake):
    with bot_on(store, fake) as harness:
        yield harness


def test_only_the_author_can_send_or_cancel_a_draft(bot, fake, store):
    bot.slash(f"/message {ORDER} confirmDeliveryDetails Your parcel arrives on Friday.", user=AUTHOR, channel=CHANNEL)
    bot.wait()
    [preview] = bot.replies()
    draft_id = next(e["value"] for b in preview["blocks"] if b["type"] == "actions" for e in b["elements"])

    bot.click("reviews_message_send", draft_id, user=OTHER, channel=CHANNEL)
    bot.wait()
    bot.click("reviews_message_cancel", draft_id, user=OTHER, channel=CHANNEL)
    bot.wait()
    refusals = bot.replies()[1:]
    assert fake.messages == []
    assert len(refusals) == 2
    for reply in refusals:
        assert reply.get("response_type") == "ephemeral" and not reply.get("replace_original")
        assert AUTHOR in reply["text"]
    item = store.get(*draft_key(draft_id))
    assert item is not None and item.data["state"] == "pending"
    refused = [e for e in item.data["history"] if e["what"] == "refused"]
    assert [e["who"] for e in refused] == [OTHER, OTHER]

    bot.click("reviews_message_send", draft_id, user=AUTHOR, channel=CHANNEL)
    bot.wait()
    assert len(fake.messages) == 1
    assert "Message sent" in bot.replies()[-1]["text"]
