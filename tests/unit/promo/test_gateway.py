from __future__ import annotations

from bot.views.promo import ACTION_IDS, handoff_message
from handlers.promo.gateway import PromotionGateway, SellerCentralHandoff, seller_central_link
from handlers.promo.lifecycle import Action
from handlers.promo.models import PromoStatus, Promotion
from handlers.promo.validation import validate
from tests.support.promo import NOW, raw_request


def promo(**over) -> Promotion:
    d = validate(raw_request(**over), account=None, now=NOW).draft
    return Promotion(
        **d.model_dump() | {"account_id": "acme"}, id="p1", status=PromoStatus.APPROVED, requester="U1", created_at=NOW
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
    assert values["Start date"] == "12/01/2026 12:00 AM UTC" and values["End date"] == "12/20/2026 11:59 PM UTC"
    assert h.deep_link == "https://sellercentral.amazon.com/promotions/new"
    rendered = handoff_message(h, promo())
    confirm_ids = [e["action_id"] for b in rendered["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert confirm_ids == [ACTION_IDS[Action.CONFIRM_CREATED]] == ["promo_mark_created"] and h.requires_confirmation
    assert any("cannot be changed" in w for w in h.warnings)
    assert gw.confirm_created(promo(), "U2", "AMZ-9").external_id == "AMZ-9"


def test_deep_link_per_marketplace():
    assert seller_central_link("CA") == "https://sellercentral.amazon.ca/promotions/new"
    assert seller_central_link("uk").startswith("https://sellercentral.amazon.co.uk/")
    assert seller_central_link("DE").startswith("https://sellercentral.amazon.de/")
    assert seller_central_link("JP").startswith("https://sellercentral.amazon.co.jp/")
