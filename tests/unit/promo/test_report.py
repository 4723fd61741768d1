from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from handlers.promo.chart import daily_orders_png
from handlers.promo.report import CodeNotFound, ReportRejected, coverage, parse_report
from tests.support.promo import PROMO_DATA

US = (PROMO_DATA / "promo_report_us.csv").read_bytes()


def test_reference_file_totals():
    r = parse_report(US, code="summersale")
    assert (r.orders, r.units, r.revenue, r.discount_cost) == (4, 8, 1148.0, 29.6)
    assert (r.referred_orders, r.referred_revenue, r.referred_share_orders) == (2, 1061.0, 0.5)
    assert [(d.date, d.orders_referred, d.orders_not_referred, d.revenue) for d in r.daily] == [
        (date(2026, 12, 1), 1, 1, 75.0),
        (date(2026, 12, 2), 0, 1, 37.0),
        (date(2026, 12, 3), 1, 0, 1036.0),
    ]
    assert parse_report(US).orders == 5  # no code filter: every row


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
        lambda t: t.encode("utf-16"),
        lambda t: t.encode("utf-16-le"),
        lambda t: t.replace("Trail", "Trinkflasche Größe").encode("cp1252"),
        lambda t: t.replace("\n", "\r\n").encode("latin-1"),
    ],
    ids=["utf8-bom", "utf16-bom", "utf16le-nobom", "cp1252", "crlf-latin1"],
)
def test_encodings_give_same_totals(encode):
    r = parse_report(encode(US.decode("utf-8")), code="SUMMERSALE")
    assert (r.orders, r.units, r.revenue, r.referred_orders) == (4, 8, 1148.0, 2)


def test_semicolon_cp1252_decimal_comma_renamed_columns():
    r = parse_report((PROMO_DATA / "promo_report_de_cp1252_semicolon.csv").read_bytes())
    assert r.encoding == "cp1252" and r.delimiter == ";"
    assert (r.orders, r.units, r.revenue, r.discount_cost, r.referred_orders) == (2, 3, 49.0, 9.8, 1)
    assert r.columns["order_id"] == "Amazon Order ID" and r.columns["item_price"] == "Price"
    assert r.daily[0].date == date(2026, 12, 1)


def test_tab_utf16_reordered_columns():
    r = parse_report((PROMO_DATA / "promo_report_utf16.tsv").read_bytes(), code="SPRINGSALE")
    assert r.delimiter == "tab" and (r.orders, r.revenue, r.referred_share_revenue) == (2, 30.0, 0.3333)


def test_missing_columns_rejected_with_names():
    text = "Order ID,Purchase Date,Product Name\n1,2026-12-01,x\n"
    with pytest.raises(ReportRejected) as exc:
        parse_report(text.encode())
    assert "Quantity" in exc.value.reason and "Item Price" in exc.value.reason
    with pytest.raises(ReportRejected, match="Purchase Date"):
        parse_report(b"Order ID,Quantity,Item Price\n1,1,2.00\n")


def test_garbage_rows_reported_and_skipped():
    text = (
        US.decode()
        + "111-9,not a date,,Mug,B0ZZZZZZZ1,1,12.00,-1,SUMMERSALE,N\n111-8,2026-12-04,,Mug,B0ZZZZZZZ1,one,12.00,-1,SUMMERSALE,N\nshort,row\n"
    )
    r = parse_report(text.encode(), code="SUMMERSALE")
    assert r.orders == 4
    assert [e.line for e in r.row_errors] == [8, 9, 10]
    assert "date" in r.row_errors[0].reason and "quantity" in r.row_errors[1].reason


def test_no_referral_column_gives_no_share():
    r = parse_report(b"Order ID;Purchase Date;Quantity;Item Price\nA;2026-12-01;1;10,50\n")
    assert r.referred_share_orders is None and r.revenue == 10.5 and r.daily[0].orders_not_referred == 1


@pytest.mark.parametrize(
    "payload, needle",
    [
        (b"", "empty"),
        (b"just one column\nx\n", "single column"),
        (b"Order ID,Purchase Date,Quantity,Item Price\n1,bad,1,1\n", "no usable"),
    ],
)
def test_unusable_files_rejected(payload, needle):
    with pytest.raises(ReportRejected, match=needle):
        parse_report(payload)


def test_unknown_code_rejected():
    with pytest.raises(ReportRejected, match="NOSUCHCODE"):
        parse_report(US, code="NOSUCHCODE")


def test_chart_is_png():
    png = daily_orders_png(parse_report(US))
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 1000


# ---- Amazon's All Orders report (GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL) ----------------
# Header: Amazon's column list for that report type, see tests/support/data/promo/README.md for the source address.
ALL_ORDERS = (PROMO_DATA / "all_orders_report_us.txt").read_bytes()


