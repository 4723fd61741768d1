"""Bounds where data comes in (issue 14 item 3): decompression, downloads, request bodies, chart points, CSV rows.

Each test feeds more than the bound allows and checks the clear refusal (or the capped data handed on),
never timings.
"""

from __future__ import annotations

import gzip
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from unittest.mock import Mock

import httpx
import pytest

from bot.gate import RequestGate
from bot.local.signed_requests import headers_for, slash_body
from handlers.health import report as health_report
from handlers.health import spapi_adapter
from handlers.health.evaluate import MetricValue
from handlers.health.report import ReportUnreadable, parse_report
from handlers.health.snapshots import Snapshot
from handlers.promo import report as promo_report
from handlers.promo.report import ReportRejected

SECRET = "bounds-test-signing-secret"


@pytest.fixture(scope="module")
def gzip_bomb() -> bytes:
    bomb = gzip.compress(b"\0" * (60 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < 100 * 1024  # ~60 KB on the wire, 60 MB in memory
    return bomb


# 1. decompression -----------------------------------------------------------------------------------------------


def test_gzip_bomb_is_refused_with_the_reason(gzip_bomb: bytes) -> None:
    with pytest.raises(ReportUnreadable) as err:
        parse_report(gzip_bomb)
    assert "expands" in err.value.reason


def test_gzip_bomb_is_refused_without_allocating_it(gzip_bomb: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(health_report, "MAX_DECOMPRESSED_BYTES", 1024 * 1024, raising=False)
    monkeypatch.setattr(health_report, "MAX_COMPRESSION_RATIO", 10**9, raising=False)  # the size bound alone
    tracemalloc.start()
    try:
        with pytest.raises(ReportUnreadable) as err:
            parse_report(gzip_bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "expands past 1 MB" in err.value.reason
    assert peak < 16 * 1024 * 1024  # far below the 60 MB the bomb expands to


def test_a_normal_gzip_report_still_parses() -> None:
    doc = b'{"accountStatuses": [], "performanceMetrics": [{"marketplaceId": "ATVPDKIKX0DER"}]}'
    assert parse_report(gzip.compress(doc)).model_dump() == parse_report(doc).model_dump()


# 2. downloads ---------------------------------------------------------------------------------------------------


def test_a_download_past_the_cap_is_refused_without_reading_it_all(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spapi_adapter, "MAX_DOWNLOAD_BYTES", 1024 * 1024, raising=False)
    served = 0
    total = 8 * 1024 * 1024

    def chunks() -> Iterator[bytes]:
        nonlocal served
        while served < total:
            served += 64 * 1024
            yield b"x" * (64 * 1024)

    gateway = spapi_adapter.ReportsGateway(Mock())
    gateway._http = httpx.Client(transport=httpx.MockTransport(lambda request: httpx.Response(200, content=chunks())))
    with pytest.raises(ReportUnreadable) as err:
        gateway.download("https://example.test/doc")
    assert "larger than 1 MB" in err.value.reason
    assert served < total


def test_a_download_within_the_cap_is_returned_whole() -> None:
    gateway = spapi_adapter.ReportsGateway(Mock())
    gateway._http = httpx.Client(
        transport=httpx.MockTransport(lambda request: httpx.Response(200, content=b"abc" * 1000))
    )
    assert gateway.download("https://example.test/doc") == b"abc" * 1000


# 3. request bodies ----------------------------------------------------------------------------------------------


def _event(body: str, headers: dict[str, str]) -> dict[str, Any]:
    return {"body": body, "headers": headers, "isBase64Encoded": False, "requestContext": {"http": {"method": "POST"}}}


def _gate() -> RequestGate:
    store = Mock()
    store.put_if_absent.return_value = True
    return RequestGate(SECRET, store)


def test_an_oversized_signed_body_gets_413() -> None:
    body = slash_body("/promo " + "x" * (2 * 1024 * 1024))
    decision = _gate().check(_event(body, headers_for(body, SECRET)))
    assert decision.response is not None
    assert decision.response["statusCode"] == 413


def test_an_oversized_content_length_gets_413_before_the_body_is_read() -> None:
    body = slash_body("/promo deals")
    headers = {**headers_for(body, SECRET), "content-length": str(50 * 1024 * 1024)}
    decision = _gate().check(_event(body, headers))
    assert decision.response is not None
    assert decision.response["statusCode"] == 413


def test_a_normal_signed_body_passes() -> None:
    body = slash_body("/promo deals")
    decision = _gate().check(_event(body, headers_for(body, SECRET)))
    assert decision.response is None


# 4. chart points and CSV rows -----------------------------------------------------------------------------------


class _Drawn(Exception):
    pass


def _record(monkeypatch: pytest.MonkeyPatch, method: str) -> list[int]:
    from matplotlib.axes import Axes

    lengths: list[int] = []

    def fake(self: Any, x: Any, *args: Any, **kwargs: Any) -> None:
        lengths.append(len(list(x)))
        raise _Drawn

    monkeypatch.setattr(Axes, method, fake)
    return lengths


def test_a_csv_with_1500_dates_gives_a_capped_bar_chart(monkeypatch: pytest.MonkeyPatch) -> None:
    from handlers.promo.chart import daily_orders_png

    start = date(2021, 1, 1)
    lines = ["order-id,purchase-date,quantity,item-price,item-promotion-discount"]
    lines += [f"111-{i:07d}-0000001,{start + timedelta(days=i)},1,10.00,1.00" for i in range(1500)]
    report = promo_report.parse_report("\n".join(lines).encode())
    assert len(report.daily) == 1500
    lengths = _record(monkeypatch, "bar")
    with pytest.raises(_Drawn):
        daily_orders_png(report)
    assert lengths and lengths[0] <= 400


def test_a_long_health_history_gives_capped_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    from handlers.health.chart import trend_png

    start = datetime(2021, 1, 1, tzinfo=UTC)
    history = [
        Snapshot(
            account="acme",
            marketplace="US",
            taken_at=start + timedelta(days=i),
            account_status="NORMAL",
            metrics={"orderDefectRate": MetricValue(value=0.001 * (i % 7), target=0.01, condition="LESS_THAN")},
            flags=[],
        )
        for i in range(1500)
    ]
    lengths = _record(monkeypatch, "plot")
    with pytest.raises(_Drawn):
        trend_png(history)
    assert lengths and lengths[0] <= 400


def test_a_csv_past_the_row_cap_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(promo_report, "MAX_ROWS", 100, raising=False)
    lines = ["order-id,purchase-date,quantity,item-price,item-promotion-discount"]
    lines += [f"111-{i:07d}-0000001,2024-01-01,1,10.00,1.00" for i in range(101)]
    with pytest.raises(ReportRejected) as err:
        promo_report.parse_report("\n".join(lines).encode())
    assert "more than 100 rows" in err.value.reason
