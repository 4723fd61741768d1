"""Evaluation: one flag per out-of-target metric, fallbacks, overrides, severities, trends, diff; report notices
(unknown metrics, malformed values) are warnings, never red flags and never exceptions.

Inputs are Amazon's example loaded from its schema, or variants derived from it in code."""

from __future__ import annotations

import copy

import pytest

from handlers.health.evaluate import diff_flags, evaluate_report, worst_status
from handlers.health.report import VIOLATION_FIELDS, parse_report
from tests.support.health import (
    REPORT_SCHEMA,
    amazon_example,
    encode,
    healthy_report,
    load_schema,
    sample_bytes,
    schema_spelling,
    tweak,
)

EXAMPLE_FLAGS = {
    "acme#US#accountStatus",
    "acme#MX#accountStatus",
    "acme#US#accountHealthRating",
    "acme#US#warningState.spammingSellerMessaging",
    "acme#US#unitOnTimeDeliveryRate",
    "acme#US#listingPolicyViolations",
    "acme#US#productAuthenticityCustomerComplaints",
    "acme#US#productConditionCustomerComplaints",
    "acme#US#productSafetyCustomerComplaints",
    "acme#US#receivedIntellectualPropertyComplaints",
    "acme#US#foodAndProductSafetyIssues",
    "acme#US#otherPolicyViolations",
    "acme#US#documentRequests",
}


def listing_violation_example() -> dict:
    return copy.deepcopy(load_schema(REPORT_SCHEMA)["definitions"]["ListingLevelViolation"]["examples"][0])


def evaluate(report: dict, **kw):
    return evaluate_report(parse_report(encode(report)), account="acme", **kw)


def flags_of(report: dict, **kw):
    return {f.metric: f for f in evaluate(report, **kw).flags}


def test_amazon_sample_flags():
    ev = evaluate_report(parse_report(sample_bytes()), account="acme")
    by_id = {f.flag_id: f for f in ev.flags}
    assert ev.account_status == "SUSPENDED"
    assert ev.statuses == {"US": "AT_RISK", "CA": "NORMAL", "MX": "SUSPENDED"}
    assert set(by_id) == EXAMPLE_FLAGS and ev.notices == []
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
    variant = schema_spelling(amazon_example())
    assert {f.flag_id for f in evaluate(variant).flags} == EXAMPLE_FLAGS
    assert {f.flag_id for f in evaluate(tweak(variant, "unitOnTimeDeliveryRate", None)).flags} == EXAMPLE_FLAGS - {
        "acme#US#unitOnTimeDeliveryRate"
    }


def test_healthy_report_has_no_flags():
    ev = evaluate_report(parse_report(encode(healthy_report())))
    assert ev.flags == [] and ev.account_status == "NORMAL"


def _no_targets(report: dict) -> dict:
    m = report["performanceMetrics"][0]
    for metric in [
        m["orderDefectRate"]["mfn"],
        m["orderDefectRate"]["afn"],
        *(
            m[k]
            for k in (
                "lateShipmentRate",
                "preFulfillmentCancellationRate",
                "validTrackingRate",
                "onTimeDeliveryRate",
                "invoiceDefectRate",
            )
        ),
    ]:
        for key in ("targetValue", "targetCondition", "status"):
            metric.pop(key, None)
    return report


@pytest.mark.parametrize(
    "metric, ok, bad",
    [
        ("orderDefectRate", 0.0099, 0.01),  # < 1 %
        ("preFulfillmentCancellationRate", 0.0249, 0.025),  # < 2.5 %
        ("lateShipmentRate", 0.0399, 0.04),  # < 4 %
        ("validTrackingRate", 0.95, 0.9499),  # >= 95 %
        ("onTimeDeliveryRate", 0.9001, 0.90),  # > 90 %
        ("invoiceDefectRate", 0.0499, 0.05),  # < 5 %
    ],
)
def test_published_thresholds_are_the_fallback(metric, ok, bad):
    assert not flags_of(_no_targets(healthy_report(**{metric: ok})))
    flagged = flags_of(_no_targets(healthy_report(**{metric: bad})))
    assert flagged, metric
    f = next(iter(flagged.values()))
    assert f.metric.split(".")[0] == metric and f.value == bad


def test_report_target_beats_fallback_and_status_bad_counts():
    r = tweak(healthy_report(), "preFulfillmentCancellationRate.targetValue", 0.01)  # the example's 1 %
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
    r = tweak(r, "accountHealthRating.ahrScore", 150)
    r = tweak(
        r,
        "warningStates",
        [{"warningType": "spammingSellerMessaging", "status": "BAD"}, {"warningType": "other", "status": "GOOD"}],
    )
    f = flags_of(r)
    assert f["accountStatus"].severity == "critical" and f["accountStatus"].value == "DEACTIVATED"
    assert f["accountHealthRating"].severity == "critical" and "150" in f["accountHealthRating"].message
    assert set(f) == {"accountStatus", "accountHealthRating", "warningState.spammingSellerMessaging"}