def _all_orders_rows() -> tuple[list[str], list[dict[str, str]]]:
    lines = ALL_ORDERS.decode().splitlines()
    header = lines[0].split("\t")
    return header, [dict(zip(header, line.split("\t"), strict=False)) for line in lines[1:]]


def _as_tsv(header: list[str], rows: list[dict[str, str]]) -> bytes:
    return ("\n".join(["\t".join(header)] + ["\t".join(r.get(h, "") for h in header) for r in rows]) + "\n").encode()


def test_all_orders_code_filters_on_promotion_ids():
    r = parse_report(ALL_ORDERS, code="summer26")
    assert r.columns["promo_code"] == "promotion-ids" and r.columns["order_id"] == "amazon-order-id"
    assert r.columns["discount"] == "item-promotion-discount" and r.delimiter == "tab"
    # 114-9037715 (first of two ids), 111-2281940 (two item rows), 113-0194477 (code inside a description);
    # not the cancelled 112-6650213, not SUMMER2600, not the orders without the code.
    assert (r.code, r.orders, r.units, r.revenue, r.discount_cost) == ("SUMMER26", 3, 7, 123.0, 24.6)
    assert [(d.date, d.orders_not_referred, d.revenue) for d in r.daily] == [
        (date(2026, 12, 1), 2, 87.0),
        (date(2026, 12, 2), 1, 36.0),
    ]
    assert r.referred_share_orders is None and r.row_errors == []  # All Orders has no referral column


def test_all_orders_code_matching_follows_amazon_folding():
    # Amazon stores claim codes with 0→O and 1→I: the Pending order's WINTERIO is WINTER10.
    assert parse_report(ALL_ORDERS, code="WINTER10").orders == 1
    assert parse_report(ALL_ORDERS, code="winterio").orders == 1


def test_all_orders_without_code_counts_every_order_but_cancelled():
    r = parse_report(ALL_ORDERS)
    assert (r.orders, r.units, r.revenue, r.row_errors) == (7, 11, 210.0, [])


@pytest.mark.parametrize("code", ["NOSUCH26", "SUMMER2", "SUMMER260"])
def test_all_orders_unknown_code_names_code_and_date_range(code):
    with pytest.raises(CodeNotFound) as exc:
        parse_report(ALL_ORDERS, code=code)
    e = exc.value
    assert (e.code, e.first, e.last) == (code, date(2026, 11, 28), date(2026, 12, 4))
    assert code in e.reason and "promotion-ids" in e.reason and "2026-11-28 to 2026-12-04" in e.reason
    assert "Check the code's spelling" in e.reason and "download the report again" in e.reason
    assert isinstance(e, ReportRejected)  # callers that catch ReportRejected keep working


def test_code_only_on_cancelled_orders_is_not_a_sale():
    header, rows = _all_orders_rows()
    for r in rows:
        if r["order-status"] == "Cancelled":
            r["promotion-ids"] = "AUTUMN26"
    with pytest.raises(CodeNotFound, match="AUTUMN26 appears in column promotion-ids only on cancelled orders"):
        parse_report(_as_tsv(header, rows), code="AUTUMN26")


def test_all_orders_other_column_layout():
    # The layout typed by the amazon-sp-api npm client (download.ts GeneralFlatFileAllOrdersDataByOrderDate):
    # number-of-items, tax-collection-*, address-type, no cpf.
    other = [
        "amazon-order-id",
        "merchant-order-id",
        "purchase-date",
        "last-updated-date",
        "order-status",
        "fulfillment-channel",
        "sales-channel",
        "order-channel",
        "ship-service-level",
        "product-name",
        "sku",
        "asin",
        "number-of-items",
        "item-status",
        "tax-collection-model",
        "tax-collection-responsible-party",
        "quantity",
        "currency",
        "item-price",
        "item-tax",
        "shipping-price",
        "shipping-tax",
        "gift-wrap-price",
        "gift-wrap-tax",
        "item-promotion-discount",
        "ship-promotion-discount",
        "address-type",
        "ship-city",
        "ship-state",
        "ship-postal-code",
        "ship-country",
        "promotion-ids",
        "is-business-order",
        "purchase-order-number",
        "price-designation",
    ]
    _, rows = _all_orders_rows()
    r = parse_report(_as_tsv(other, rows), code="SUMMER26")
    assert (r.orders, r.units, r.revenue, r.discount_cost) == (3, 7, 123.0, 24.6)


def test_per_code_report_unknown_code_gives_its_date_range():
    with pytest.raises(
        CodeNotFound,
        match=r"NOSUCHCODE in column Promo Code\. The file covers 6 order row\(s\), "
        r"purchase dates 2026-12-01 to 2026-12-03",
    ):
        parse_report(US, code="NOSUCHCODE")


