from __future__ import annotations

import json
from pathlib import Path

import pytest

from handlers.promo.performance import PerformanceReportInvalid, parse_performance_report
from tests.support.promo import PROMO_DATA

DOC = (PROMO_DATA / "promotion_performance_report.json").read_bytes()


def test_parses_schema_shape():
    r = parse_performance_report(DOC)
    p = r.promotions[0]
    assert r.specification.report_type == "GET_PROMOTION_PERFORMANCE_REPORT"
    assert (p.type, p.units_sold, p.revenue, p.marketplace, p.conversion) == ("LIGHTNING_DEAL", 40, 800.5, "US", 0.04)
    assert p.products[0].asin == "B0ABCDEFGH" and p.amount_spent is None


def test_missing_required_field_named():
    doc = json.loads(DOC)
    del doc["promotions"][0]["revenueCurrencyCode"]
    with pytest.raises(PerformanceReportInvalid, match="revenueCurrencyCode"):
        parse_performance_report(json.dumps(doc))
    with pytest.raises(PerformanceReportInvalid, match="not JSON"):
        parse_performance_report(b"<html>")
