"""Deterministic sandbox data for the fake SP-API: orders, report documents, credentials.

Same `now` and seed give the same data, byte for byte; dates are relative to `now`
so the review window (5 days after EarliestDeliveryDate to 30 days after
LatestDeliveryDate) always has orders on both sides of it.

Per (account, marketplace), from the demo accounts file: ~60 orders in a fixed mix
(per 12: 4 eligible, 1 eligible but already solicited, 2 too early, 3 too late,
1 canceled, 1 unshipped). Delivery "age" = days since EarliestDeliveryDate;
LatestDeliveryDate is 2 days after EarliestDeliveryDate.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, TypedDict

from infra.accounts import MARKETPLACE_CODES, MARKETPLACE_IDS, AccountConfig, AccountsConfig, load_accounts

DEMO_LWA_APP_ID = "amzn1.application-oa2-client.demo"
DEMO_LWA_CLIENT_SECRET = "demo-secret"
DEMO_REFRESH_TOKENS = {"acme": "Atzr|demo-acme", "globex": "Atzr|demo-globex"}
DEFAULT_SEED = 20261124
ORDERS_PER_PAIR = 60

Category = Literal["eligible", "solicited", "too_early", "too_late", "canceled", "unshipped"]
# One cycle of 12 orders; 60 orders = 5 cycles (20 eligible, 5 solicited, 10 early, 15 late, 5, 5).
CATEGORY_CYCLE: tuple[Category, ...] = (
    "eligible",
    "too_late",
    "too_early",
    "eligible",
    "eligible",
    "too_late",
    "solicited",
    "too_early",
    "eligible",
    "too_late",
    "canceled",
    "unshipped",
)
ORDER_ID_PREFIXES = {
    "US": ("111", "112", "113", "114"),
    "CA": ("701", "702"),
    "MX": ("701",),
    "UK": ("202", "203", "204", "205", "206"),
    "DE": ("302", "303", "304", "305", "306"),
    "FR": ("402", "403", "404"),
    "IT": ("402", "403"),
    "ES": ("402", "403"),
    "JP": ("503", "249"),
}
CURRENCIES = {
    "US": "USD",
    "CA": "CAD",
    "MX": "MXN",
    "UK": "GBP",
    "DE": "EUR",
    "FR": "EUR",
    "IT": "EUR",
    "ES": "EUR",
    "JP": "JPY",
}
SALES_CHANNELS = {
    "US": "Amazon.com",
    "CA": "Amazon.ca",
    "MX": "Amazon.com.mx",
    "UK": "Amazon.co.uk",
    "DE": "Amazon.de",
    "FR": "Amazon.fr",
    "IT": "Amazon.it",
    "ES": "Amazon.es",
    "JP": "Amazon.co.jp",
}


def iso(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _rng(*parts: object) -> random.Random:
    return random.Random(":".join(str(p) for p in parts))


@dataclass
class FakeOrder:
    order_id: str
    account_id: str
    marketplace_id: str
    category: Category
    status: str  # Shipped | Unshipped | Canceled
    purchase: datetime
    last_update: datetime
    earliest_delivery: datetime | None
    latest_delivery: datetime | None
    fulfillment: str  # AFN | MFN
    currency: str
    total: str
    items: list[dict[str, Any]]
    buyer_email: str
    solicited: bool = False
    is_prime: bool = False

    def to_json(self, *, with_pii: bool = False) -> dict[str, Any]:
        """Orders v0 `Order`. Buyer e-mail only under a Restricted Data Token, as Amazon does."""
        code = MARKETPLACE_CODES.get(self.marketplace_id, "US")
        shipped = sum(int(i["QuantityShipped"]) for i in self.items)
        ordered = sum(int(i["QuantityOrdered"]) for i in self.items)
        out: dict[str, Any] = {
            "AmazonOrderId": self.order_id,
            "PurchaseDate": iso(self.purchase),
            "LastUpdateDate": iso(self.last_update),
            "OrderStatus": self.status,
            "FulfillmentChannel": self.fulfillment,
            "SalesChannel": SALES_CHANNELS.get(code, "Amazon.com"),
            "ShipServiceLevel": "Std US D2D Dom" if code == "US" else "Std Intl",
            "NumberOfItemsShipped": shipped,
            "NumberOfItemsUnshipped": 0 if self.status == "Canceled" else ordered - shipped,
            "PaymentMethod": "Other",
            "PaymentMethodDetails": ["Standard"],
            "MarketplaceId": self.marketplace_id,
            "ShipmentServiceLevelCategory": "Standard",
            "OrderType": "StandardOrder",
            "EarliestShipDate": iso(self.purchase + timedelta(hours=12)),
            "LatestShipDate": iso(self.purchase + timedelta(days=2)),
            "IsBusinessOrder": False,
            "IsPrime": self.is_prime,
            "IsPremiumOrder": False,
            "IsGlobalExpressEnabled": False,
            "IsReplacementOrder": False,
            "IsSoldByAB": False,
            "IsISPU": False,
            "IsAccessPointOrder": False,
            "HasRegulatedItems": False,
            "BuyerInfo": {},
        }
        if self.status != "Canceled":
            out["OrderTotal"] = {"CurrencyCode": self.currency, "Amount": self.total}
        # Orders v0: the delivery dates are "only returned for seller-fulfilled orders"; Amazon
        # still knows them for FBA (AFN) orders, and so does this fake's review window.
        if self.fulfillment == "MFN" and self.earliest_delivery is not None and self.latest_delivery is not None:
            out["EarliestDeliveryDate"] = iso(self.earliest_delivery)
            out["LatestDeliveryDate"] = iso(self.latest_delivery)
        if with_pii:
            out["BuyerInfo"] = {"BuyerEmail": self.buyer_email}
        return out

    @classmethod
    def delivered(
        cls,
        order_id: str,
        *,
        days_ago: float,
        now: datetime,
        account_id: str = "acme",
        marketplace_code: str = "US",
        fulfillment: str = "MFN",
        status: str = "Shipped",
    ) -> FakeOrder:
        """One order delivered `days_ago` days before `now` (LatestDeliveryDate; the earliest is a day
        before), with one item of the account's demo catalog, for tests that need exact orders."""
        code = marketplace_code.upper()
        latest = (now - timedelta(days=days_ago)).replace(microsecond=0)
        purchase = latest - timedelta(days=4)
        currency = CURRENCIES.get(code, "USD")
        shipped = status == "Shipped"
        items = _items(_rng("delivered", order_id), _catalog(account_id), currency, shipped, [])
        total = sum(float(it["ItemPrice"]["Amount"]) for it in items)
        category: Category = (
            "canceled"
            if status == "Canceled"
            else "unshipped"
            if not shipped
            else ("too_early" if days_ago + 1 < 5 else "too_late" if days_ago > 30 else "eligible")
        )
        return cls(
            order_id=order_id,
            account_id=account_id,
            marketplace_id=MARKETPLACE_IDS[code],
            category=category,
            status=status,
            purchase=purchase,
            last_update=purchase + timedelta(days=1),
            earliest_delivery=None if status == "Canceled" else latest - timedelta(days=1),
            latest_delivery=None if status == "Canceled" else latest,
            fulfillment=fulfillment,
            currency=currency,
            total=f"{total:.2f}",
            items=items,
            buyer_email=hashlib.sha1(order_id.encode()).hexdigest()[:16] + "@marketplace.amazon.com",
        )

    def items_json(self) -> dict[str, Any]:
        return {"AmazonOrderId": self.order_id, "OrderItems": self.items}


