"""The fake's seeded data: deterministic, realistic IDs, the promised mix, both report key spellings."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime, timedelta, timezone

from infra.fakes.sp_api.data import SandboxData, generate_orders

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
ORDER_ID = re.compile(r"^\d{3}-\d{7}-\d{7}$")


def test_same_now_same_data() -> None:
    a, b = SandboxData.build(NOW), SandboxData.build(NOW)
    assert [o.to_json() for o in a.orders[("acme", "ATVPDKIKX0DER")]] == [
        o.to_json() for o in b.orders[("acme", "ATVPDKIKX0DER")]
    ]


def test_four_pairs_of_sixty_orders_in_the_promised_mix() -> None:
    data = SandboxData.build(NOW)
    assert sorted(data.orders) == sorted(
        [
            ("acme", "ATVPDKIKX0DER"),
            ("acme", "A2EUQ1WTGCTBG2"),
            ("globex", "A1F83G8C2ARO7P"),
            ("globex", "A1PA6795UKMFR9"),
        ]
    )
    all_ids = [o.order_id for orders in data.orders.values() for o in orders]
    assert len(all_ids) == 240 == len(set(all_ids)) and all(ORDER_ID.match(i) for i in all_ids)
    mix = Counter(o.category for o in data.orders[("globex", "A1F83G8C2ARO7P")])
    assert mix == {"eligible": 20, "too_late": 15, "too_early": 10, "solicited": 5, "canceled": 5, "unshipped": 5}


def test_categories_match_the_review_window() -> None:
    for order in SandboxData.build(NOW).orders[("acme", "ATVPDKIKX0DER")]:
        if order.category in ("eligible", "solicited", "too_early", "too_late"):
            opens = order.earliest_delivery + timedelta(days=5)
            closes = order.latest_delivery + timedelta(days=30)
            inside = opens <= NOW <= closes
            assert inside == (order.category in ("eligible", "solicited")), order
        if order.category == "canceled":
            assert "OrderTotal" not in order.to_json() and order.status == "Canceled"


def test_buyer_email_only_with_pii() -> None:
    order = SandboxData.build(NOW).orders[("acme", "ATVPDKIKX0DER")][0]
    assert order.to_json()["BuyerInfo"] == {}
    assert order.to_json(with_pii=True)["BuyerInfo"]["BuyerEmail"].endswith("@marketplace.amazon.com")


def test_generate_orders_scales() -> None:
    orders = generate_orders(2000, now=NOW)
    assert len(orders) == len({o.order_id for o in orders}) == 2000
    assert orders == sorted(orders, key=lambda o: (o.purchase, o.order_id))


def test_performance_report_uses_both_key_spellings_and_seeded_health() -> None:
    data = SandboxData.build(NOW)
    acme = data.seller_performance_report("acme", ["ATVPDKIKX0DER", "A2EUQ1WTGCTBG2"])
    us, ca = acme["performanceMetrics"]
    assert "preFulfillmentCancellationRate" in us and "warningStates" in us
    assert (
        us["accountHealthRating"]["accountHealthRatingStatus"] == "GREAT"
        and us["orderDefectRate"]["mfn"]["status"] == "GOOD"
    )
    assert (
        ca["accountHealthRating"]["accountHealthRatingStatus"] == "WARNED" and ca["lateShipmentRate"]["status"] == "BAD"
    )
    assert {s["status"] for s in acme["accountStatuses"]} == {"NORMAL", "AT_RISK"}
    uk = data.seller_performance_report("globex", ["A1F83G8C2ARO7P"])["performanceMetrics"][0]
    assert "prefulfillmentCancelRate" in uk and "warningState" in uk and "documentRequest" in uk
    assert uk["accountHealthRating"]["ahrStatus"] == "WARNED" and uk["warningState"][0]["status"] == "BAD"
    assert "unitOnTimeDeliveryRate" in us and "unitOnTimeDeliveryRate" not in uk  # US only


def test_promotion_report_parses_with_the_promo_parser_and_needs_brand_registry() -> None:
    import json

    from handlers.promo.performance import parse_performance_report

    data = SandboxData.build(NOW)
    doc = data.promotion_report("acme", ["ATVPDKIKX0DER"], {})
    report = parse_performance_report(json.dumps(doc))
    assert {p.type for p in report.promotions} <= {"BEST_DEAL", "LIGHTNING_DEAL"} and report.promotions
    assert data.promotion_report("globex", ["A1F83G8C2ARO7P"], {}) is None  # no Brand Registry: no data
    coupons = data.coupon_report("globex", ["A1F83G8C2ARO7P"], {})
    assert coupons["coupons"] and all(c["currencyCode"] == "GBP" for c in coupons["coupons"])
