"""/affiliates through the whole Lambda handler (signed requests, lazy listeners, the fake Slack), with a
stand-in AffiliatesService that returns hand-built models (the service's own tests cover Amazon)."""

from __future__ import annotations

import threading

import pytest

from bot.local.harness import BotHarness
from handlers.affiliates.models import AffiliatesUnavailable
from tests.e2e.affiliates_slack.standin import StandIn


@pytest.fixture
def bot(store):
    with BotHarness(store=store) as harness:
        harness.deps.affiliates = StandIn()  # type: ignore[assignment]
        yield harness


def _say(bot, line: str, **kw) -> tuple[str, list[dict]]:
    ack = bot.ack_json(bot.slash(line, **kw))
    bot.wait(30)
    return ack.get("text", ""), bot.replies()


def test_affiliates_answers_privately_with_publishers_and_caveats(bot):
    ack, replies = _say(bot, "/affiliates")
    assert ack.startswith("Asking Amazon Attribution for acme US") and "30 days" not in ack
    assert bot.deps.affiliates.calls[0][:3] == ("report", "acme", "US")
    reply = replies[-1]
    assert reply["response_type"] == "ephemeral"
    assert reply["text"].startswith("Affiliates acme US")
    blocks = str(reply["blocks"])
    assert "Google Ads" in blocks and "10-click threshold" in blocks and "incomplete" in blocks
    assert not bot.slack.calls_to("chat.postMessage")  # nothing in the channel


def test_per_tag_is_passed_on(bot):
    _say(bot, "/affiliates acme CA 7d per-tag")
    assert (
        bot.deps.affiliates.calls[-1][0:3] == ("report", "acme", "CA") and bot.deps.affiliates.calls[-1][-1] == "True"
    )


def test_unavailable_says_what_to_do(bot):
    bot.deps.affiliates.result = AffiliatesUnavailable(
        reason="no_credentials", message="acme has no Amazon Ads credentials: ask an admin to add them."
    )
    _, replies = _say(bot, "/affiliates")
    assert "ask an admin to add them" in replies[-1]["text"]


def test_bad_words_are_refused_in_the_ack_and_amazon_is_not_asked(bot):
    ack, replies = _say(bot, "/affiliates acme JP")
    assert "only for US, CA" in ack and not replies
    assert bot.deps.affiliates.calls == []


def test_someone_else_s_account_is_refused(bot):
    ack, replies = _say(bot, "/affiliates globex UK", user="U0REQUESTER", channel="C0RANDOM")
    assert "globex" in ack and not replies and bot.deps.affiliates.calls == []


def test_a_slow_answer_shows_one_progress_line_first(bot, monkeypatch):
    monkeypatch.setenv("SELLERBOT_AFFILIATES_PROGRESS_SECONDS", "0")
    standin = bot.deps.affiliates
    standin.release = threading.Event()
    bot.slash("/affiliates")
    # the progress line arrives while the report is still held back
    for _ in range(3000):
        if bot.slack.calls_to("webhook"):
            break
        threading.Event().wait(0.01)
    first = [c.params["text"] for c in bot.slack.calls_to("webhook")]
    standin.release.set()
    bot.wait(30)
    texts = [r["text"] for r in bot.replies()]
    assert first and first[0].startswith("Still asking Amazon Attribution for acme US")
    assert len(texts) == 2 and texts[1].startswith("Affiliates acme US")


def test_tags_list_copy_ready_links(bot):
    ack, replies = _say(bot, "/affiliates tags Google --asin B0EXAMPLE1")
    assert "tags of acme US for Google" in ack
    assert bot.deps.affiliates.calls[-1] == ("tags", "acme", "US", "Google", "B0EXAMPLE1")
    assert "https://www.amazon.com/dp/B0EXAMPLE1?maas=m&amp;tag=maas" in str(replies[-1]["blocks"])
