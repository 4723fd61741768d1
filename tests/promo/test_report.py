from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from handlers.promo.chart import daily_orders_png
from handlers.promo.report import ReportRejected, parse_report

DATA = Path(__file__).parent / "data"
US = (DATA / "promo_report_us.csv").read_bytes()


def test_reference_file_totals():
    r = parse_report(US, code="summersale")
    assert (r.orders, r.units, r.revenue, r.discount_cost) == (4, 8, 1148.0, 29.6)
    assert (r.referred_orders, r.referred_revenue, r.referred_share_orders) == (2, 1061.0, 0.5)
    assert [(d.date, d.orders_referred, d.orders_not_referred, d.revenue) for d in r.daily] == [
        (date(2026, 12, 1), 1, 1, 75.0), (date(2026, 12, 2), 0, 1, 37.0), (date(2026, 12, 3), 1, 0, 1036.0),
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
    r = parse_report((DATA / "promo_report_de_cp1252_semicolon.csv").read_bytes())
    assert r.encoding == "cp1252" and r.delimiter == ";"
    assert (r.orders, r.units, r.revenue, r.discount_cost, r.referred_orders) == (2, 3, 49.0, 9.8, 1)
    assert r.columns["order_id"] == "Amazon Order ID" and r.columns["item_price"] == "Price"
    assert r.daily[0].date == date(2026, 12, 1)


def test_tab_utf16_reordered_columns():
    r = parse_report((DATA / "promo_report_utf16.tsv").read_bytes(), code="SPRINGSALE")
    assert r.delimiter == "tab" and (r.orders, r.revenue, r.referred_share_revenue) == (2, 30.0, 0.3333)


def test_missing_columns_rejected_with_names():
    text = "Order ID,Purchase Date,Product Name\n1,2026-12-01,x\n"
    with pytest.raises(ReportRejected) as exc:
        parse_report(text.encode())
    assert "Quantity" in exc.value.reason and "Item Price" in exc.value.reason
    with pytest.raises(ReportRejected, match="Purchase Date"):
        parse_report(b"Order ID,Quantity,Item Price\n1,1,2.00\n")


def test_garbage_rows_reported_and_skipped():
    text = US.decode() + "111-9,not a date,,Mug,B0ZZZZZZZ1,1,12.00,-1,SUMMERSALE,N\n111-8,2026-12-04,,Mug,B0ZZZZZZZ1,one,12.00,-1,SUMMERSALE,N\nshort,row\n"
    r = parse_report(text.encode(), code="SUMMERSALE")
    assert r.orders == 4
    assert [e.line for e in r.row_errors] == [8, 9, 10]
    assert "date" in r.row_errors[0].reason and "quantity" in r.row_errors[1].reason


def test_no_referral_column_gives_no_share():
    r = parse_report(b"Order ID;Purchase Date;Quantity;Item Price\nA;2026-12-01;1;10,50\n")
    assert r.referred_share_orders is None and r.revenue == 10.5 and r.daily[0].orders_not_referred == 1


@pytest.mark.parametrize("payload, needle", [(b"", "empty"), (b"just one column\nx\n", "single column"),
                                              (b"Order ID,Purchase Date,Quantity,Item Price\n1,bad,1,1\n", "no usable")])
def test_unusable_files_rejected(payload, needle):
    with pytest.raises(ReportRejected, match=needle):
        parse_report(payload)


def test_unknown_code_rejected():
    with pytest.raises(ReportRejected, match="NOSUCHCODE"):
        parse_report(US, code="NOSUCHCODE")


def test_chart_is_png():
    png = daily_orders_png(parse_report(US))
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 1000