@pytest.mark.parametrize("status", ["GREAT", "GOOD", "FAIR", "AT_RISK", "CRITICAL", "WARNED", "SOMETHING_NEW", None])
def test_ahr_score_under_200_is_a_red_flag_whatever_the_status(status):
    example = amazon_example()
    ahr = example["performanceMetrics"][0]["accountHealthRating"]
    ahr.pop("ahrStatus")
    if status:
        ahr["ahrStatus"] = status
    ahr["ahrScore"] = 150
    [flag] = [f for f in evaluate(example).flags if f.metric == "accountHealthRating"]
    assert flag.severity == "critical" and (flag.value, flag.target) == (150, 200)
    assert "150" in flag.message and "below 200" in flag.message and (status or "") in flag.message


@pytest.mark.parametrize(
    "status, flagged",
    [
        ("GREAT", False),
        ("GOOD", False),
        ("FAIR", False),
        ("AT_RISK", True),
        ("CRITICAL", True),
        ("WARNED", True),
        ("SOMETHING_NEW", False),
    ],
)
def test_ahr_status_with_a_healthy_score(status, flagged):
    example = tweak(amazon_example(), "accountHealthRating.ahrStatus", status)
    example = tweak(example, "accountHealthRating.ahrScore", 200)
    ev = evaluate(example)
    flags = [f for f in ev.flags if f.metric == "accountHealthRating"]
    assert bool(flags) == flagged
    if flagged:
        assert flags[0].value == status and flags[0].severity == "critical"
    unknown = [n for n in ev.notices if n.metric == "accountHealthRating.ahrStatus"]
    assert bool(unknown) == (status == "SOMETHING_NEW")  # an unknown status is a warning, not a crash


def test_schema_example_plus_ahr_score_150_with_status_great():
    example = tweak(amazon_example(), "accountHealthRating.ahrStatus", "GREAT")
    example = tweak(example, "accountHealthRating.ahrScore", 150)
    flags = {f.flag_id: f for f in evaluate(example).flags}
    assert set(flags) == EXAMPLE_FLAGS
    assert "although its status says GREAT" in flags["acme#US#accountHealthRating"].message


def test_review_policy_violations_and_policy_warnings_are_flagged():
    violation = listing_violation_example()
    example = tweak(amazon_example(), "customerProductReviewsPolicyViolations", violation)
    example = tweak(
        example,
        "policyViolationWarnings",
        {"warningsCount": violation["defectsCount"], "reportingDateRange": violation["reportingDateRange"]},
    )
    flags = {f.metric: f for f in evaluate(example).flags}
    review = flags["customerProductReviewsPolicyViolations"]
    assert (review.value, review.target, review.severity, review.amazon_status) == (86, 0, "critical", "BAD")
    warnings = flags["policyViolationWarnings"]
    assert (warnings.value, warnings.target, warnings.severity) == (86, 0, "warning")
    # The same metrics at zero, Amazon's healthy shape, give nothing.
    healthy = tweak(
        healthy_report(), "customerProductReviewsPolicyViolations", dict(violation, defectsCount=0, status="GOOD")
    )
    healthy = tweak(healthy, "policyViolationWarnings", dict(violation, defectsCount=0, status="GOOD"))
    assert evaluate(healthy).flags == [] and evaluate(healthy).notices == []


@pytest.mark.parametrize("metric", sorted(VIOLATION_FIELDS))
def test_every_listing_level_violation_is_read(metric):
    ev = evaluate(tweak(healthy_report(), metric, listing_violation_example()))
    assert [(f.metric, f.value) for f in ev.flags] == [(metric, 86)] and ev.notices == []


def test_warning_states_as_plain_strings_are_flagged():
    r = tweak(healthy_report(), "warningStates", ["spammingSellerMessaging"])
    [flag] = evaluate(r).flags
    assert flag.metric == "warningState.spammingSellerMessaging" and flag.severity == "warning"
    assert "without a status" in flag.message


def test_late_shipment_rate_list_gives_one_metric_per_window():
    entry = healthy_report()["performanceMetrics"][0]
    ten = dict(
        copy.deepcopy(entry["lateShipmentRate"]),
        rate=0.05,
        reportingDateRange={"reportingDateFrom": "2020-11-10T00:00Z", "reportingDateTo": "2020-11-19T23:59Z"},
    )
    r = tweak(healthy_report(), "lateShipmentRateList", [ten, entry["lateShipmentRate"]])
    ev = evaluate(r)
    assert [f.metric for f in ev.flags] == ["lateShipmentRate.10d"] and ev.flags[0].label == "Late shipment rate (10d)"
    assert set(ev.metrics["US"]) >= {"lateShipmentRate", "lateShipmentRate.10d"}


