"""Orders, Solicitations, Messaging and Reports against the fake, through the factory."""

from __future__ import annotations

import json

import pytest
from sp_api.api import Messaging, Orders, Reports, Solicitations, Tokens
from sp_api.base.exceptions import (
    SellingApiBadRequestException,
    SellingApiForbiddenException,
    SellingApiNotFoundException,
)

from infra.fakes.sp_api.server import NOT_AVAILABLE_MESSAGE, WINDOW_MESSAGE
from infra.spapi import explain
from tests.functional.spapi.conftest import order_of

US, CA, UK, DE = "ATVPDKIKX0DER", "A2EUQ1WTGCTBG2", "A1F83G8C2ARO7P", "A1PA6795UKMFR9"
REVIEW = "productReviewAndSellerFeedback"


def test_orders_pagination(factory, acme):
    client = factory.client(Orders, acme, "US")
    resp = factory.call(
        "getOrders",
        acme,
        client.get_orders,
        CreatedAfter="2020-01-01T00:00:00Z",
        MaxResultsPerPage=25,
        MarketplaceIds=US,
    )
    pages = [resp.payload["Orders"]]
    while resp.next_token:
        resp = factory.call("getOrders", acme, client.get_orders, NextToken=resp.next_token, MarketplaceIds=US)
        pages.append(resp.payload["Orders"])
    assert [len(p) for p in pages] == [25, 25, 10]
    ids = [o["AmazonOrderId"] for page in pages for o in page]
    assert len(set(ids)) == 60
    purchases = [o["PurchaseDate"] for page in pages for o in page]
    assert purchases == sorted(purchases)
    assert all("BuyerEmail" not in o["BuyerInfo"] for page in pages for o in page)  # no PII without an RDT


def test_orders_filters_and_validation(factory, acme):
    client = factory.client(Orders, acme, "CA")
    shipped = factory.call(
        "getOrders",
        acme,
        client.get_orders,
        CreatedAfter="2020-01-01T00:00:00Z",
        OrderStatuses="Shipped",
        MarketplaceIds=CA,
    )
    assert {o["OrderStatus"] for o in shipped.payload["Orders"]} == {"Shipped"} and len(shipped.payload["Orders"]) == 50
    with pytest.raises(SellingApiBadRequestException):
        factory.call(
            "getOrders", acme, client.get_orders, MarketplaceIds=CA
        )  # neither CreatedAfter nor LastUpdatedAfter
    with pytest.raises(SellingApiBadRequestException) as info:
        factory.call("getOrders", acme, client.get_orders, CreatedAfter="2020-01-01T00:00:00Z", MaxResultsPerPage=101)
    assert "MaxResultsPerPage" in info.value.message


def test_order_and_items_with_promotions(factory, acme, sandbox):
    promoted = next(o for o in sandbox.orders[("acme", US)] if any(i["PromotionIds"] for i in o.items))
    client = factory.client(Orders, acme, "US")
    order = factory.call("getOrder", acme, client.get_order, promoted.order_id).payload
    assert order["AmazonOrderId"] == promoted.order_id and order["OrderTotal"]["CurrencyCode"] == "USD"
    items = factory.call("getOrderItems", acme, client.get_order_items, promoted.order_id).payload["OrderItems"]
    assert any(i["PromotionIds"] and float(i["PromotionDiscount"]["Amount"]) > 0 for i in items)
    with pytest.raises(SellingApiNotFoundException) as info:
        factory.call("getOrder", acme, client.get_order, "111-0000000-0000000")
    assert "no such order in this marketplace" in explain(info.value)


def test_buyer_email_only_with_a_restricted_data_token(factory, acme, sandbox):
    order_id = sandbox.orders[("acme", US)][0].order_id
    tokens = factory.client(Tokens, acme, "US")
    rdt = factory.call(
        "createRestrictedDataToken",
        acme,
        tokens.create_restricted_data_token,
        restrictedResources=[{"method": "GET", "path": f"/orders/v0/orders/{order_id}", "dataElements": ["buyerInfo"]}],
    ).payload["restrictedDataToken"]
    client = factory.client(Orders, acme, "US", restricted_data_token=rdt)
    order = factory.call("getOrder", acme, client.get_order, order_id).payload
    assert order["BuyerInfo"]["BuyerEmail"].endswith("@marketplace.amazon.com")


