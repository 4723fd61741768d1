from __future__ import annotations

from datetime import timedelta

from handlers.health.service import check_account, trend_chart
from tests.support.health import NOW, encode, healthy_report

PNG = b"\x89PNG\r\n\x1a\n"


def test_trend_chart_png_from_snapshots(account, store):
    us = account.marketplace("US")
    for day in range(0, 90, 10):
        check_account(
            encode(healthy_report(orderDefectRate=0.001 * (day / 10 + 1), validTrackingRate=0.99 - day / 3000)),
            account,
            us,
            store,
            NOW - timedelta(days=90 - day),
        )
    png = trend_chart(store, "acme", "US", now=NOW)
    assert png.startswith(PNG) and len(png) > 10_000


def test_empty_history_still_gives_a_png(store):
    assert trend_chart(store, "acme", "US", now=NOW).startswith(PNG)
