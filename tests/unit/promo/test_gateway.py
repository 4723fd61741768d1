from __future__ import annotations

from datetime import date

import pytest

from bot.views.promo import ACTION_IDS, handoff_message
from handlers.promo.gateway import PromotionGateway, SellerCentralHandoff, check_promotion_id, seller_central_link
from handlers.promo.lifecycle import Action
from handlers.promo.models import PromoStatus, Promotion
from handlers.promo.validation import validate
from infra.marketplaces import end_of_day, start_of_day
from tests.support.promo import NOW, raw_request


def promo(marketplace: str = "US", **over) -> Promotion:
    d = validate(raw_request(**over), account=None, now=NOW).draft
    # 1–20 December, local days of the marketplace (what validation stores since issue 17).
    dates = {"start": start_of_day(date(2026, 12, 1), marketplace), "end": end_of_day(date(2026, 12, 20), marketplace)}
    return Promotion(
        **d.model_dump() | {"account_id": "acme", "marketplace": marketplace, **dates},
        id="p1",
        status=PromoStatus.APPROVED,
        requester="U1",
        created_at=NOW,
    )


def test_handoff_lists_exact_values_in_form_order():
    gw = SellerCentralHandoff()
    assert isinstance(gw, PromotionGateway)
    h = gw.submit(promo(asins=["B0ABCDEFGH", "SKU-1"], percent_off="25", one_per_customer="yes", note="Dec creators"))
    values = {f.label: f.value for f in h.fields}
    assert next(f.label for f in h.fields) == "Products (ASINs or SKUs)"
    assert values["Products (ASINs or SKUs)"] == "B0ABCDEFGH, SKU-1"
    assert values["Percentage off"] == "25"
    assert values["Promo code"] == "SUMMERSALE"
    assert values["One redemption per customer"] == "Yes"
    assert values["Share with Amazon Influencers and Associates"].startswith("Yes")
    # Seller Central takes the marketplace's local dates and times: the plan's own days, not UTC's.
    assert (values["Start date"], values["Start time"]) == ("12/01/2026", "12:00 AM PST")
    assert (values["End date"], values["End time"]) == ("12/20/2026", "11:59 PM PST")
    assert "America/Los_Angeles" in h.steps[1] and "UTC" not in " ".join(h.steps)
    assert h.deep_link == "https://sellercentral.amazon.com/promotions/new"
    rendered = handoff_message(h, promo())
    confirm_ids = [e["action_id"] for b in rendered["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert confirm_ids == [ACTION_IDS[Action.CONFIRM_CREATED]] == ["promo_mark_created"] and h.requires_confirmation
    assert any("cannot be changed" in w for w in h.warnings)
    assert gw.confirm_created(promo(), "U2", " 1691 3551269 ").external_id == "16913551269"


def test_uk_handoff_in_london_time():
    h = SellerCentralHandoff().submit(promo("UK"))
    values = {f.label: f.value for f in h.fields}
    assert (values["Start date"], values["Start time"], values["End time"]) == (
        "12/01/2026",
        "12:00 AM GMT",
        "11:59 PM GMT",
    )
    assert h.deep_link == "https://sellercentral.amazon.co.uk/promotions/new"


@pytest.mark.parametrize(
    "raw, needle",
    [
        ("", "Enter the promotion ID"),
        (None, "Enter the promotion ID"),
        ("SUMMERSALE", "That is the promo code"),
        ("AMZ-9", "a number like 16913551269"),
        ("https://sellercentral.amazon.com/promotions/16913551269", "a number like"),
        ("12345", "a number like"),
    ],
)
def test_promotion_id_format_is_checked(raw, needle):
    assert check_promotion_id("16913551269", "SUMMERSALE") == ("16913551269", "")
    pid, problem = check_promotion_id(raw, "SUMMERSALE")
    assert pid is None and needle in problem
    ack = SellerCentralHandoff().confirm_created(promo(), "U2", raw)
    assert not ack.ok and needle in ack.message


def test_deep_link_per_marketplace():
    assert seller_central_link("CA") == "https://sellercentral.amazon.ca/promotions/new"
    assert seller_central_link("uk").startswith("https://sellercentral.amazon.co.uk/")
    assert seller_central_link("DE").startswith("https://sellercentral.amazon.de/")
    assert seller_central_link("JP").startswith("https://sellercentral.amazon.co.jp/")
