"""Parser: Amazon's own example (loaded from its schema), every spelling and live shape, gzip or not; anything it
does not know or cannot read inside an entry is a notice, never dropped and never an exception; a document that is
not such a report at all is ReportUnreadable with the reason."""

from __future__ import annotations

import copy
import gzip
import json

import pytest

from handlers.health.report import ReportUnreadable, parse_report
from tests.support.health import (
    REPORT_SCHEMA,
    US,
    amazon_example,
    encode,
    healthy_report,
    load_schema,
    sample_bytes,
    schema_spelling,
    tweak,
)


def listing_violation_example() -> dict:
    """The schema's own `ListingLevelViolation` example (defectsCount 86, BAD)."""
    return copy.deepcopy(load_schema(REPORT_SCHEMA)["definitions"]["ListingLevelViolation"]["examples"][0])


def notices_of(report: dict) -> dict[str, object]:
    return {n.field: n for n in parse_report(encode(report)).all_notices()}


def test_amazon_example_with_example_spellings():
    report = parse_report(sample_bytes())
    assert [(s.marketplace_id, s.status) for s in report.account_statuses] == [
        ("ATVPDKIKX0DER", "AT_RISK"),
        ("A2EUQ1WTGCTBG2", "NORMAL"),
        ("A1AM78C64UM0Y8", "SUSPENDED"),
    ]
    m = report.metrics_for(US)
    assert m is not None
    assert m.rates["preFulfillmentCancellationRate"].rate == 0.005  # from prefulfillmentCancelRate
    assert m.rates["preFulfillmentCancellationRate"].target_value == 0.01
    assert m.violations["documentRequests"].defects_count == 8  # from documentRequest
    assert [(w.warning_type, w.status) for w in m.warning_states] == [("spammingSellerMessaging", "BAD")]
    assert m.account_health_rating is not None and m.account_health_rating.status == "WARNED"  # from ahrStatus
    assert m.account_health_rating.score is None
    assert m.order_defect_rate is not None and m.order_defect_rate.mfn.rate == 0.009
    assert m.order_defect_rate.afn.target_condition == "LESS_THAN"
    assert m.order_defect_rate.mfn.parts["claims"].count == 442  # the parts are read too
    assert m.rates["invoiceDefectRate"].parts["missingInvoice"].count == 214
    assert m.rates["lateShipmentRate"].counts["lateShipmentCount"] == 27896
    assert "restrictedProductPolicyViolations" not in m.violations  # the example omits it
    assert m.rates["unitOnTimeDeliveryRate"].rate == 0.8848
    assert report.all_notices() == []  # every field of the example is known


def test_schema_spelling_variant_reads_the_same_fields():
    variant = schema_spelling(amazon_example())
    variant["performanceMetrics"][0]["restrictedProductPolicyViolations"] = listing_violation_example()
    variant["performanceMetrics"][0].pop("unitOnTimeDeliveryRate")
    report = parse_report(encode(variant))
    m = report.metrics_for(US)
    assert report.status_for("A1AM78C64UM0Y8") == "DEACTIVATED"
    assert m.rates["preFulfillmentCancellationRate"].rate == 0.005
    assert m.violations["documentRequests"].defects_count == 8
    assert m.warning_states[0].warning_type == "spammingSellerMessaging"
    assert m.account_health_rating.status == "WARNED"
    assert "unitOnTimeDeliveryRate" not in m.rates  # missing optional metric is fine
    assert m.violations["restrictedProductPolicyViolations"].defects_count == 86
    assert report.all_notices() == []


def test_gzip_and_plain_give_the_same_report_and_bom_is_ignored():
    plain = sample_bytes()
    assert parse_report(gzip.compress(plain)) == parse_report(plain)
    assert parse_report(b"\xef\xbb\xbf" + plain) == parse_report(plain)
    assert parse_report(plain.decode()) == parse_report(json.loads(plain))