def test_code_without_a_code_column():
    # Neither a promo-code column nor the per-code report's referral column: the code's rows cannot be picked out.
    with pytest.raises(
        ReportRejected, match="no promotion-ids or Promo Code column, so the orders that used X1 cannot"
    ):
        parse_report(b"Order ID;Purchase Date;Quantity;Item Price\nA;2026-12-01;1;10,50\n", code="X1")
    # Amazon's per-code report (referral column, one code per file) still reads whole.
    per_code = b"Order ID,Purchase Date,Quantity,Item Price,Referred by Associate/Influencer\nA,2026-12-01,1,10.00,Y\n"
    r = parse_report(per_code, code="SUMMER26")
    assert (r.code, r.orders, r.referred_share_orders) == ("SUMMER26", 1, 1.0) and "promo_code" not in r.columns


# ---- issue 17: currency and coverage ------------------------------------------------------------------
ALL_ORDERS = (PROMO_DATA / "all_orders_report_us.txt").read_bytes()
DE = (PROMO_DATA / "promo_report_de_cp1252_semicolon.csv").read_bytes()


def test_currency_comes_from_the_reports_currency_column():
    r = parse_report(ALL_ORDERS, code="SUMMER26", marketplace="UK")
    assert (r.currency, r.currency_source) == ("USD", "report")  # the file's own word beats the marketplace


@pytest.mark.parametrize(
    ("price", "marketplace", "currency"),
    [("€25,00", None, "EUR"), ("£25.00", "US", "GBP"), ("25.00 EUR", None, "EUR"), ("$25.00", "CA", "CAD")],
)
def test_currency_comes_from_a_symbol_in_the_money_cells(price, marketplace, currency):
    raw = f'Order ID,Purchase Date,Quantity,Item Price\nA,2026-12-01,1,"{price}"\n'
    r = parse_report(raw, marketplace=marketplace)
    assert (r.currency, r.currency_source) == (currency, "report")


def test_currency_falls_back_to_the_marketplace_and_else_is_unknown():
    r = parse_report(DE, code="WINTERSALE", marketplace="DE")
    assert (r.currency, r.currency_source) == ("EUR", "marketplace")
    r = parse_report(DE, code="WINTERSALE")
    assert (r.currency, r.currency_source) == (None, None)


def test_a_file_mixing_currencies_is_refused_rather_than_summed():
    raw = "Order ID,Purchase Date,Quantity,Item Price,Currency\nA,2026-12-01,1,10.00,EUR\nB,2026-12-01,1,10.00,GBP\n"
    with pytest.raises(ReportRejected, match=r"several currencies \(EUR, GBP\)"):
        parse_report(raw)


def test_the_reports_days_are_the_marketplaces_local_days():
    raw = (
        "Order ID,Purchase Date,Quantity,Item Price\nA,2026-12-01T05:00:00+00:00,1,10.00\nB,2026-12-03T12:00:00Z,1,5\n"
    )
    r = parse_report(raw, marketplace="US")  # 05:00 UTC is 21:00 the day before in Los Angeles
    assert (r.first_day, r.last_day) == (date(2026, 11, 30), date(2026, 12, 3))
    assert [d.date for d in r.daily] == [date(2026, 11, 30), date(2026, 12, 3)]
    assert parse_report(raw).first_day == date(2026, 12, 1)  # no marketplace: the day as written


def test_first_and_last_day_span_every_row_of_the_file_not_only_the_codes():
    r = parse_report(ALL_ORDERS, code="SUMMER26")
    assert (r.first_day, r.last_day) == (date(2026, 11, 28), date(2026, 12, 4))


def test_coverage_names_the_missing_days():
    r = parse_report(US, code="SUMMERSALE")  # 2026-12-01 .. 2026-12-03
    full = coverage(r, date(2026, 12, 1), date(2026, 12, 3))
    assert full.covered and full.missing == []
    gap = coverage(r, date(2026, 11, 28), date(2026, 12, 10))
    assert not gap.covered
    assert gap.missing == [(date(2026, 11, 28), date(2026, 11, 30)), (date(2026, 12, 4), date(2026, 12, 10))]


def test_referred_units_and_share():
    r = parse_report(US, code="SUMMERSALE")
    assert (r.referred_units, r.units, r.referred_share_units) == (4, 8, 0.5)
    assert parse_report(ALL_ORDERS, code="SUMMER26").referred_share_units is None  # no referral column


def test_coverage_sentence_says_what_is_missing_and_what_to_download():
    r = parse_report(US, code="SUMMERSALE")
    text = coverage(r, date(2026, 11, 28), date(2026, 12, 10)).sentence("SUMMERSALE", "US")
    assert text.startswith("The report covers 2026-12-01 to 2026-12-03, but SUMMERSALE runs 2026-11-28 to 2026-12-10")
    assert "leave out 2026-11-28 to 2026-11-30 and 2026-12-04 to 2026-12-10" in text
    assert "Download the report again in Seller Central for 2026-11-28 to 2026-12-10" in text
