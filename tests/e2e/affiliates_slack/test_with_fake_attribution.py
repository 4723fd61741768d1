"""/affiliates, the promo report's panel and the weekly digest through the whole bot against the fake
Attribution server (real HTTP, the demo's 90 days): what `make demo` shows on first use."""

from __future__ import annotations

import json

import pytest

from bot.jobs.affiliates_digest import run as run_digest
from bot.local.harness import BotHarness
from bot.local.textview import blocks_to_text
from infra.ads.client import forget_tokens
from tests.support.promo import PROMO_DATA


@pytest.fixture
def bot(store):
    forget_tokens()
    with BotHarness(store=store) as harness:
        yield harness
    forget_tokens()


def _say(bot, line: str, *, first: bool = False, **kw) -> tuple[str, str]:
    seen = len(bot.replies())
    ack = bot.ack_json(bot.slash(line, **kw))
    bot.wait(60)
    replies = bot.replies()[seen:]
    if not replies:
        return ack.get("text", ""), ""
    reply = replies[0] if first else replies[-1]
    blocks = reply.get("blocks") or []
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    return ack.get("text", ""), blocks_to_text(blocks) if blocks else reply["text"]


def test_affiliates_on_first_use(bot):
    ack, text = _say(bot, "/affiliates")
    assert ack.startswith("Asking Amazon Attribution for acme US")
    assert text.startswith("== Affiliates — acme US ==") and "America/Los_Angeles days" in text
    assert "*Estimated BRB*" in text and "est. BRB" in text and "brand halo" in text
    assert "10-click threshold" in text and "0 sales" not in text
    assert "never matched to promo codes" in text or "never joins" in text


def test_per_tag_lists_tags_and_a_masked_one_is_never_zero(bot):
    _, text = _say(bot, "/affiliates acme US 30d per-tag")
    assert "· tag `" in text
    masked = [ln for ln in text.splitlines() if ln.startswith("*") and "10-click threshold" in ln]
    assert masked and all("sales" not in ln for ln in masked)


def test_tags_give_links(bot):
    _, text = _say(bot, "/affiliates tags Google --asin B0EXAMPLE1")
    assert "https://www.amazon.com/dp/B0EXAMPLE1?" in text and "aa_campaignid=" in text


def test_no_brb_for_a_non_enrolled_advertiser(bot):
    _, text = _say(bot, "/affiliates globex UK 7d")
    assert "*Estimated BRB* none from Amazon" in text and "est. BRB" not in text


def test_promo_report_with_the_affiliate_panel(bot):
    bot.slack.seed_file("C0REPORTS", "promo_report_us.csv", (PROMO_DATA / "promo_report_us.csv").read_bytes())
    _, text = _say(bot, "/promo report SUMMERSALE", first=True, user="U0REQUESTER", channel="C0REPORTS")
    assert "*Referred by Associates/Influencers*" in text
    assert "*Amazon Attribution (affiliate tags), a separate statistic*" in text and " clicks, " in text
    assert "never joins affiliate rows to promo codes" in text


def test_weekly_digest_posts_once_then_leaves_it(bot):
    deps = bot.deps

    def once() -> dict:
        return run_digest(
            source=deps.affiliates, store=deps.store, slack=deps.slack, accounts=deps.accounts, clock=deps.clock
        )

    first = once()
    assert first.get("posted", 0) >= 1, first
    posts = bot.slack.calls_to("chat.postMessage")
    assert any("Weekly affiliates acme US" in p.params["text"] for p in posts)
    again = once()
    assert again.get("posted", 0) == 0 and len(bot.slack.calls_to("chat.postMessage")) == len(posts)