def test_live_fields_beyond_the_schema():
    """Fields public parsers built on live reports read (sp-api.md §2.2, amazon-models/README.md)."""
    example = amazon_example()
    entry = example["performanceMetrics"][0]
    entry["accountHealthRating"]["ahrScore"] = 150
    entry["customerProductReviewsPolicyViolations"] = listing_violation_example()
    entry["policyViolationWarnings"] = {
        "warningsCount": listing_violation_example()["defectsCount"],
        "reportingDateRange": listing_violation_example()["reportingDateRange"],
    }
    thirty = copy.deepcopy(entry["lateShipmentRate"])
    ten = dict(
        copy.deepcopy(thirty),
        reportingDateRange={"reportingDateFrom": "2020-11-10T00:00Z", "reportingDateTo": "2020-11-19T23:59Z"},
    )
    entry["lateShipmentRateList"] = [ten, thirty]
    report = parse_report(encode(example))
    m = report.metrics_for(US)
    assert m.account_health_rating.score == 150 and m.account_health_rating.status == "WARNED"
    assert m.violations["customerProductReviewsPolicyViolations"].defects_count == 86
    assert m.violations["customerProductReviewsPolicyViolations"].status == "BAD"
    assert m.violations["policyViolationWarnings"].defects_count == 86
    assert [w.reporting_date_range.days() for w in m.rate_windows["lateShipmentRate"]] == [10, 30]
    assert report.all_notices() == []


@pytest.mark.parametrize("status", ["GREAT", "GOOD", "FAIR", "AT_RISK", "CRITICAL", "WARNED"])
def test_every_account_health_rating_status_seen_live_is_known(status):
    r = tweak(amazon_example(), "accountHealthRating.ahrStatus", status)
    report = parse_report(encode(r))
    assert report.metrics_for(US).account_health_rating.status == status and report.all_notices() == []


def test_warning_states_as_objects_a_single_object_or_plain_strings():
    r = tweak(amazon_example(), "warningState", {"warningType": "spammingSellerMessaging", "status": "bad"})
    assert parse_report(encode(r)).metrics_for(US).warning_states[0].status == "BAD"
    r = tweak(schema_spelling(amazon_example()), "warningStates", ["spammingSellerMessaging"])
    [w] = parse_report(encode(r)).metrics_for(US).warning_states
    assert (w.warning_type, w.status) == ("spammingSellerMessaging", None)
    r = tweak(amazon_example(), "warningState", "spammingSellerMessaging")
    assert parse_report(encode(r)).metrics_for(US).warning_states[0].warning_type == "spammingSellerMessaging"


def test_flat_order_defect_rate_and_a_bare_entry():
    flat = tweak(
        amazon_example(), "orderDefectRate", amazon_example()["performanceMetrics"][0]["orderDefectRate"]["mfn"]
    )
    assert parse_report(encode(flat)).metrics_for(US).order_defect_rate.all.rate == 0.009
    bare = {"accountStatuses": amazon_example()["accountStatuses"], "performanceMetrics": [{"marketplaceId": US}]}
    m = parse_report(encode(bare)).metrics_for(US)
    assert m.rates == {} and m.violations == {} and m.order_defect_rate is None and m.notices == []


def test_unknown_metric_is_a_notice_with_what_it_carries():
    r = tweak(amazon_example(), "someFutureViolations", listing_violation_example())
    n = notices_of(r)["someFutureViolations"]
    assert n.kind == "unknown_metric" and n.value == 86 and n.marketplace_id == US
    assert "unknown metric someFutureViolations with 86 defects" in n.message and "BAD" in n.message
    rate = tweak(amazon_example(), "someFutureRate", amazon_example()["performanceMetrics"][0]["lateShipmentRate"])
    assert "with rate 3.20 %" in notices_of(rate)["someFutureRate"].message
    inner = tweak(amazon_example(), "lateShipmentRate.someNewCount", 12)
    assert notices_of(inner)["lateShipmentRate.someNewCount"].kind == "unknown_field"
    top = dict(amazon_example(), someNewRoot=[1, 2])
    n = parse_report(encode(top)).notices[0]
    assert (n.field, n.marketplace_id, n.value) == ("someNewRoot", None, 2)