def _order_id(rng: random.Random, code: str, used: set[str]) -> str:
    prefixes = ORDER_ID_PREFIXES.get(code, ("111",))
    while True:
        oid = f"{rng.choice(prefixes)}-{rng.randrange(10**7):07d}-{rng.randrange(10**7):07d}"
        if oid not in used:
            used.add(oid)
            return oid


def _catalog(account_id: str) -> list[dict[str, str]]:
    rng = _rng("catalog", account_id)
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
    names = [
        "Trail Mug",
        "Camp Lantern",
        "Dry Bag 20L",
        "Trekking Pole",
        "Fleece Blanket",
        "Water Filter",
        "Head Torch",
        "Sleeping Mat",
        "Pan Set",
        "Rain Poncho",
    ]
    return [
        {
            "ASIN": "B0" + "".join(rng.choice(alphabet) for _ in range(8)),
            "SellerSKU": f"{account_id[:3].upper()}-{i:04d}",
            "Title": f"{account_id.title()} {name}",
            "price": f"{rng.uniform(8, 120):.2f}",
        }
        for i, name in enumerate(names)
    ]


# --- Catalog Items 2022-04-01 ------------------------------------------------------------------

# summaries[].brand of each demo account's products. acme's is its AccountConfig.brand; globex has no
# Brand Registry (so no AccountConfig.brand), but its products still carry a brand in the catalog.
DEMO_BRANDS = {"acme": "Acme Outdoor", "globex": "Globex Home"}
# Another seller's brand, listed in every marketplace: the "not your brand" case.
OTHER_BRAND = "Northwind Trail"
OTHER_BRAND_NAMES = ("Summit Tent 2P", "Trail Runner Socks", "Bivy Sack")


