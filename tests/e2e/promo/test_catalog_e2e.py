"""/promo new with Amazon's catalog asked (issue 17 item 3): the whole Lambda handler, the fake Slack and
the fake SP-API over HTTP (its catalog: each demo account's products, and another brand's)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.local.harness import BotHarness
from handlers.promo.models import PromoStatus
from handlers.promo.repository import PromoRepository
from infra.accounts import load_accounts
from infra.fakes.sp_api.data import catalog_items, other_brand_items

REQUESTER, APPROVALS = "U0REQUESTER", "C0APPROVALS"
TODAY = datetime.now(UTC).date()
DATES = f"{TODAY + timedelta(days=7)}..{TODAY + timedelta(days=21)}"
_acme = load_accounts().get("acme")
assert _acme is not None
ACME = _acme
MINE = [i.asin for i in catalog_items(ACME)]


@pytest.fixture
def bot() -> Iterator[BotHarness]:
    with BotHarness(with_spapi=True) as harness:
        yield harness


def _new(bot: BotHarness, code: str, asins: str) -> dict:
    ack = bot.ack_json(bot.slash(f"/promo new {code} 20% {asins} {DATES} --marketplace US", user=REQUESTER))
    bot.wait()
    return ack


def _cards(bot: BotHarness, code: str) -> list[dict]:
    return [m for m in bot.slack.messages.get(APPROVALS, []) if code in m.get("text", "")]


def test_own_products_reach_the_card_with_their_titles(bot: BotHarness) -> None:
    ack = _new(bot, "TRAILWEEK", f"{MINE[0]},{MINE[1]}")
    assert "Submitting TRAILWEEK" in ack["text"]
    [card] = _cards(bot, "TRAILWEEK")
    shown = json.dumps(card["blocks"])
    titles = {i.asin: i.title for i in catalog_items(ACME)}
    assert titles[MINE[0]] in shown and titles[MINE[1]] in shown
    promo = PromoRepository(bot.store).get_by_code("acme", "TRAILWEEK")
    assert promo is not None and promo.status is PromoStatus.PENDING_APPROVAL
    assert promo.product_titles == {MINE[0]: titles[MINE[0]], MINE[1]: titles[MINE[1]]}


def test_unknown_and_foreign_asins_are_refused_by_name_and_the_code_is_free_again(bot: BotHarness) -> None:
    foreign = other_brand_items()[0].asin
    _new(bot, "TRAILWEEK", f"{MINE[0]},B0ZZZZZZZZ,{foreign}")
    assert not _cards(bot, "TRAILWEEK")
    told = bot.replies()[-1]["text"]
    assert "B0ZZZZZZZZ is not in Amazon's catalog in the US marketplace" in told
    assert foreign in told and "Acme Outdoor" in told
    promo = PromoRepository(bot.store).get_by_code("acme", "TRAILWEEK")
    assert promo is not None and promo.status is PromoStatus.CANCELLED
    assert [h.action for h in PromoRepository(bot.store).history("acme", promo.id)] == ["create", "cancel"]
    # The same code with the products fixed goes through.
    _new(bot, "TRAILWEEK", MINE[0])
    assert len(_cards(bot, "TRAILWEEK")) == 1