def test_solicitation_flow_with_marketplace_ids_in_the_query(fake, factory, acme, sandbox):
    order_id = order_of(sandbox, "acme", US, "eligible")
    client = factory.client(Solicitations, acme, "US")

    def actions() -> list[str]:
        resp = factory.call(
            "getSolicitationActionsForOrder",
            acme,
            client.get_solicitation_actions_for_order,
            order_id,
            marketplaceIds=US,
        )
        return [a["name"] for a in resp.payload["_links"]["actions"]]

    assert actions() == [REVIEW]
    factory.call(
        "createProductReviewAndSellerFeedbackSolicitation",
        acme,
        client.create_product_review_and_seller_feedback_solicitation,
        order_id,
        marketplaceIds=US,
    )
    assert actions() == []
    with pytest.raises(SellingApiForbiddenException) as repeat:
        factory.call(
            "createProductReviewAndSellerFeedbackSolicitation",
            acme,
            client.create_product_review_and_seller_feedback_solicitation,
            order_id,
            marketplaceIds=US,
        )
    assert repeat.value.message == NOT_AVAILABLE_MESSAGE
    assert fake.stats.requests["createProductReviewAndSellerFeedbackSolicitation"] == 2  # 403 not retried
    post = next(r for r in fake.requests if r.operation == "createProductReviewAndSellerFeedbackSolicitation")
    assert post.query["marketplaceIds"] == [US]


def test_solicitation_outside_the_window_and_library_pitfall(fake, factory, acme, sandbox):
    client = factory.client(Solicitations, acme, "US")
    for category in ("too_early", "too_late"):
        with pytest.raises(SellingApiForbiddenException) as info:
            factory.call(
                "createProductReviewAndSellerFeedbackSolicitation",
                acme,
                client.create_product_review_and_seller_feedback_solicitation,
                order_of(sandbox, "acme", US, category),
                marketplaceIds=US,
            )
        assert info.value.message == WINDOW_MESSAGE and "5-30 day range" in explain(info.value)
    # Without marketplaceIds the library sends it only in the body; Amazon (and the fake) refuse.
    with pytest.raises(SellingApiBadRequestException) as missing:
        factory.call(
            "createProductReviewAndSellerFeedbackSolicitation",
            acme,
            client.create_product_review_and_seller_feedback_solicitation,
            order_of(sandbox, "acme", US, "eligible", 1),
        )
    assert missing.value.amzn_code == "InvalidInput" and "[marketplaceIds]" in missing.value.message
    already = order_of(sandbox, "acme", US, "solicited")
    resp = factory.call(
        "getSolicitationActionsForOrder", acme, client.get_solicitation_actions_for_order, already, marketplaceIds=US
    )
    assert resp.payload["_links"]["actions"] == []


def test_order_from_another_marketplace_is_not_found(factory, acme, sandbox):
    client = factory.client(Solicitations, acme, "CA")
    with pytest.raises(SellingApiNotFoundException):
        factory.call(
            "getSolicitationActionsForOrder",
            acme,
            client.get_solicitation_actions_for_order,
            order_of(sandbox, "acme", US, "eligible"),
            marketplaceIds=CA,
        )


