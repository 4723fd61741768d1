"""`/message` undoes Slack's escaping before the check and the send, exactly as `/comply` does (issue 23, item 10).

Slack delivers a typed `&` as `&amp;` and a pasted link as `<url|label>`; the buyer must get what the
seller typed, and a typed `&` must not read as an HTML entity to the compliance check.
"""

from __future__ import annotations

import pytest

from bot.local.harness import BotHarness
from infra.fakes.sp_api import FakeOrder
from tests.support.reviews import NOW, bot_on, running, started_fake

ORDER = "111-0000000-0000007"


@pytest.fixture
def fake(running):
    return started_fake(running, [FakeOrder.delivered(ORDER, days_ago=10, now=NOW)])


@pytest.fixture
def bot(store, fake):
    with bot_on(store, fake) as harness:
        yield harness


def _send_draft(bot) -> None:
    [preview] = bot.replies()[-1:]
    draft_id = next(e["value"] for b in preview.get("blocks", []) if b["type"] == "actions" for e in b["elements"])
    bot.click("reviews_message_send", draft_id)
    bot.wait()


def test_the_buyer_gets_what_the_seller_typed_not_slacks_escaping(bot, fake):
    # As Slack delivers "Tom & Jerry's order ships Friday & arrives Monday." typed in the composer.
    bot.slash(f"/message {ORDER} confirmDeliveryDetails Tom &amp; Jerry's order ships Friday &amp; arrives Monday.")
    bot.wait()
    preview = bot.replies()[-1]
    assert "HTML" not in preview["text"], preview["text"]
    _send_draft(bot)
    assert [m["text"] for m in fake.messages] == ["Tom & Jerry's order ships Friday & arrives Monday."]


def test_a_typed_amp_entity_is_checked_as_the_seller_wrote_it(bot, fake):
    # Slack escapes the typed "&amp;" once more; the checker must see the seller's literal "&amp;" (HTML).
    bot.slash(f"/message {ORDER} confirmDeliveryDetails Tom &amp;amp; Jerry's order ships Friday.")
    bot.wait()
    assert fake.messages == []
    assert "HTML" in bot.replies()[-1]["text"] or "html" in bot.replies()[-1]["text"].lower()
