"""Evaluation: one flag per out-of-target metric, fallbacks, overrides, severities, trends, diff."""
from __future__ import annotations

import pytest

from handlers.health.evaluate import diff_flags, evaluate_report, worst_status
from handlers.health.report import parse_report
from tests.health.conftest import DATA, encode, healthy_report, sample_bytes, tweak


def flags_of(report: dict, **kw):
    return {f.metric: f for f in evaluate_report(parse_report(encode(report)), account="acme", **kw).flags}


def test_amazon_sample_flags():
    ev = evaluate_report(parse_report(sample_bytes()), account="acme")
    by_id = {f.flag_id: f for f in ev.flags}
    assert ev.account_status == "SUSPENDED"
    assert ev.statuses == {"US": "AT_RISK", "CA": "NORMAL", "MX": "SUSPENDED"}
    assert set(by_id) == {
        "acme#US#accountStatus", "acme#MX#accountStatus", "acme#US#accountHealthRating",
        "acme#US#warningState.spammingSellerMessaging", "acme#US#unitOnTimeDeliveryRate",
        "acme#US#listingPolicyViolations", "acme#US#productAuthenticityCustomerComplaints",
        "acme#US#productConditionCustomerComplaints", "acme#US#productSafetyCustomerComplaints",
        "acme#US#receivedIntellectualPropertyComplaints", "acme#US#foodAndProductSafetyIssues",
        "acme#US#otherPolicyViolations", "acme#US#documentRequests",
    }
    assert by_id["acme#US#accountStatus"].severity == "critical"
    assert by_id["acme#MX#accountStatus"].value == "SUSPENDED"
    assert by_id["acme#US#receivedIntellectualPropertyComplaints"].severity == "critical"
    assert by_id["acme#US#listingPolicyViolations"].severity == "warning"
    ip = by_id["acme#US#receivedIntellectualPropertyComplaints"]
    assert (ip.value, ip.target) == (75, 0) and ip.meaning and ip.next_step
    # ODR 0.9 % < 1 %, late shipment 3.2 % < 4 %, cancellations 0.5 % < 1 %: no flags.
    assert not any(f.metric.startswith(("orderDefectRate", "lateShipment", "preFulfillment")) for f in ev.flags)
    # documentRequest: Amazon says GOOD but 8 > 0; unit on-time 88.5 % fails > 90 % while marked GOOD.
    assert "GOOD" in by_id["acme#US#documentRequests"].message
    assert by_id["acme#US#unitOnTimeDeliveryRate"].value == 0.8848


def test_schema_spelling_variant_gives_the_same_flags_except_the_missing_metric():
    a = {f.flag_id for f in evaluate_report(parse_report(sample_bytes())).flags}
    b = {f.flag_id for f in evaluate_report(parse_report((DATA / "schema_spelling_v2.json").read_bytes())).flags}
    assert a - b == {"report#US#unitOnTimeDeliveryRate"} and b - a == set()


def test_healthy_report_has_no_flags():
    ev = evaluate_report(parse_report(encode(healthy_report())))
    assert ev.flags == [] and ev.account_status == "NORMAL"


def _no_targets(report: dict) -> dict:
    m = report["performanceMetrics"][0]
    for metric in [m["orderDefectRate"]["mfn"], m["orderDefectRate"]["afn"], *(m[k] for k in (
            "lateShipmentRate", "preFulfillmentCancellationRate", "validTrackingRate", "onTimeDeliveryRate",
            "invoiceDefectRate"))]:
        for key in ("targetValue", "targetCondition", "status"):
            metric.pop(key, None)
    return report


@pytest.mark.parametrize("metric, ok, bad", [
    ("orderDefectRate", 0.0099, 0.01),             # < 1 %
    ("preFulfillmentCancellationRate", 0.0249, 0.025),  # < 2.5 %
    ("lateShipmentRate", 0.0399, 0.04),            # < 4 %
    ("validTrackingRate", 0.95, 0.9499),           # >= 95 %
    ("onTimeDeliveryRate", 0.9001, 0.90),          # > 90 %
    ("invoiceDefectRate", 0.0499, 0.05),           # < 5 %
])
def test_published_thresholds_are_the_fallback(metric, ok, bad):
    assert not flags_of(_no_targets(healthy_report(**{metric: ok})))
    flagged = flags_of(_no_targets(healthy_report(**{metric: bad})))
    assert flagged, metric
    f = next(iter(flagged.values()))
    assert f.metric.split(".")[0] == metric and f.value == bad


