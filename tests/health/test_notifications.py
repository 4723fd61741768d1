"""Push notifications: Amazon's examples parse; malformed ones give a reason naming the field (for the DLQ)."""
from __future__ import annotations

import copy
import json

import pytest

from handlers.health.notifications import (
    AccountStatusChangedNotification, ListingsItemIssuesChangeNotification, NotificationMalformed,
    PricingHealthNotification, effect_of, parse_notification,
)

# Verbatim from sp-api.md §2.4 (developer-docs notification-type-values).
ACCOUNT_STATUS = ('{"notificationVersion":"1.0","notificationType":"ACCOUNT_STATUS_CHANGED","payloadVersion":"2021-01-01",'
                  '"eventTime":"2020-12-11T19:42:04.284Z","payload":{"accountStatusChangeNotification":'
                  '{"previousAccountStatus":"NORMAL","currentAccountStatus":"AT_RISK"}},"notificationMetadata":'
                  '{"applicationId":"amzn1.sellerapps.app.aacccfff-44aa-4b7c-b42b-ed4ec98dd746","subscriptionId":'
                  '"subscription-id-d0e9e693-c3ad-4373-979f-ed4ec98dd746","publishTime":"2020-12-11T19:45:04.284Z",'
                  '"notificationId":"d0e9e693-c3ad-4373-979f-ed4ec98dd746"}}')

PRICING = {
    "notificationVersion": "1.0", "notificationType": "PRICING_HEALTH", "payloadVersion": "1.0",
    "eventTime": "2020-09-23T21:30:13.713Z",
    "payload": {"issueType": "BuyBoxDisqualification", "sellerId": "A3EZFOFNDPFB8R",
                "offerChangeTrigger": {"marketplaceId": "ATVPDKIKX0DER", "asin": "B007IBIWZY", "itemCondition": "new",
                                       "timeOfOfferChange": "2020-09-23T21:30:13.409Z"},
                "merchantOffer": {"condition": "new", "fulfillmentType": "MFN",
                                  "listingPrice": {"amount": 8184.23, "currencyCode": "USD"},
                                  "shipping": {"amount": 4.49, "currencyCode": "USD"},
                                  "landedPrice": {"amount": 8188.72, "currencyCode": "USD"}},
                "summary": {"numberOfOffers": [], "buyBoxEligibleOffers": [],
                            "referencePrice": {"competitivePriceThreshold": {"amount": 8000, "currencyCode": "USD"}}}},
    "notificationMetadata": {"applicationId": "amzn1.sellerapps.app.1", "subscriptionId": "e3a0",
                             "publishTime": "2020-09-23T21:30:16.903Z", "notificationId": "23ae41cd"},
}

LISTINGS_EVENT = {
    "version": "0", "id": "e-1", "detail-type": "LISTINGS_ITEM_ISSUES_CHANGE",
    "source": "aws.partner/sellingpartnerapi.amazon.com/amzn1.sellerapps.app.f108", "account": "123456789012",
    "time": "2024-02-05T18:59:48Z", "region": "us-east-1", "resources": [],
    "detail": {"NotificationVersion": "1.0", "NotificationType": "LISTINGS_ITEM_ISSUES_CHANGE",
               "PayloadVersion": "2023-12-13", "EventTime": "2024-02-05T18:59:30.194Z",
               "Payload": {"SellerId": "AXXXXXXXXXXXXX", "MarketplaceId": "ATVPDKIKX0DER", "Asin": "BT6RZ7JM4H",
                           "Sku": "NLS-SHOES-03", "Severities": ["ERROR", "WARNING"],
                           "EnforcementActions": ["SEARCH_SUPPRESSED", "LISTING_SUPPRESSED", "ATTRIBUTE_SUPPRESSED",
                                                  "CATALOG_ITEM_REMOVED"]},
               "NotificationMetadata": {"ApplicationId": "amzn1.sellerapps.app.f108", "SubscriptionId": "93b0",
                                        "PublishTime": "2024-02-05T18:59:48.768Z", "NotificationId": "8e00"}},
}


def test_account_status_changed_example():
    n = parse_notification(ACCOUNT_STATUS)
    assert isinstance(n, AccountStatusChangedNotification)
    assert (n.payload.change.previous_status, n.payload.change.current_status) == ("NORMAL", "AT_RISK")
    assert n.metadata.subscription_id.startswith("subscription-id-")
    effect = effect_of(n, "acme", "US")
    assert [(f.flag_id, f.severity, f.value, f.source) for f in effect.open] == [
        ("acme#US#accountStatus", "critical", "AT_RISK", "notification")]
    assert "NORMAL → AT_RISK" in effect.open[0].message


def test_pricing_health_example():
    n = parse_notification(json.dumps(PRICING).encode())
    assert isinstance(n, PricingHealthNotification)
    f = effect_of(n, "acme").open[0]
    assert f.flag_id == "acme#US#pricingHealth.B007IBIWZY" and (f.value, f.target) == (8188.72, 8000)
    assert "BuyBoxDisqualification" in f.message and f.severity == "warning"


def test_listings_item_issues_in_eventbridge_envelope():
    n = parse_notification(LISTINGS_EVENT)
    assert isinstance(n, ListingsItemIssuesChangeNotification)
    f = effect_of(n, "acme").open[0]
    assert f.flag_id == "acme#US#listingIssue.NLS-SHOES-03" and f.severity == "critical"
    warning_only = copy.deepcopy(LISTINGS_EVENT)
    warning_only["detail"]["Payload"].update(Severities=["WARNING"], EnforcementActions=[])
    assert effect_of(parse_notification(warning_only), "acme").resolve == ["acme#US#listingIssue.NLS-SHOES-03"]
    bare = json.dumps(LISTINGS_EVENT["detail"])            # also accepted without the envelope
    assert isinstance(parse_notification(bare), ListingsItemIssuesChangeNotification)


def _broken(base: dict, path: str, value) -> dict:
    out = copy.deepcopy(base)
    node = out
    keys = path.split(".")
    for k in keys[:-1]:
        node = node[k]
    if value is None:
        del node[keys[-1]]
    else:
        node[keys[-1]] = value
    return out


@pytest.mark.parametrize("raw, words", [
    ("{not json", "not JSON"),
    ("[1]", "JSON object"),
    ({"hello": 1}, "missing notificationType"),
    ({"notificationType": "ORDER_CHANGE"}, "not handled"),
    (ACCOUNT_STATUS.replace('"AT_RISK"', '"ON_FIRE"'), "currentAccountStatus"),
    (_broken(PRICING, "payload.offerChangeTrigger.asin", None), "asin"),
    (_broken(PRICING, "notificationMetadata", None), "notificationMetadata"),
    (_broken(LISTINGS_EVENT, "detail.Payload.Sku", None), "Sku"),
    (_broken(LISTINGS_EVENT, "detail", None), "EventBridge event has no detail"),
    (_broken(LISTINGS_EVENT, "detail", 42), "EventBridge detail must be a JSON object"),
    (_broken(LISTINGS_EVENT, "detail.EventTime", "yesterday"), "EventTime"),
])
def test_malformed_notifications_name_the_field(raw, words):
    with pytest.raises(NotificationMalformed) as err:
        parse_notification(raw)
    assert words in err.value.reason