@dataclass(frozen=True)
class CatalogItem:
    """One product of the fake catalog, listed in `marketplace_ids` only (an ASIN can exist in US, not CA)."""

    asin: str
    title: str
    brand: str
    marketplace_ids: frozenset[str]

    def summary(self, marketplace_id: str) -> dict[str, Any]:
        """Its `ItemSummaryByMarketplace` (the summaries dataset) in one marketplace."""
        return {
            "marketplaceId": marketplace_id,
            "brand": self.brand,
            "itemClassification": "BASE_PRODUCT",
            "itemName": self.title,
            "manufacturer": self.brand,
        }


def catalog_items(account: AccountConfig) -> list[CatalogItem]:
    """The account's products in the catalog: the items its orders hold, in all its marketplaces,
    except the last one, listed only in its first marketplace."""
    brand = DEMO_BRANDS.get(account.account_id) or account.brand or account.name
    everywhere = frozenset(m.marketplace_id for m in account.marketplaces)
    first = frozenset(m.marketplace_id for m in account.marketplaces[:1])
    products = _catalog(account.account_id)
    return [
        CatalogItem(p["ASIN"], p["Title"], brand, first if n == len(products) - 1 else everywhere)
        for n, p in enumerate(products)
    ]


def demo_asin(account_id: str = "acme", n: int = 0) -> str:
    """The ASIN of a demo account's n-th product in the fake catalog (listed in all its marketplaces
    for n < 9): what tests, benches and README examples request promotions for."""
    account = load_accounts().get(account_id)
    if account is None:
        raise KeyError(f"no demo account {account_id}")
    return catalog_items(account)[n].asin


def other_brand_items() -> list[CatalogItem]:
    """Products of OTHER_BRAND, in every marketplace."""
    rng = _rng("catalog", "other-brand")
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
    everywhere = frozenset(MARKETPLACE_IDS.values())
    return [
        CatalogItem(
            "B0" + "".join(rng.choice(alphabet) for _ in range(8)), f"{OTHER_BRAND} {name}", OTHER_BRAND, everywhere
        )
        for name in OTHER_BRAND_NAMES
    ]


def build_catalog(accounts: AccountsConfig) -> dict[str, CatalogItem]:
    """ASIN -> item: every account's products and OTHER_BRAND's."""
    items = [i for a in accounts.accounts for i in catalog_items(a)] + other_brand_items()
    return {i.asin: i for i in items}


def _items(
    rng: random.Random, catalog: list[dict[str, str]], currency: str, shipped: bool, promo_ids: list[str]
) -> list[dict[str, Any]]:
    items = []
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        product = rng.choice(catalog)
        qty = rng.choice((1, 1, 2))
        price = float(product["price"]) * qty
        promo = bool(promo_ids) and rng.random() < 0.25
        discount = round(price * 0.1, 2) if promo else 0.0
        items.append(
            {
                "ASIN": product["ASIN"],
                "SellerSKU": product["SellerSKU"],
                "OrderItemId": f"{rng.randrange(10**13, 10**14)}",
                "Title": product["Title"],
                "QuantityOrdered": qty,
                "QuantityShipped": qty if shipped else 0,
                "ItemPrice": {"CurrencyCode": currency, "Amount": f"{price:.2f}"},
                "ItemTax": {"CurrencyCode": currency, "Amount": "0.00"},
                "PromotionDiscount": {"CurrencyCode": currency, "Amount": f"{discount:.2f}"},
                "PromotionDiscountTax": {"CurrencyCode": currency, "Amount": "0.00"},
                "PromotionIds": [rng.choice(promo_ids)] if promo else [],
                "IsGift": "false",
                "ConditionId": "New",
                "ConditionSubtypeId": "New",
            }
        )
    return items


