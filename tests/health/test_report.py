"""Parser: both spellings of Amazon's schema, gzip or not, and a clear ReportUnreadable for anything else."""
from __future__ import annotations

import gzip
import json

import pytest

from handlers.health.report import ReportUnreadable, parse_report
from tests.health.conftest import DATA, US, encode, healthy_report, sample_bytes, tweak


def test_amazon_sample_with_example_spellings():
    report = parse_report(sample_bytes())
    assert [(s.marketplace_id, s.status) for s in report.account_statuses] == [
        ("ATVPDKIKX0DER", "AT_RISK"), ("A2EUQ1WTGCTBG2", "NORMAL"), ("A1AM78C64UM0Y8", "SUSPENDED")]
    m = report.metrics_for(US)
    assert m is not None
    assert m.rates["preFulfillmentCancellationRate"].rate == 0.005          # from prefulfillmentCancelRate
    assert m.rates["preFulfillmentCancellationRate"].target_value == 0.01
    assert m.violations["documentRequests"].defects_count == 8              # from documentRequest
    assert [(w.warning_type, w.status) for w in m.warning_states] == [("spammingSellerMessaging", "BAD")]
    assert m.account_health_rating is not None and m.account_health_rating.status == "WARNED"  # from ahrStatus
    assert m.account_health_rating.score is None
    assert m.order_defect_rate is not None and m.order_defect_rate.mfn.rate == 0.009
    assert m.order_defect_rate.afn.target_condition == "LESS_THAN"
    assert "restrictedProductPolicyViolations" not in m.violations          # the example omits it
    assert m.rates["unitOnTimeDeliveryRate"].rate == 0.8848


def test_schema_spelling_variant_reads_the_same_fields():
    report = parse_report((DATA / "schema_spelling_v2.json").read_bytes())
    m = report.metrics_for(US)
    assert report.status_for("A1AM78C64UM0Y8") == "DEACTIVATED"
    assert m.rates["preFulfillmentCancellationRate"].rate == 0.005
    assert m.violations["documentRequests"].defects_count == 8
    assert m.warning_states[0].warning_type == "spammingSellerMessaging"
    assert m.account_health_rating.status == "WARNED" and m.account_health_rating.score == 180
    assert "unitOnTimeDeliveryRate" not in m.rates                            # missing optional metric is fine
    assert m.violations["restrictedProductPolicyViolations"].defects_count == 0


def test_gzip_and_plain_give_the_same_report_and_bom_is_ignored():
    plain = sample_bytes()
    assert parse_report(gzip.compress(plain)) == parse_report(plain)
    assert parse_report(b"\xef\xbb\xbf" + plain) == parse_report(plain)
    assert parse_report(plain.decode()) == parse_report(json.loads(plain))


def test_tolerant_shapes():
    r = tweak(healthy_report(), "warningStates", {"warningType": "x", "status": "bad"})   # a single object, lower case
    assert parse_report(encode(r)).metrics_for(US).warning_states[0].status == "BAD"
    flat = tweak(healthy_report(), "orderDefectRate", {"rate": 0.02, "status": "BAD"})   # not split by channel
    assert parse_report(encode(flat)).metrics_for(US).order_defect_rate.all.rate == 0.02
    bare = {"accountStatuses": [{"marketplaceId": US, "status": "NORMAL"}], "performanceMetrics": [{"marketplaceId": US}]}
    m = parse_report(encode(bare)).metrics_for(US)
    assert m.rates == {} and m.violations == {} and m.order_defect_rate is None


@pytest.mark.parametrize("data, words", [
    (sample_bytes()[:700], "truncated"),
    (gzip.compress(sample_bytes())[:300], "gzip"),
    (b"PK\x03\x04\x14\x00\x00\x00\x08\x00\xff\xfe\x00", "neither gzip nor UTF-8"),
    (b"<html>Access denied</html>", "not JSON"),
    (b"", "empty"),
    (b"[1, 2]", "JSON object"),
    (json.dumps({"accountStatuses": []}).encode(), "missing performanceMetrics"),
    (json.dumps({"reportType": "GET_V1_SELLER_PERFORMANCE_REPORT"}).encode(), "missing accountStatuses and performanceMetrics"),
    (json.dumps({"accountStatuses": [], "performanceMetrics": {}}).encode(), "performanceMetrics"),
    (json.dumps({"accountStatuses": [{"status": "NORMAL"}], "performanceMetrics": []}).encode(), "marketplaceId"),
    (json.dumps({"accountStatuses": [], "performanceMetrics": []}).encode(), "no data"),
    (encode(tweak(healthy_report(), "lateShipmentRate.rate", "high")), "lateShipmentRate"),
    (b'{"accountStatuses": [], "performanceMetrics": [{"marketplaceId": "X", "lateShipmentRate": {"rate": NaN}}]}', "rate"),
])
def test_unreadable_reports_say_why(data, words):
    with pytest.raises(ReportUnreadable) as err:
        parse_report(data)
    assert words in err.value.reason