@pytest.mark.off_model
def test_messaging_actions_send_and_limits(fake, factory, accounts, sandbox):
    globex = accounts.get("globex")
    client = factory.client(Messaging, globex, "UK")
    order_id = order_of(sandbox, "globex", UK, "eligible")
    resp = factory.call(
        "getMessagingActionsForOrder", globex, client.get_messaging_actions_for_order, order_id, marketplaceIds=UK
    )
    names = [a["name"] for a in resp.payload["_links"]["actions"]]
    assert "confirmDeliveryDetails" in names and "negativeFeedbackRemoval" not in names and "amazonMotors" not in names
    factory.call(
        "createConfirmDeliveryDetails",
        globex,
        client.create_confirm_delivery_details,
        order_id,
        body={"text": "Your parcel is with the carrier; tracking is in your order page."},
    )
    assert [(m["order_id"], m["action"]) for m in fake.messages] == [(order_id, "confirmDeliveryDetails")]
    with pytest.raises(SellingApiBadRequestException) as long_text:
        factory.call(
            "createConfirmDeliveryDetails",
            globex,
            client.create_confirm_delivery_details,
            order_id,
            body={"text": "x" * 2001},
        )
    assert "[text]" in long_text.value.message
    assert "maxLength 2000 (got 2001 characters)" in long_text.value.error[0]["details"]
    assert [v.where for v in fake.contract_violations] == ["body text"]
    fake.contract_violations.clear()
    with pytest.raises(SellingApiNotFoundException):  # removed from Amazon's model in 2025
        client.create_negative_feedback_removal(order_id, body={})
    canceled = order_of(sandbox, "globex", UK, "canceled")
    resp = factory.call(
        "getMessagingActionsForOrder", globex, client.get_messaging_actions_for_order, canceled, marketplaceIds=UK
    )
    assert resp.payload["_links"]["actions"] == []
    attrs = factory.call("GetAttributes", globex, client.get_attributes, order_id, marketplaceIds=UK)
    assert attrs.payload["buyer"]["locale"] == "en-GB"


def _run_report(factory, account, code, report_type, **options):
    client = factory.client(Reports, account, code)
    created = factory.call(
        "createReport",
        account,
        client.create_report,
        reportType=report_type,
        marketplaceIds=[client.marketplace_id],
        **({"reportOptions": options} if options else {}),
    )
    statuses = []
    while not statuses or statuses[-1] not in ("DONE", "CANCELLED", "FATAL"):
        report = factory.call("getReport", account, client.get_report, created.payload["reportId"]).payload
        statuses.append(report["processingStatus"])
    if statuses[-1] != "DONE":
        return statuses, None
    doc = factory.call(
        "getReportDocument", account, client.get_report_document, report["reportDocumentId"], download=True
    )
    return statuses, json.loads(doc.payload["document"])


def test_seller_performance_report_for_every_pair(factory, accounts):
    flags = {}
    for account, marketplace in accounts.pairs():
        statuses, doc = _run_report(factory, account, marketplace.code, "GET_V2_SELLER_PERFORMANCE_REPORT")
        assert statuses == ["IN_QUEUE", "IN_PROGRESS", "DONE"]
        metrics = doc["performanceMetrics"][0]
        assert metrics["marketplaceId"] == marketplace.marketplace_id
        cancel = metrics.get("preFulfillmentCancellationRate") or metrics["prefulfillmentCancelRate"]
        flags[(account.account_id, marketplace.code)] = (cancel["status"], "warningStates" in metrics)
    assert flags == {
        ("acme", "US"): ("GOOD", True),
        ("acme", "CA"): ("BAD", True),
        ("globex", "UK"): ("BAD", False),
        ("globex", "DE"): ("GOOD", False),
    }


def test_promotion_and_coupon_reports(factory, accounts):
    acme, globex = accounts.get("acme"), accounts.get("globex")
    statuses, doc = _run_report(factory, acme, "US", "GET_PROMOTION_PERFORMANCE_REPORT")
    assert statuses[-1] == "DONE" and {p["type"] for p in doc["promotions"]} <= {"BEST_DEAL", "LIGHTNING_DEAL"}
    statuses, doc = _run_report(factory, globex, "DE", "GET_PROMOTION_PERFORMANCE_REPORT")
    assert statuses[-1] == "CANCELLED" and doc is None  # no data looks like a cancellation, as on Amazon
    statuses, doc = _run_report(
        factory, globex, "DE", "GET_COUPON_PERFORMANCE_REPORT", couponStartDateFrom="2000-01-01T00:00:00Z"
    )
    assert statuses[-1] == "DONE" and doc["coupons"][0]["currencyCode"] == "EUR"
