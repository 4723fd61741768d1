"""Push notifications: every example Amazon publishes (loaded from its schemas, validated against them) parses,
as an SQS body and inside an EventBridge envelope; unknown types are told apart from malformed ones, and the
reasons name fields, never payload values."""

from __future__ import annotations

import json

import jsonschema
import pytest

from handlers.health.notifications import (
    AccountStatusChangedNotification,
    ListingsItemIssuesChangeNotification,
    ListingsItemStatusChangeNotification,
    NotificationMalformed,
    OrderChangeNotification,
    PricingHealthNotification,
    ReportProcessingFinishedNotification,
    UnknownNotificationType,
    affects_alerts,
    effect_of,
    parse_notification,
)
from tests.support.health import (
    account_status_changed_example,
    eventbridge,
    notification_example,
    notification_schemas,
)

# Where Amazon's example contradicts its own schema (the example is what Amazon sends: the docs and the
# subscription API call the type LISTINGS_ITEM_STATUS_CHANGE; the schema's enum says ..._CHANGED).
KNOWN_SCHEMA_GAPS = {("ListingsItemStatusChangeNotification.json", ("NotificationType",))}

EXAMPLES = [
    (path.name, i)
    for path in notification_schemas()
    for i in range(len(json.loads(path.read_text(encoding="utf-8")).get("examples", [])))
]

MODEL_FOR = {
    "ListingsItemIssuesChangeNotification.json": ListingsItemIssuesChangeNotification,
    "ListingsItemIssuesChangeNotification_2023-12-13.json": ListingsItemIssuesChangeNotification,
    "ListingsItemStatusChangeNotification.json": ListingsItemStatusChangeNotification,
    "OrderChangeNotification.json": OrderChangeNotification,
    "PricingHealthNotification.json": PricingHealthNotification,
    "ReportProcessingFinishedNotification.json": ReportProcessingFinishedNotification,
}


def test_every_published_notification_schema_is_covered():
    assert {name for name, _ in EXAMPLES} == set(MODEL_FOR)
    assert len(EXAMPLES) == 7  # ReportProcessingFinished has a seller and a vendor example


@pytest.mark.parametrize("schema_file, index", EXAMPLES, ids=[f"{n}[{i}]" for n, i in EXAMPLES])
def test_amazon_example_is_valid_and_parses_as_sqs_body_and_eventbridge_detail(schema_file, index):
    schema = json.loads(next(p for p in notification_schemas() if p.name == schema_file).read_text(encoding="utf-8"))
    example = notification_example(schema_file, index)
    validator = jsonschema.validators.validator_for(schema)
    validator.check_schema(schema)
    errors = {(schema_file, tuple(e.absolute_path)) for e in validator(schema).iter_errors(example)}
    assert errors <= KNOWN_SCHEMA_GAPS, errors

    meta = example.get("notificationMetadata") or example["NotificationMetadata"]
    for form in (
        example,
        json.dumps(example),
        json.dumps(example).encode(),
        eventbridge(example),
        json.dumps(eventbridge(example)),
    ):
        n = parse_notification(form)
        assert isinstance(n, MODEL_FOR[schema_file])
        assert n.metadata.notification_id == meta.get("notificationId", meta.get("NotificationId"))
        effect = effect_of(n, "acme")
        assert bool(effect.open or effect.resolve) == affects_alerts(n)


def test_account_status_changed_example():
    raw = account_status_changed_example()
    n = parse_notification(json.dumps(raw))
    assert isinstance(n, AccountStatusChangedNotification)
    assert (n.payload.change.previous_status, n.payload.change.current_status) == ("NORMAL", "AT_RISK")
    assert n.metadata.subscription_id == raw["notificationMetadata"]["subscriptionId"]
    effect = effect_of(n, "acme", "US")
    assert [(f.flag_id, f.severity, f.value, f.source) for f in effect.open] == [
        ("acme#US#accountStatus", "critical", "AT_RISK", "notification")
    ]
    assert "NORMAL → AT_RISK" in effect.open[0].message


def test_account_status_outside_the_documented_enum_still_alerts():
    raw = account_status_changed_example()
    raw["payload"]["accountStatusChangeNotification"]["currentAccountStatus"] = "SUSPENDED"  # as the report shows
    [flag] = effect_of(parse_notification(raw), "acme", "US").open
    assert flag.value == "SUSPENDED" and flag.severity == "critical"
    raw["payload"]["accountStatusChangeNotification"]["currentAccountStatus"] = "NORMAL"
    assert effect_of(parse_notification(raw), "acme", "US").resolve == ["acme#US#accountStatus"]


def test_pricing_health_example():
    n = parse_notification(json.dumps(notification_example("PricingHealthNotification.json")).encode())
    f = effect_of(n, "acme").open[0]
    assert f.flag_id == "acme#US#pricingHealth.B007IBIWZY" and (f.value, f.target) == (8188.72, 8000)
    assert "BuyBoxDisqualification" in f.message and f.severity == "warning"