def generate_orders(
    count: int = 2000,
    *,
    account_id: str = "acme",
    marketplace_code: str = "US",
    now: datetime | None = None,
    seed: int = DEFAULT_SEED,
    used_ids: set[str] | None = None,
) -> list[FakeOrder]:
    """`count` orders for one account-marketplace in the CATEGORY_CYCLE mix, oldest purchase first."""
    now = now or datetime.now(UTC)
    code = marketplace_code.upper()
    marketplace_id = MARKETPLACE_IDS[code]
    currency = CURRENCIES.get(code, "USD")
    rng = _rng(seed, account_id, code, count)
    used = used_ids if used_ids is not None else set()
    catalog = _catalog(account_id)
    promo_ids = [f"{account_id.upper()}-SPRING10", f"{account_id.upper()}-VIP15", "Free Shipping"]
    orders: list[FakeOrder] = []
    for i in range(count):
        category = CATEGORY_CYCLE[i % len(CATEGORY_CYCLE)]
        status, purchase, last_update, earliest, latest = _timeline(rng, category, now)
        shipped = status == "Shipped"
        items = _items(rng, catalog, currency, shipped, promo_ids)
        total = sum(float(it["ItemPrice"]["Amount"]) - float(it["PromotionDiscount"]["Amount"]) for it in items)
        order_id = _order_id(rng, code, used)
        orders.append(
            FakeOrder(
                order_id=order_id,
                account_id=account_id,
                marketplace_id=marketplace_id,
                category=category,
                status=status,
                purchase=purchase,
                last_update=last_update,
                earliest_delivery=earliest.replace(microsecond=0) if earliest else None,
                latest_delivery=latest.replace(microsecond=0) if latest else None,
                fulfillment="AFN" if rng.random() < 0.6 else "MFN",
                currency=currency,
                total=f"{total:.2f}",
                items=items,
                buyer_email=hashlib.sha1(order_id.encode()).hexdigest()[:16] + "@marketplace.amazon.com",
                solicited=category == "solicited",
                is_prime=rng.random() < 0.5,
            )
        )
    orders.sort(key=lambda o: (o.purchase, o.order_id))
    return orders


def _timeline(
    rng: random.Random, category: Category, now: datetime
) -> tuple[str, datetime, datetime, datetime | None, datetime | None]:
    """(status, purchase, last update, earliest delivery, latest delivery) of an order in `category`.

    Purchase and last update are to the second, as Amazon serves them, so filters and output agree."""
    earliest: datetime | None
    latest: datetime | None
    if category == "unshipped":
        purchase = now - timedelta(days=rng.uniform(0.1, 2.0))
        earliest, latest = now + timedelta(days=2), now + timedelta(days=5)
        status, last_update = "Unshipped", purchase
    elif category == "canceled":
        purchase = now - timedelta(days=rng.uniform(2, 40))
        earliest = latest = None
        status, last_update = "Canceled", purchase + timedelta(hours=rng.uniform(1, 20))
    else:
        age = {"too_early": (1.0, 4.5), "too_late": (33.0, 60.0)}.get(category, (5.5, 29.0))
        earliest = now - timedelta(days=rng.uniform(*age))
        latest = earliest + timedelta(days=2)
        purchase = earliest - timedelta(days=rng.uniform(3, 7))
        status, last_update = "Shipped", purchase + timedelta(days=1)
    return status, purchase.replace(microsecond=0), last_update.replace(microsecond=0), earliest, latest


# --- report documents -------------------------------------------------------------------------


def _range(now: datetime, days: int) -> dict[str, str]:
    return {
        "reportingDateFrom": (now - timedelta(days=days)).strftime("%Y-%m-%dT00:00Z"),
        "reportingDateTo": (now - timedelta(days=1)).strftime("%Y-%m-%dT23:59Z"),
    }


def _rate(now: datetime, days: int, rate: float, target: float, condition: str, **counts: Any) -> dict[str, Any]:
    good = rate < target if condition == "LESS_THAN" else rate > target
    return {
        "reportingDateRange": _range(now, days),
        **counts,
        "status": "GOOD" if good else "BAD",
        "rate": rate,
        "targetValue": target,
        "targetCondition": condition,
    }