def test_report_target_beats_fallback_and_status_bad_counts():
    r = tweak(healthy_report(), "preFulfillmentCancellationRate.targetValue", 0.01)   # the example's 1 %
    r = tweak(r, "preFulfillmentCancellationRate.rate", 0.012)
    assert "preFulfillmentCancellationRate" in flags_of(r)
    bad = tweak(healthy_report(), "lateShipmentRate.status", "BAD")
    f = flags_of(bad)["lateShipmentRate"]
    assert "Amazon marks it BAD" in f.message and f.amazon_status == "BAD"


def test_account_thresholds_override_and_downgrade_to_warning():
    r = healthy_report(orderDefectRate=0.008)
    assert flags_of(r) == {}
    flagged = flags_of(r, thresholds={"US": {"order_defect_rate": 0.005}})
    f = flagged["orderDefectRate.mfn"]
    assert f.target == 0.005 and f.severity == "warning" and "your account threshold" in f.message
    assert flags_of(healthy_report(orderDefectRate=0.02))["orderDefectRate.afn"].severity == "critical"
    # Per-channel key wins only for that channel.
    only_mfn = flags_of(r, thresholds={"US": {"orderDefectRate.mfn": 0.005}})
    assert set(only_mfn) == {"orderDefectRate.mfn"}


def test_status_ahr_and_warning_flags():
    r = healthy_report()
    r["accountStatuses"][0]["status"] = "DEACTIVATED"
    r = tweak(r, "accountHealthRating", {"ahrScore": 150})
    r = tweak(r, "warningStates", [{"warningType": "spammingSellerMessaging", "status": "BAD"},
                                   {"warningType": "other", "status": "GOOD"}])
    f = flags_of(r)
    assert f["accountStatus"].severity == "critical" and f["accountStatus"].value == "DEACTIVATED"
    assert f["accountHealthRating"].severity == "critical" and "150" in f["accountHealthRating"].message
    assert set(f) == {"accountStatus", "accountHealthRating", "warningState.spammingSellerMessaging"}


def test_worst_status():
    assert worst_status(["NORMAL", "AT_RISK", "SUSPENDED"]) == "SUSPENDED"
    assert worst_status(["SUSPENDED", "DEACTIVATED"]) == "DEACTIVATED"
    assert worst_status(["NORMAL", "SOMETHING_NEW"]) == "SOMETHING_NEW"
    assert worst_status([]) == "UNKNOWN"


def _trend(prev: float, cur: float, metric: str = "orderDefectRate"):
    previous = evaluate_report(parse_report(encode(healthy_report(**{metric: prev}))))
    return evaluate_report(parse_report(encode(healthy_report(**{metric: cur}))), previous=previous.metrics)


def test_trending_toward_target():
    ev = _trend(0.002, 0.0065)        # 0.8 pt away -> 0.35 pt away: moved 56 % of the way
    assert {w.metric for w in ev.warnings} == {"orderDefectRate.mfn", "orderDefectRate.afn"}
    w = ev.warnings[0]
    assert (w.previous, w.value, w.target) == (0.002, 0.0065, 0.01) and "half-way" in w.message
    assert _trend(0.002, 0.0055).warnings == []      # moved 44 %: not yet
    assert _trend(0.006, 0.002).warnings == []       # moving away from the target
    assert _trend(0.002, 0.02).warnings == []        # crossed: a red flag, not a trend warning
    assert {w.metric for w in _trend(0.99, 0.965, "validTrackingRate").warnings} == {"validTrackingRate"}
    assert evaluate_report(parse_report(encode(healthy_report()))).warnings == []   # no previous snapshot


def test_diff_only_changes():
    a = evaluate_report(parse_report(encode(healthy_report(orderDefectRate=0.02, lateShipmentRate=0.05)))).flags
    b = evaluate_report(parse_report(encode(healthy_report(lateShipmentRate=0.05, invoiceDefectRate=0.2)))).flags
    d = diff_flags(a, b)
    assert [f.metric for f in d.new] == ["invoiceDefectRate"]
    assert [f.metric for f in d.still_open] == ["lateShipmentRate"]
    assert sorted(f.metric for f in d.resolved) == ["orderDefectRate.afn", "orderDefectRate.mfn"]
    assert diff_flags(b, b).new == [] and diff_flags(b, b).resolved == []