def test_listings_item_issues_both_payload_versions():
    current = eventbridge(notification_example("ListingsItemIssuesChangeNotification_2023-12-13.json"))
    f = effect_of(parse_notification(current), "acme").open[0]
    assert f.flag_id == "acme#US#listingIssue.NLS-SHOES-03" and f.severity == "critical"  # LISTING_SUPPRESSED
    v1 = eventbridge(notification_example("ListingsItemIssuesChangeNotification.json"))
    f = effect_of(parse_notification(v1), "acme").open[0]
    assert f.severity == "warning" and "SEARCH_SUPPRESSED" in f.message  # search suppression only
    cleared = notification_example("ListingsItemIssuesChangeNotification_2023-12-13.json")
    cleared["Payload"].update(Severities=["WARNING"], EnforcementActions=[])
    assert effect_of(parse_notification(eventbridge(cleared)), "acme").resolve == ["acme#US#listingIssue.NLS-SHOES-03"]


def test_types_without_alerts_keep_no_buyer_details():
    order = parse_notification(notification_example("OrderChangeNotification.json"))
    assert isinstance(order, OrderChangeNotification) and not affects_alerts(order)
    assert order.payload.change.amazon_order_id == "903-8868176-2219830"
    assert "48110" not in order.model_dump_json()  # DestinationPostalCode is not kept
    vendor = parse_notification(notification_example("ReportProcessingFinishedNotification.json", 1))
    assert vendor.payload.report.seller_id is None and vendor.payload.report.processing_status == "CANCELLED"
    status = parse_notification(notification_example("ListingsItemStatusChangeNotification.json"))
    assert status.payload.status == ["BUYABLE", "DISCOVERABLE"]


def test_unknown_type_is_told_apart_from_malformed():
    raw = account_status_changed_example()
    raw["notificationType"] = "FEED_PROCESSING_FINISHED"  # a real SP-API type this bot does not read
    with pytest.raises(UnknownNotificationType) as err:
        parse_notification(raw)
    assert err.value.notification_type == "FEED_PROCESSING_FINISHED"
    detail = notification_example("ListingsItemStatusChangeNotification.json")
    detail["NotificationType"] = "BRANDED_ITEM_CONTENT_CHANGE"
    with pytest.raises(UnknownNotificationType):
        parse_notification(eventbridge(detail))


def _broken(base: dict, path: str, value) -> dict:
    out = json.loads(json.dumps(base))
    node = out
    keys = path.split(".")
    for k in keys[:-1]:
        node = node[k]
    if value is None:
        del node[keys[-1]]
    else:
        node[keys[-1]] = value
    return out


PRICING = "PricingHealthNotification.json"
LISTINGS = "ListingsItemIssuesChangeNotification_2023-12-13.json"


@pytest.mark.parametrize(
    "make, words",
    [
        (lambda: "{not json", "not JSON"),
        (lambda: "[1]", "JSON object"),
        (lambda: {"hello": 1}, "missing notificationType"),
        (
            lambda: _broken(
                account_status_changed_example(), "payload.accountStatusChangeNotification.currentAccountStatus", None
            ),
            "currentAccountStatus",
        ),
        (
            lambda: _broken(
                account_status_changed_example(), "payload.accountStatusChangeNotification.currentAccountStatus", 7
            ),
            "currentAccountStatus",
        ),
        (lambda: _broken(notification_example(PRICING), "payload.offerChangeTrigger.asin", None), "asin"),
        (lambda: _broken(notification_example(PRICING), "notificationMetadata", None), "notificationMetadata"),
        (lambda: _broken(eventbridge(notification_example(LISTINGS)), "detail.Payload.Sku", None), "Sku"),
        (
            lambda: _broken(eventbridge(notification_example(LISTINGS)), "detail", None),
            "EventBridge event has no detail",
        ),
        (
            lambda: _broken(eventbridge(notification_example(LISTINGS)), "detail", 42),
            "EventBridge detail must be a JSON object",
        ),
        (lambda: _broken(eventbridge(notification_example(LISTINGS)), "detail.EventTime", "yesterday"), "EventTime"),
        (
            lambda: _broken(
                notification_example("OrderChangeNotification.json"),
                "Payload.OrderChangeNotification.AmazonOrderId",
                None,
            ),
            "AmazonOrderId",
        ),
        (
            lambda: _broken(
                notification_example("ReportProcessingFinishedNotification.json"),
                "payload.reportProcessingFinishedNotification",
                None,
            ),
            "reportProcessingFinishedNotification",
        ),
    ],
)
def test_malformed_notifications_name_the_field_not_the_value(make, words):
    raw = make()
    with pytest.raises(NotificationMalformed) as err:
        parse_notification(raw)
    assert words in err.value.reason and not isinstance(err.value, UnknownNotificationType)
    # The reason goes to logs: no payload value in it.
    for secret in ("903-8868176-2219830", "48110", "B007IBIWZY", "NLS-SHOES-03", "yesterday"):
        assert secret not in err.value.reason
