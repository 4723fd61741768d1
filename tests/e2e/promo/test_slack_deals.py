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


def test_no_deals_is_explained(bot):
    _, reply = _say(bot, "/promo deals --account globex --marketplace DE")
    assert "CANCELLED" in reply and "Best Deal and Lightning Deal" in reply


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