@pytest.mark.parametrize(
    "path, garbage, field",
    [
        ("lateShipmentRate.rate", "high", "lateShipmentRate.rate"),
        ("lateShipmentRate.rate", float("nan"), "lateShipmentRate.rate"),
        ("lateShipmentRate.rate", -0.5, "lateShipmentRate.rate"),
        ("lateShipmentRate.targetValue", [0.04], "lateShipmentRate.targetValue"),
        ("lateShipmentRate.targetCondition", "ABOUT", "lateShipmentRate.targetCondition"),
        ("lateShipmentRate.status", "MEH", "lateShipmentRate.status"),
        ("lateShipmentRate", "high", "lateShipmentRate"),
        ("orderDefectRate.mfn.orderWithDefects", 3, "orderDefectRate.mfn.orderWithDefects"),
        ("orderDefectRate.afn", [], "orderDefectRate.afn"),
        ("listingPolicyViolations.defectsCount", 2.5, "listingPolicyViolations.defectsCount"),
        ("listingPolicyViolations.defectsCount", True, "listingPolicyViolations.defectsCount"),
        ("documentRequest", 8, "documentRequest"),
        ("accountHealthRating.ahrScore", "great", "accountHealthRating.ahrScore"),
        ("accountHealthRating.ahrStatus", "SOMETHING_NEW", "accountHealthRating.ahrStatus"),
        ("accountHealthRating", "WARNED", "accountHealthRating"),
        ("warningState", [{"status": "BAD"}], "warningState[0]"),
        ("warningState", [42], "warningState[0]"),
        ("lateShipmentRate.reportingDateRange", "last month", "lateShipmentRate.reportingDateRange"),
    ],
)
def test_malformed_value_of_a_known_metric_is_a_notice_not_an_exception(path, garbage, field):
    r = tweak(amazon_example(), path, garbage)
    notices = notices_of(r)
    assert field in notices, sorted(notices)
    assert notices[field].kind in ("malformed", "unknown_status") and notices[field].message


def test_numeric_strings_are_read_and_both_spellings_disagreeing_is_a_notice():
    r = tweak(amazon_example(), "lateShipmentRate.rate", "0.05")
    assert parse_report(encode(r)).metrics_for(US).rates["lateShipmentRate"].rate == 0.05
    both = tweak(
        amazon_example(),
        "preFulfillmentCancellationRate",
        dict(amazon_example()["performanceMetrics"][0]["prefulfillmentCancelRate"], rate=0.02),
    )
    m = parse_report(encode(both)).metrics_for(US)
    assert m.rates["preFulfillmentCancellationRate"].rate == 0.02  # the schema's spelling is read
    assert "prefulfillmentCancelRate" in {n.field for n in m.notices}


def test_an_entry_without_marketplace_is_skipped_with_a_notice():
    r = amazon_example()
    r["performanceMetrics"].append({"lateShipmentRate": r["performanceMetrics"][0]["lateShipmentRate"]})
    r["accountStatuses"].append({"status": "NORMAL"})
    report = parse_report(encode(r))
    assert report.marketplace_ids() == ["ATVPDKIKX0DER", "A2EUQ1WTGCTBG2", "A1AM78C64UM0Y8"]
    assert {n.field for n in report.notices} == {
        "performanceMetrics[1].marketplaceId",
        "accountStatuses[3].marketplaceId",
    }


@pytest.mark.parametrize(
    "data, words",
    [
        (sample_bytes()[:700], "truncated"),
        (gzip.compress(sample_bytes())[:300], "gzip"),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00\xff\xfe\x00", "neither gzip nor UTF-8"),
        (b"<html>Access denied</html>", "not JSON"),
        (b"", "empty"),
        (b"[1, 2]", "JSON object"),
        (json.dumps({"accountStatuses": []}).encode(), "missing performanceMetrics"),
        (
            json.dumps({"reportType": "GET_V1_SELLER_PERFORMANCE_REPORT"}).encode(),
            "missing accountStatuses and performanceMetrics",
        ),
        (json.dumps({"accountStatuses": [], "performanceMetrics": {}}).encode(), "performanceMetrics"),
        (json.dumps({"accountStatuses": [{"status": "NORMAL"}], "performanceMetrics": []}).encode(), "marketplaceId"),
        (json.dumps({"accountStatuses": [], "performanceMetrics": []}).encode(), "no data"),
        (b"[" * 100_000, "nested too deeply"),
    ],
)
def test_unreadable_reports_say_why(data, words):
    with pytest.raises(ReportUnreadable) as err:
        parse_report(data)
    assert words in err.value.reason


def test_healthy_variant_has_no_notices():
    assert parse_report(encode(healthy_report())).all_notices() == []
