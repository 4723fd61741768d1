"""The affiliate views (bot/views/affiliates.py) from hand-built models: what they say, what they never say,
escaping, and Slack's limits (checked with the fake Slack's own refusal rules)."""

from __future__ import annotations

import json
from decimal import Decimal

from bot.local.textview import blocks_to_text
from bot.views import affiliates as view
from bot.views import kit
from handlers.affiliates.models import AffiliatesUnavailable, HaloFigures, TagLink
from infra.fakes.slack_api import message_errors
from tests.unit.affiliates_slack.support import digest, report, row


def _text(msg: dict) -> str:
    return blocks_to_text(msg["blocks"])


def _accepted(msg: dict) -> None:
    assert message_errors({"channel": "C1", **msg}) == []
    assert len(msg["blocks"]) <= kit.MAX_BLOCKS
    assert sum(len(s.get("text") or "") for s in kit._text_slots(msg["blocks"])) <= kit.BLOCK_TEXT_BUDGET


def test_report_shows_funnel_sales_brb_totals_and_period_in_the_marketplace_zone():
    msg = view.report_message(report())
    text = _text(msg)
    assert "*Google Ads*: 30 clicks · 30 detail-page views · 5 add-to-carts · 3 purchases · 4 units" in text
    assert "sales 191.96 USD · est. BRB 14.28 USD" in text
    assert "2026-11-06 to 2026-12-05 (30 days, America/Los_Angeles days)" in text
    assert "*Sales* 211.96 USD" in text and "*Estimated BRB* 16.28 USD" in text
    assert "*Brand halo sales* 12.50 USD" in text
    _accepted(msg)


def test_masked_rows_are_never_zero_sales():
    text = _text(view.report_message(report()))
    line = next(ln for ln in text.splitlines() if "Blogpost - Other" in ln)
    assert "below Amazon's 10-click threshold" in line and "not zero" in line
    assert "0 sales" not in text and "sales 0.00" not in text
    assert "1 row is below Amazon's 10-click threshold" in text


def test_caveats_in_plain_words():
    text = _text(view.report_message(report()))
    assert "Days from 2026-12-04 on are incomplete" in text
    assert "Estimated BRB is Amazon's estimate" in text and "two months" in text
    assert "brand halo" in text.lower() and "promoted products" in text


def test_without_brb_the_view_says_none_and_never_shows_a_zero_estimate():
    r = report([row("Google Ads", brb=None)], brb=False)
    text = _text(view.report_message(r))
    assert "est. BRB" not in text and "none from Amazon" in text and "No BRB estimate" in text


def test_the_domain_s_notes_replace_the_field_caveats_and_are_escaped():
    r = report(notes=["<!channel> restated & more", "Amazon Attribution has no promo-code data."])
    msg = view.report_message(r)
    joined = json.dumps(msg["blocks"])
    assert "<!channel>" not in joined and "&lt;!channel&gt; restated &amp; more" in joined
    assert "brand halo (the brand" not in joined  # no second wording of the same caveats
    assert "days from 2026-12-04 still incomplete" in joined  # the date stays in the period line


def test_a_halo_of_zeros_is_not_shown():
    r = report([row("Google Ads", halo=HaloFigures(detail_page_views=0, purchases=0, units=0, sales=Decimal(0)))])
    assert "brand halo:" not in _text(view.report_message(r))


def test_amazon_text_is_escaped_everywhere():
    evil = "<!channel> <https://evil|click> & co"
    r = report([row(evil, tag="<@U1>")], account_id="acme")
    for msg in (view.report_message(r, by_tag=True), view.digest_message(digest())):
        _accepted(msg)
    joined = json.dumps(view.report_message(r, by_tag=True))
    assert "<!channel>" not in joined and "<@U1>" not in joined and "<https://evil" not in joined
    panel = json.dumps(view.promo_panel(r))
    assert "<!channel>" not in panel


def test_two_hundred_publishers_stay_inside_slacks_limits_and_say_how_many_more():
    pubs = [row(f"Publisher {'Ü' * 80} {i}", f"{1000 - i}.00", tag=f"{i:012d}") for i in range(200)]
    msg = view.report_message(report(pubs), by_tag=True)
    _accepted(msg)
    assert "more not shown" in _text(msg)


