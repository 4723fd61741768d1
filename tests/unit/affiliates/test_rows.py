"""Summing Attribution rows: decimals to the cent, masked rows never zero, BRB null when absent, halo apart."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handlers.affiliates.rows import NotAttributionReport, is_masked, money, rows_of, summarise
from handlers.affiliates.tags import aa_problems, product_link


def row(
    publisher: str, sales: Any, *, clicks: Any = "30", brb: Any = None, ad_group: str = "1", **extra: Any
) -> dict[str, Any]:
    r = {
        "date": "20261101",
        "campaignId": "9",
        "adGroupId": ad_group,
        "publisher": publisher,
        "advertiserName": "Acme",
        "Click-throughs": clicks,
        "attributedDetailPageViewsClicks14d": "20",
        "attributedAddToCartClicks14d": "5",
        "attributedPurchases14d": "3",
        "unitsSold14d": "4",
        "attributedSales14d": sales,
        **extra,
    }
    if brb is not None:
        r["brb_bonus_amount"] = brb
    return r


def test_float_noise_is_rounded_to_the_cent_and_summed_as_decimal() -> None:
    s = summarise(
        [
            row("Google Ads", "191.95999999999998", brb="14.280000000000001"),
            row("Google Ads", 0.1),
            row("Google Ads", "0.2"),
        ]
    )
    google = s.publishers[0]
    assert google.sales == Decimal("192.26") and google.brb_estimate == Decimal("14.28")
    assert s.totals.sales == Decimal("192.26") and s.totals.clicks == 90 and s.totals.units == 12


@given(st.lists(st.integers(min_value=0, max_value=10_000_000), min_size=1, max_size=60))
def test_totals_match_amazons_rows_to_the_cent(cents: list[int]) -> None:
    # Amazon's rows: float amounts with noise; each row is worth its cents, the totals their exact sum.
    rows = [row(f"P{i % 7}", repr(c / 100 * (1 + 2**-52))) for i, c in enumerate(cents)]
    s = summarise(rows)
    assert s.totals.sales == Decimal(sum(cents)) / 100
    assert sum((p.sales or Decimal(0)) for p in s.publishers) == s.totals.sales


def test_masked_rows_are_unknown_never_zero_sales() -> None:
    masked = row("Blogpost - Other", "0", clicks="0", brb="0") | {
        "attributedDetailPageViewsClicks14d": "0",
        "attributedAddToCartClicks14d": "0",
        "attributedPurchases14d": "0",
        "unitsSold14d": "0",
    }
    assert is_masked(masked) and not is_masked(row("x", "1.00"))
    s = summarise([row("Google Ads", "10.00", brb="1.00"), masked])
    blog = s.publishers[-1]
    assert blog.masked and blog.sales is None and blog.clicks is None and blog.brb_estimate is None
    assert s.masked_rows == 1 and s.totals.sales == Decimal("10.00") and not s.totals.masked


def test_every_row_masked_makes_the_totals_unknown() -> None:
    masked = {"date": "20261101", "publisher": "X", "adGroupId": "1", "Click-throughs": 0, "attributedSales14d": 0}
    s = summarise([masked])
    assert s.totals.masked and s.totals.sales is None


def test_brb_is_null_when_no_row_carries_it() -> None:
    s = summarise([row("Google Ads", "5.00")])
    assert not s.brb_present and s.publishers[0].brb_estimate is None and s.totals.brb_estimate is None


def test_order_is_sales_desc_masked_last_and_per_tag_on_request() -> None:
    rows = [row("A", "1.00", ad_group="1"), row("B", "9.00", ad_group="2"), row("A", "20.00", ad_group="3")]
    assert [p.publisher for p in summarise(rows).publishers] == ["A", "B"]
    per_tag = summarise(rows, by_tag=True).publishers
    assert [(p.publisher, p.tag, p.sales) for p in per_tag] == [
        ("A", "3", Decimal("20.00")),
        ("B", "2", Decimal("9.00")),
        ("A", "1", Decimal("1.00")),
    ]


def test_halo_is_total_minus_promoted() -> None:
    r = row(
        "A",
        "100.00",
        attributedTotalPurchases14d="5",
        totalUnitsSold14d="6",
        totalAttributedSales14d="130.5",
        attributedTotalDetailPageViewsClicks14d="24",
        attributedTotalAddToCartClicks14d="6",
    )
    halo = summarise([r]).publishers[0].halo
    assert halo is not None
    assert (halo.purchases, halo.units, halo.sales, halo.detail_page_views, halo.add_to_carts) == (
        2,
        2,
        Decimal("30.50"),
        4,
        1,
    )
    assert summarise([row("A", "1")]).publishers[0].halo is None


def test_numbers_and_strings_both_read() -> None:
    assert money(191.95999999999998) == money("191.95999999999998") == Decimal("191.96")
    assert summarise([row("A", 3, clicks=12)]).totals.clicks == 12


@pytest.mark.parametrize(
    "document",
    [
        {},
        [],
        {"reports": "x"},
        {"reports": [{"foo": 1}]},
        [{"reports": []}, "page"],
        {"orders": []},
        {"reports": [{"date": "20261101", "unknownMetric": "1"}]},
    ],
)
def test_not_an_attribution_report(document: Any) -> None:
    with pytest.raises(NotAttributionReport):
        rows_of(document)


def test_one_page_or_a_list_of_pages() -> None:
    page = {"reports": [row("A", "1")], "size": 1, "cursorId": "x"}
    assert len(rows_of(page)) == 1 and len(rows_of([page, page])) == 2 and rows_of({"reports": []}) == []


def test_aa_rules() -> None:
    good = "?maas=maas_adg_api_1_static_9_99&ref_=aa_maas&tag=maas&aa_campaignid={insertCampaignId}&aa_adgroupid=x"
    assert aa_problems(good) == []
    assert aa_problems("?aa_campaignid=a/b") == ["aa_campaignid contains /"]
    assert aa_problems("?aa_campaignid=a%2Fb") == ["aa_campaignid contains %"]
    assert aa_problems("?aa_adgroupid=" + "x" * 256) == ["aa_adgroupid is longer than 255 characters"]
    assert aa_problems("?aa_creativeid=a+b$") == ["aa_creativeid contains $ +"]
    assert product_link("www.amazon.com", "B0ABCDEFGH", good).startswith("https://www.amazon.com/dp/B0ABCDEFGH?maas=")
    assert product_link("www.amazon.de", None, good) == good
