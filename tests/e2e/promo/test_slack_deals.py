"""/promo deals: GET_PROMOTION_PERFORMANCE_REPORT through python-amazon-sp-api against the fake SP-API (real HTTP)."""

from __future__ import annotations

import pytest

from bot.local.harness import BotHarness


@pytest.fixture
def bot(store, monkeypatch):
    monkeypatch.setenv("SELLERBOT_PROMO_REPORT_POLL_SECONDS", "0.05")
    with BotHarness(store=store, with_spapi=True) as harness:
        yield harness


def _say(bot, line: str) -> tuple[str, str]:
    ack = bot.ack_json(bot.slash(line))
    bot.wait(60)
    replies = bot.replies()
    return ack.get("text", ""), replies[-1]["text"] if replies else ""


def test_deals_lists_the_accounts_deals(bot):
    ack, reply = _say(bot, "/promo deals")
    assert "acme/US" in ack
    assert reply.startswith("Deals for acme/US:") and "revenue" in reply
    assert any(kind in reply for kind in ("best deal", "lightning deal"))


def test_without_brand_registry_deals_say_that_is_why_and_amazon_is_not_asked(bot):
    ack, reply = _say(bot, "/promo deals --account globex --marketplace DE")
    assert "not available for globex because it is not in Amazon Brand Registry" in ack
    assert "Selling Partner Insights" in ack and "/promo report CODE" in ack
    assert reply == "" and "no deals" not in ack
    assert not [r for r in bot.env.fake_spapi.requests if r.operation == "createReport"]  # Amazon not asked


def test_no_deals_in_the_period_is_explained_in_words(bot):
    # Amazon answers CANCELLED when it has no deals for the period; the sandbox does so for a seller it
    # holds without Brand Registry, while the bot's config still says acme has it.
    data = bot.env.fake_spapi.data
    data.accounts = data.accounts.model_copy(
        update={"accounts": [a.model_copy(update={"brand_registry": False}) for a in data.accounts.accounts]}
    )
    _, reply = _say(bot, "/promo deals --account acme --marketplace US")
    assert "Amazon has no Best Deal or Lightning Deal results for acme/US" in reply, bot.replies()
    assert "CANCELLED" not in reply and "ReportUnreadable" not in reply


def test_bad_options_are_refused_in_the_ack(bot):
    ack, reply = _say(bot, "/promo deals --marketplace JP")
    assert "does not sell in JP" in ack and reply == ""
    ack, _ = _say(bot, "/promo deals --report-id ../../x")
    assert "not an SP-API report id" in ack


def test_slow_report_is_resumed_by_id(bot, monkeypatch):
    monkeypatch.setenv("SELLERBOT_LAZY_TIMEOUT_SECONDS", "6.1")  # budget for two polls; the fake needs three
    _, pending = _say(bot, "/promo deals")
    assert "still building report" in pending and "--report-id" in pending
    resume = pending.split("`")[1]
    monkeypatch.setenv("SELLERBOT_LAZY_TIMEOUT_SECONDS", "29")
    ack, reply = _say(bot, resume)
    assert "report 5" in ack and reply.startswith("Deals for acme/US:")