def test_unknown_metric_is_a_warning_not_a_red_flag():
    ev = evaluate(tweak(healthy_report(), "someFutureViolations", listing_violation_example()))
    assert ev.flags == []
    [notice] = ev.notices
    assert (notice.metric, notice.kind, notice.value, notice.marketplace) == (
        "someFutureViolations",
        "unknown_metric",
        86,
        "US",
    )
    assert "unknown metric someFutureViolations with 86 defects" in notice.message
    assert {"metric", "value", "previous", "target", "message"} <= set(notice.contract())


def test_garbage_value_is_a_warning_and_the_rest_is_still_evaluated():
    example = tweak(amazon_example(), "lateShipmentRate.rate", "garbage")
    ev = evaluate(example)
    assert {f.flag_id for f in ev.flags} == EXAMPLE_FLAGS
    assert [(n.metric, n.kind) for n in ev.notices] == [("lateShipmentRate.rate", "malformed")]
    # Amazon's own BAD still counts when the rate cannot be read.
    bad = evaluate(tweak(example, "lateShipmentRate.status", "BAD"))
    assert "lateShipmentRate" in {f.metric for f in bad.flags}


GARBAGE = ["high", float("nan"), -1, True, [], {"x": 1}, None, 1e309, "", 12]


@pytest.mark.parametrize("garbage", GARBAGE, ids=repr)
def test_any_garbage_in_any_field_of_the_example_never_raises(garbage):
    """Every leaf and every object of Amazon's example replaced by garbage, one at a time."""

    def paths(node, prefix=()):
        if isinstance(node, dict):
            for k, v in node.items():
                yield (*prefix, k)
                yield from paths(v, (*prefix, k))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                yield (*prefix, i)
                yield from paths(v, (*prefix, i))

    base = amazon_example()
    entry = base["performanceMetrics"][0]
    for path in list(paths(entry)):
        doc = copy.deepcopy(base)
        node = doc["performanceMetrics"][0]
        for k in path[:-1]:
            node = node[k]
        node[path[-1]] = garbage
        ev = evaluate_report(parse_report(encode(doc)), account="acme")  # never raises
        assert all(f.message for f in ev.flags) and all(n.message for n in ev.notices)


def test_worst_status():
    assert worst_status(["NORMAL", "AT_RISK", "SUSPENDED"]) == "SUSPENDED"
    assert worst_status(["SUSPENDED", "DEACTIVATED"]) == "DEACTIVATED"
    assert worst_status(["NORMAL", "SOMETHING_NEW"]) == "SOMETHING_NEW"
    assert worst_status([]) == "UNKNOWN"


def _trend(prev: float, cur: float, metric: str = "orderDefectRate"):
    previous = evaluate_report(parse_report(encode(healthy_report(**{metric: prev}))))
    return evaluate_report(parse_report(encode(healthy_report(**{metric: cur}))), previous=previous.metrics)


def test_trending_toward_target():
    ev = _trend(0.002, 0.0065)  # 0.8 pt away -> 0.35 pt away: moved 56 % of the way
    assert {w.metric for w in ev.warnings} == {"orderDefectRate.mfn", "orderDefectRate.afn"}
    w = ev.warnings[0]
    assert (w.previous, w.value, w.target) == (0.002, 0.0065, 0.01) and "half-way" in w.message
    assert _trend(0.002, 0.0055).warnings == []  # moved 44 %: not yet
    assert _trend(0.006, 0.002).warnings == []  # moving away from the target
    assert _trend(0.002, 0.02).warnings == []  # crossed: a red flag, not a trend warning
    assert {w.metric for w in _trend(0.99, 0.965, "validTrackingRate").warnings} == {"validTrackingRate"}
    assert evaluate_report(parse_report(encode(healthy_report()))).warnings == []  # no previous snapshot


def test_diff_only_changes():
    a = evaluate_report(parse_report(encode(healthy_report(orderDefectRate=0.02, lateShipmentRate=0.05)))).flags
    b = evaluate_report(parse_report(encode(healthy_report(lateShipmentRate=0.05, invoiceDefectRate=0.2)))).flags
    d = diff_flags(a, b)
    assert [f.metric for f in d.new] == ["invoiceDefectRate"]
    assert [f.metric for f in d.still_open] == ["lateShipmentRate"]
    assert sorted(f.metric for f in d.resolved) == ["orderDefectRate.afn", "orderDefectRate.mfn"]
    assert diff_flags(b, b).new == [] and diff_flags(b, b).resolved == []