def _violation(now: datetime, count: int) -> dict[str, Any]:
    return {
        "reportingDateRange": _range(now, 180),
        "defectsCount": count,
        "status": "BAD" if count else "GOOD",
        "targetValue": 0,
        "targetCondition": "EQUALS",
    }


def _order_defect_rate(now: datetime, kind: str, *, healthy: bool) -> dict[str, Any]:
    rate, orders = (0.0021 if healthy else 0.0142), 4120
    defects = round(orders * rate)
    return {
        **_rate(
            now,
            60,
            rate,
            0.01,
            "LESS_THAN",
            orderCount=orders,
            orderWithDefects={"count": defects, "status": "GOOD" if healthy else "BAD"},
            claims={"count": defects // 2, "status": "NONE"},
            chargebacks={"count": defects // 4, "status": "NONE"},
            negativeFeedback={"count": defects - defects // 2 - defects // 4, "status": "NONE"},
        ),
        "fulfillmentType": kind,
    }


def _shipping_metrics(now: datetime, *, healthy: bool) -> dict[str, Any]:
    """lateShipmentRate, validTrackingRate and onTimeDeliveryRate, in that order."""
    return {
        "lateShipmentRate": _rate(
            now,
            30,
            0.011 if healthy else 0.061,
            0.04,
            "LESS_THAN",
            orderCount=3500,
            lateShipmentCount=38 if healthy else 213,
        ),
        "validTrackingRate": _rate(
            now,
            30,
            0.991 if healthy else 0.912,
            0.95,
            "GREATER_THAN",
            shipmentCount=3400,
            validTrackingCount=3369 if healthy else 3100,
        ),
        "onTimeDeliveryRate": _rate(
            now,
            30,
            0.972 if healthy else 0.871,
            0.9,
            "GREATER_THAN",
            shipmentCountWithValidTracking=3369,
            onTimeDeliveryCount=3274 if healthy else 2934,
        ),
    }


def _policy_violations(now: datetime, *, healthy: bool) -> dict[str, Any]:
    """The policy-compliance counts, in the report's order."""
    return {
        "listingPolicyViolations": _violation(now, 0 if healthy else 2),
        "productAuthenticityCustomerComplaints": _violation(now, 0 if healthy else 1),
        "productConditionCustomerComplaints": _violation(now, 0),
        "productSafetyCustomerComplaints": _violation(now, 0),
        "receivedIntellectualPropertyComplaints": _violation(now, 0 if healthy else 1),
        "foodAndProductSafetyIssues": _violation(now, 0),
        "otherPolicyViolations": _violation(now, 0),
        "restrictedProductPolicyViolations": _violation(now, 0),
        "suspectedIntellectualPropertyViolations": _violation(now, 0 if healthy else 1),
    }


def performance_metrics(
    now: datetime, marketplace_id: str, *, healthy: bool, spelling: Literal["schema", "example"]
) -> dict[str, Any]:
    """One `performanceMetrics[]` entry of GET_V2_SELLER_PERFORMANCE_REPORT.

    spelling="schema" uses the schema's property names (preFulfillmentCancellationRate,
    warningStates, accountHealthRatingStatus, documentRequests); "example" uses the names in
    Amazon's own sample (prefulfillmentCancelRate, warningState, ahrStatus, documentRequest)."""
    rating: dict[str, Any] = {"reportingDateRange": _range(now, 180)}
    metrics: dict[str, Any] = {
        "marketplaceId": marketplace_id,
        "orderDefectRate": {
            "mfn": _order_defect_rate(now, "mfn", healthy=healthy),
            "afn": _order_defect_rate(now, "afn", healthy=healthy),
        },
        **_shipping_metrics(now, healthy=healthy),
        "invoiceDefectRate": {
            **_rate(now, 7, 0.0 if healthy else 0.012, 0.05, "LESS_THAN", orderCount=640),
            "invoiceDefect": {"count": 0 if healthy else 8, "status": "GOOD"},
            "missingInvoice": {"count": 0 if healthy else 5, "status": "NONE"},
            "lateInvoice": {"count": 0 if healthy else 3, "status": "NONE"},
        },
        "accountHealthRating": rating,
        **_policy_violations(now, healthy=healthy),
    }
    if marketplace_id == MARKETPLACE_IDS["US"]:  # "Only available in the US marketplace"
        metrics["unitOnTimeDeliveryRate"] = _rate(
            now,
            30,
            0.95 if healthy else 0.84,
            0.9,
            "GREATER_THAN",
            unitOnTimeDeliveryCount=950 if healthy else 840,
            totalUnitCount=1000,
        )
    cancel = _rate(
        now, 7, 0.003 if healthy else 0.031, 0.025, "LESS_THAN", orderCount=880, cancellationCount=3 if healthy else 27
    )
    warnings = [] if healthy else [{"warningType": "spammingSellerMessaging", "status": "BAD"}]
    ahr = "GREAT" if healthy else "WARNED"
    if spelling == "schema":
        metrics["preFulfillmentCancellationRate"] = cancel
        metrics["warningStates"] = warnings
        rating["accountHealthRatingStatus"] = ahr
        metrics["documentRequests"] = _violation(now, 0)
    else:
        metrics["documentRequest"] = _violation(now, 0)
        metrics["prefulfillmentCancelRate"] = cancel
        metrics["warningState"] = warnings
        rating["ahrStatus"] = ahr
        # Not documented by Amazon; third-party parsers read it (sp-api.md §2.2).
        rating["ahrScore"] = 320 if healthy else 180
    return metrics


@dataclass(frozen=True)
class HealthSeed:
    healthy: bool
    spelling: Literal["schema", "example"]


# acme uses the schema's key names, globex those of Amazon's example: parsers must take both.
HEALTH: dict[tuple[str, str], HealthSeed] = {
    ("acme", "US"): HealthSeed(healthy=True, spelling="schema"),
    ("acme", "CA"): HealthSeed(healthy=False, spelling="schema"),
    ("globex", "UK"): HealthSeed(healthy=False, spelling="example"),
    ("globex", "DE"): HealthSeed(healthy=True, spelling="example"),
}


@dataclass
class SandboxData:
    now: datetime
    accounts: AccountsConfig
    orders: dict[tuple[str, str], list[FakeOrder]]  # (account_id, marketplace_id) -> orders, oldest first
    refresh_tokens: dict[str, str]  # refresh token -> account_id
    lwa_app_id: str = DEMO_LWA_APP_ID
    lwa_client_secret: str = DEMO_LWA_CLIENT_SECRET
    health: dict[tuple[str, str], HealthSeed] = field(default_factory=lambda: dict(HEALTH))
    catalog: dict[str, CatalogItem] = field(default_factory=dict)  # ASIN -> item (build_catalog)
    _by_id: dict[tuple[str, str], FakeOrder] = field(default_factory=dict, repr=False)

    @classmethod
    def build(
        cls,
        now: datetime | None = None,
        *,
        accounts: AccountsConfig | None = None,
        orders_per_pair: int = ORDERS_PER_PAIR,
        seed: int = DEFAULT_SEED,
        refresh_tokens: dict[str, str] | None = None,
    ) -> SandboxData:
        now = (now or datetime.now(UTC)).replace(microsecond=0)
        accounts = accounts or load_accounts()
        used: set[str] = set()
        orders = {
            (a.account_id, m.marketplace_id): generate_orders(
                orders_per_pair, account_id=a.account_id, marketplace_code=m.code, now=now, seed=seed, used_ids=used
            )
            for a, m in accounts.pairs()
        }
        tokens = refresh_tokens or {
            DEMO_REFRESH_TOKENS.get(a.account_id, f"Atzr|demo-{a.account_id}"): a.account_id for a in accounts.accounts
        }
        data = cls(now=now, accounts=accounts, orders=orders, refresh_tokens=tokens, catalog=build_catalog(accounts))
        data.reindex()
        return data

    def reindex(self) -> None:
        self._by_id = {(o.account_id, o.order_id): o for orders in self.orders.values() for o in orders}

    def add_orders(self, orders: list[FakeOrder]) -> None:
        for order in orders:
            self.orders.setdefault((order.account_id, order.marketplace_id), []).append(order)
        for key in {(o.account_id, o.marketplace_id) for o in orders}:
            self.orders[key].sort(key=lambda o: (o.purchase, o.order_id))
        self.reindex()

    def find_order(self, account_id: str, order_id: str) -> FakeOrder | None:
        return self._by_id.get((account_id, order_id))

    def account_marketplaces(self, account_id: str) -> list[str]:
        account = self.accounts.get(account_id)
        return [m.marketplace_id for m in account.marketplaces] if account else []

    # -- reports ------------------------------------------------------------------------------

    def seller_performance_report(self, account_id: str, marketplace_ids: list[str]) -> dict[str, Any] | None:
        account = self.accounts.get(account_id)
        if account is None:
            return None
        statuses, metrics = [], []
        for m in account.marketplaces:
            seed = self.health.get((account_id, m.code), HealthSeed(healthy=True, spelling="schema"))
            statuses.append({"marketplaceId": m.marketplace_id, "status": "NORMAL" if seed.healthy else "AT_RISK"})
            if m.marketplace_id in marketplace_ids:
                metrics.append(
                    performance_metrics(self.now, m.marketplace_id, healthy=seed.healthy, spelling=seed.spelling)
                )
        return {"accountStatuses": statuses, "performanceMetrics": metrics} if metrics else None

    def promotion_report(
        self, account_id: str, marketplace_ids: list[str], options: dict[str, str]
    ) -> dict[str, Any] | None:
        """Best Deal / Lightning Deal only (all Amazon reports for sellers); None = no data (CANCELLED).
        Sellers without Brand Registry get no data: the report needs it."""
        account = self.accounts.get(account_id)
        if account is None or not account.brand_registry:
            return None
        low, high = _option_range(options, "promotionStartDateFrom", "promotionStartDateTo", self.now)
        catalog = _catalog(account_id)
        promotions = []
        for marketplace_id in marketplace_ids:
            rng = _rng("promo", account_id, MARKETPLACE_CODES.get(marketplace_id, "US"))
            for n, (kind, days_ago) in enumerate((("BEST_DEAL", 20), ("LIGHTNING_DEAL", 9), ("BEST_DEAL", 3))):
                start = (self.now - timedelta(days=days_ago)).replace(hour=8, minute=0, second=0)
                if low <= start <= high:
                    promotions.append(_promotion(rng, catalog, account, marketplace_id, n, kind, start, days_ago))
        if not promotions:
            return None
        # The document states the range it covers, asked for or not (the schema requires both options).
        covered = {"promotionStartDateFrom": iso(low), "promotionStartDateTo": iso(high), **options}
        return {
            "reportSpecification": {
                "reportType": "GET_PROMOTION_PERFORMANCE_REPORT",
                "reportOptions": covered,
                "marketplaceIds": marketplace_ids,
            },
            "promotions": promotions,
        }

    def coupon_report(
        self, account_id: str, marketplace_ids: list[str], options: dict[str, str]
    ) -> dict[str, Any] | None:
        account = self.accounts.get(account_id)
        if account is None:
            return None
        low, high = _option_range(options, "couponStartDateFrom", "couponStartDateTo", self.now)
        catalog = _catalog(account_id)
        coupons = []
        for marketplace_id in marketplace_ids:
            rng = _rng("coupon", account_id, MARKETPLACE_CODES.get(marketplace_id, "US"))
            for n, (pct, days_ago) in enumerate(((10, 25), (15, 6))):
                start = (self.now - timedelta(days=days_ago)).replace(hour=0, minute=0, second=0)
                if low <= start <= high:
                    coupons.append(_coupon(rng, catalog, account, marketplace_id, n, pct, start))
        if not coupons:
            return None
        return {
            "reportSpecification": {
                "reportType": "GET_COUPON_PERFORMANCE_REPORT",
                "reportOptions": options,
                "marketplaceIds": marketplace_ids,
            },
            "coupons": coupons,
        }


class _PromotionProduct(TypedDict):
    """One `includedProducts[]` entry of GET_PROMOTION_PERFORMANCE_REPORT."""

    asin: str
    productName: str
    productGlanceViews: int
    productUnitsSold: int
    productAmountSpent: float
    productRevenue: float
    productRevenueCurrencyCode: str


def _promotion_products(rng: random.Random, catalog: list[dict[str, str]], currency: str) -> list[_PromotionProduct]:
    products: list[_PromotionProduct] = []
    for product in rng.sample(catalog, 2):
        units = rng.randrange(5, 80)
        products.append(
            {
                "asin": product["ASIN"],
                "productName": product["Title"],
                "productGlanceViews": units * rng.randrange(8, 30),
                "productUnitsSold": units,
                "productAmountSpent": round(units * 0.5, 2),
                "productRevenue": round(units * float(product["price"]) * 0.8, 2),
                "productRevenueCurrencyCode": currency,
            }
        )
    return products


def _promotion(
    rng: random.Random,
    catalog: list[dict[str, str]],
    account: AccountConfig,
    marketplace_id: str,
    n: int,
    kind: str,
    start: datetime,
    days_ago: int,
) -> dict[str, Any]:
    """The `n`th deal of `kind` in one marketplace: one `promotions[]` entry of the promotion report."""
    code = MARKETPLACE_CODES.get(marketplace_id, "US")
    currency = CURRENCIES.get(code, "USD")
    products = _promotion_products(rng, catalog, currency)
    return {
        "promotionId": f"{account.account_id[:3].upper()}{code}PROMO{n:03d}",
        "promotionName": f"{account.name} {kind.replace('_', ' ').title()} {n + 1}",
        "merchantId": account.seller_id,
        "type": kind,
        "status": "APPROVED" if days_ago > 5 else "PENDING_APPROVAL",
        "glanceViews": sum(p["productGlanceViews"] for p in products),
        "unitsSold": sum(p["productUnitsSold"] for p in products),
        "revenue": round(sum(p["productRevenue"] for p in products), 2),
        "revenueCurrencyCode": currency,
        "amountSpent": round(sum(p["productAmountSpent"] for p in products), 2),
        "startDateTime": iso(start),
        "endDateTime": iso(start + timedelta(hours=12 if kind == "LIGHTNING_DEAL" else 168)),
        "createdDateTime": iso(start - timedelta(days=14)),
        "lastUpdatedDateTime": iso(start - timedelta(days=1)),
        "creationChannel": "SELF-SERVICE",
        "marketplaceId": marketplace_id,
        "includedProducts": products,
    }


def _coupon(
    rng: random.Random,
    catalog: list[dict[str, str]],
    account: AccountConfig,
    marketplace_id: str,
    n: int,
    pct: int,
    start: datetime,
) -> dict[str, Any]:
    """The `n`th coupon (`pct`% off) in one marketplace: one `coupons[]` entry of the coupon report."""
    code = MARKETPLACE_CODES.get(marketplace_id, "US")
    redemptions = rng.randrange(3, 60)
    budget = 500.0
    spent = round(redemptions * 0.6 + redemptions * 2.5, 2)
    return {
        "couponId": f"{account.account_id[:3].upper()}{code}CPN{n:03d}",
        "promotionsApiMappingId": str(_uuid(rng)),
        "merchantId": account.seller_id,
        "marketplaceId": marketplace_id,
        "currencyCode": CURRENCIES.get(code, "USD"),
        "name": f"Save {pct}% on {catalog[n]['Title']}",
        "websiteMessage": f"Save {pct}%",
        "startDateTime": iso(start),
        "endDateTime": iso(start + timedelta(days=30)),
        "customerSegment": "All (Default)",
        "discountType": "PERCENT_OFF_LIST_PRICE",
        "discountAmount": pct,
        "clips": redemptions * rng.randrange(2, 6),
        "redemptions": redemptions,
        "budget": budget,
        "totalDiscount": round(redemptions * 2.5, 2),
        "budgetSpent": spent,
        "budgetRemaining": round(budget - spent, 2),
        "budgetPercentageUsed": round(100 * spent / budget, 2),
        "sales": round(redemptions * float(catalog[n]["price"]) * (1 - pct / 100), 2),
        "asins": [{"asin": catalog[n]["ASIN"]}],
    }


def _uuid(rng: random.Random) -> str:
    h = f"{rng.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def parse_time(value: str) -> datetime:
    parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _option_range(options: dict[str, str], low_key: str, high_key: str, now: datetime) -> tuple[datetime, datetime]:
    low = parse_time(options[low_key]) if options.get(low_key) else now - timedelta(days=730)
    high = parse_time(options[high_key]) if options.get(high_key) else now + timedelta(days=1)
    return low, high