def test_unavailable_says_what_to_do():
    msg = view.unavailable(
        AffiliatesUnavailable(reason="no_credentials", message="Add Amazon Ads credentials <here> first.")
    )
    assert "Add Amazon Ads credentials &lt;here&gt; first." in msg["blocks"][0]["text"]["text"]


def test_tags_give_copy_ready_links_and_hide_broken_aa_values():
    good = TagLink(
        publisher="Google Ads",
        publisher_id="1",
        asin="B0TEST0001",
        url="https://www.amazon.com/dp/B0TEST0001?maas=maas_adg_api_1_macro_1_99&ref_=aa_maas&tag=maas"
        "&aa_campaignid={campaignid}&aa_adgroupid={adgroupid}",
        macro=True,
    )
    bad = TagLink(
        publisher="Blog",
        publisher_id="9",
        url="https://www.amazon.com/dp/B0TEST0001?maas=x&aa_campaignid=a%2Fb&aa_adgroupid=" + "x" * 300,
        macro=False,
    )
    msg = view.tags_message([good, bad], "acme", "US", None)
    _accepted(msg)
    text = _text(msg)
    assert "https://www.amazon.com/dp/B0TEST0001?maas=maas_adg_api_1_macro_1_99&ref_=aa_maas&tag=maas" in text
    assert "macro tag" in text
    blog = next(ln for ln in text.splitlines() if ln.startswith("*Blog*"))
    assert "not shown" in blog and "aa_campaignid contains /" in blog and "longer than 255" in blog
    assert "a%2Fb" not in text


def test_aa_rules():
    assert view.aa_problems("?aa_campaignid=summer_2026&aa_adgroupid={adgroupid}") == []
    assert view.aa_problems("?aa_campaignid=a$b") == ["aa_campaignid contains $"]
    assert view.aa_problems("?aa_campaignid=50%25") == ["aa_campaignid contains %"]


def test_no_tags_points_to_the_full_list():
    assert "/affiliates tags" in view.tags_message([], "acme", "US", "Zed")["text"]


def test_promo_panel_is_a_separate_statistic_with_the_no_join_line():
    text = blocks_to_text(view.promo_panel(report()))
    assert "a separate statistic" in text
    assert "never joins affiliate rows to promo codes" in text
    assert "211.96 USD" in text and "2026-11-06 to 2026-12-05" in text
    unavailable = AffiliatesUnavailable(reason="marketplace_not_supported", message="Attribution is not in JP.")
    text = blocks_to_text(view.promo_panel(unavailable))
    assert "Attribution is not in JP." in text and "never joins" in text


def test_promo_panel_json_amounts_to_the_cent_and_never_joined():
    out = view.promo_panel_json(report())
    assert out["available"] is True and out["joined_to_promo_codes"] is False
    assert out["totals"]["sales"] == "211.96" and out["totals"]["brb_estimate"] == "16.28"
    assert out["from"] == "2026-11-06" and out["masked_rows"] == 1
    none = view.promo_panel_json(AffiliatesUnavailable(reason="no_credentials", message="Set up Ads."))
    assert none == {
        "available": False,
        "reason": "no_credentials",
        "message": "Set up Ads.",
        "joined_to_promo_codes": False,
    }
    json.dumps(out)


def test_digest_shows_top_publishers_change_and_brb():
    msg = view.digest_message(digest("100.00"))
    _accepted(msg)
    text = _text(msg)
    assert "Sales 211.96 USD (+112.0% vs last week)" in text
    assert "Estimated BRB 16.28 USD" in text and "Google Ads" in text
    assert msg["response_type"] == "in_channel"
    assert "no comparison" in _text(view.digest_message(digest(None)))
    assert "restated" in _text(view.digest_message(digest(), restated=True))


def test_money_rounds_half_even_to_the_cent_from_decimals():
    assert view.money(Decimal("14.280000000000001"), "USD") == "14.28 USD"
    assert view.money(Decimal("1234567.5"), "EUR") == "1,234,567.50 EUR"
    assert view.money(None, "USD") == "–"
