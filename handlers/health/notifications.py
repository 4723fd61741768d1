"""SP-API push notifications that feed red-flag alerts.

- `ACCOUNT_STATUS_CHANGED` (SQS, camelCase). Amazon's payload names neither the
  seller nor the marketplace: the consumer knows the seller from the
  subscription it arrived on. `sellerId`/`marketplaceId` are read when present;
  without a marketplace the flag goes under marketplace `ALL`.
- `PRICING_HEALTH` (SQS, camelCase): one flag per ASIN that lost Buy Box eligibility.
- `LISTINGS_ITEM_ISSUES_CHANGE` (EventBridge, PascalCase inside `detail`; payload
  versions 1.0 and 2023-12-13): opens a flag per SKU with an ERROR or an
  enforcement action, and resolves it when Amazon reports `NONE`. WARNING-only
  issues do not alert (noise).
- `LISTINGS_ITEM_STATUS_CHANGE` (the schema's enum spells it `..._CHANGED`; both
  are read), `ORDER_CHANGE`, `REPORT_PROCESSING_FINISHED`: parsed (Amazon's own
  examples must read) but they open no alert (`affects_alerts` is False). Of
  ORDER_CHANGE only ids and statuses are kept, never the buyer's details.

Every status, severity and enforcement action is read as a string: a value Amazon
adds later is handled (an unknown account status alerts like AT_RISK), not
rejected. A notification type not listed here raises `UnknownNotificationType`
(the caller acknowledges it, logging the type only); anything else we cannot read
raises `NotificationMalformed(reason)`. Reasons name the field, never a value
from the payload, so they are safe to log.

What is read is bounded before it reaches a flag id or a store key:
- a marketplace id must be one of the marketplace table (infra/accounts.py): flag ids are
  `<account>#<marketplace>#<metric>`, and an id like `#` made a flag id no reader could split;
- only this app's notifications: an EventBridge event must come from the SP-API partner event
  source, and with `application_id` set `notificationMetadata.applicationId` must be it
  (`NotThisApp`). Amazon's SQS publisher delivers for every app, so this is the filter;
- input that crashes the JSON parser (nesting past the recursion limit, an integer past
  Python's digit limit) is malformed like any other unreadable body.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)

from handlers.health.evaluate import FlagValue, RedFlag, flag_id, marketplace_key
from handlers.health.metrics import ACCOUNT_STATUS, MetricSpec, Severity
from handlers.spapi_port import JsonObject
from infra.accounts import is_marketplace_id

UNSPECIFIED_MARKETPLACE = "ALL"
# The source of every event the SP-API partner event source puts on the bus: `aws.partner/sellingpartnerapi.amazon.com/
# <AWS account>/<...>`. EventBridge refuses PutEvents with a source starting `aws.`, so nobody else can send it.
SPAPI_EVENT_SOURCE_PREFIX = "aws.partner/sellingpartnerapi.amazon.com/"
NOT_THIS_APP = "not this app's notification"
# What json.loads raises besides JSONDecodeError on hostile input: RecursionError (deep nesting), ValueError (an
# integer past sys.get_int_max_str_digits), UnicodeDecodeError (bytes), MemoryError.
_PARSER_CRASHES = (ValueError, TypeError, RecursionError, MemoryError)


class NotificationMalformed(ValueError):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class NotThisApp(NotificationMalformed):
    """Not a notification of this app: another app's applicationId, or an event from another source."""

    def __init__(self, why: str) -> None:
        super().__init__(f"{NOT_THIS_APP}: {why}")


class UnknownNotificationType(NotificationMalformed):
    """A notification type this module does not read (nothing to alert on); `notification_type` is safe to log."""

    def __init__(self, notification_type: str) -> None:
        self.notification_type = notification_type[:80]
        super().__init__(
            f"notificationType {self.notification_type!r} is not handled here; expected one of "
            f"{', '.join(sorted(_BY_TYPE))}"
        )


def _known_marketplace(value: str) -> str:
    if not is_marketplace_id(value):
        # The value is not repeated: it is Amazon's (or an attacker's) text and the reason is logged.
        raise ValueError("not a marketplace id of the marketplace table (infra/accounts.py MARKETPLACE_IDS)")
    return value


# A marketplace id as Amazon sends it (ATVPDKIKX0DER), one this bot knows: it becomes part of flag ids and keys.
MarketplaceId = Annotated[str, AfterValidator(_known_marketplace)]


class _M(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


def _a(*names: str) -> AliasChoices:
    return AliasChoices(*names)


class Metadata(_M):
    application_id: str | None = Field(default=None, validation_alias=_a("applicationId", "ApplicationId"))
    subscription_id: str | None = Field(default=None, validation_alias=_a("subscriptionId", "SubscriptionId"))
    publish_time: datetime | None = Field(default=None, validation_alias=_a("publishTime", "PublishTime"))
    notification_id: str = Field(min_length=1, validation_alias=_a("notificationId", "NotificationId"))


class _Envelope(_M):
    notification_version: str | None = Field(
        default=None, validation_alias=_a("notificationVersion", "NotificationVersion")
    )
    payload_version: str | None = Field(default=None, validation_alias=_a("payloadVersion", "PayloadVersion"))
    event_time: datetime = Field(validation_alias=_a("eventTime", "EventTime"))
    metadata: Metadata = Field(validation_alias=_a("notificationMetadata", "NotificationMetadata"))


# Documented: NORMAL, AT_RISK, DEACTIVATED; the report example also shows SUSPENDED. Any other value is kept.
Upper = Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True, min_length=1)]


class AccountStatusChange(_M):
    previous_status: Upper = Field(validation_alias=_a("previousAccountStatus", "PreviousAccountStatus"))
    current_status: Upper = Field(validation_alias=_a("currentAccountStatus", "CurrentAccountStatus"))
    seller_id: str | None = Field(default=None, validation_alias=_a("sellerId", "SellerId"))
    marketplace_id: MarketplaceId | None = Field(default=None, validation_alias=_a("marketplaceId", "MarketplaceId"))


class AccountStatusPayload(_M):
    change: AccountStatusChange = Field(
        validation_alias=_a("accountStatusChangeNotification", "AccountStatusChangeNotification")
    )


class AccountStatusChangedNotification(_Envelope):
    notification_type: Literal["ACCOUNT_STATUS_CHANGED"] = Field(
        validation_alias=_a("notificationType", "NotificationType")
    )
    payload: AccountStatusPayload = Field(validation_alias=_a("payload", "Payload"))


class Money(_M):
    amount: float
    currency_code: str = Field(validation_alias=_a("currencyCode", "CurrencyCode"))


class OfferChangeTrigger(_M):
    marketplace_id: MarketplaceId = Field(validation_alias=_a("marketplaceId", "MarketplaceId"))
    asin: str = Field(min_length=1, validation_alias=_a("asin", "Asin", "ASIN"))
    item_condition: str | None = Field(default=None, validation_alias=_a("itemCondition", "ItemCondition"))
    time_of_offer_change: datetime | None = Field(
        default=None, validation_alias=_a("timeOfOfferChange", "TimeOfOfferChange")
    )


class MerchantOffer(_M):
    landed_price: Money | None = Field(default=None, validation_alias=_a("landedPrice", "LandedPrice"))
    listing_price: Money | None = Field(default=None, validation_alias=_a("listingPrice", "ListingPrice"))
    fulfillment_type: str | None = Field(default=None, validation_alias=_a("fulfillmentType", "FulfillmentType"))


class ReferencePrice(_M):
    competitive_price_threshold: Money | None = Field(
        default=None, validation_alias=_a("competitivePriceThreshold", "CompetitivePriceThreshold")
    )


class PricingSummary(_M):
    reference_price: ReferencePrice | None = Field(
        default=None, validation_alias=_a("referencePrice", "ReferencePrice")
    )


class PricingHealthPayload(_M):
    issue_type: str = Field(min_length=1, validation_alias=_a("issueType", "IssueType"))
    seller_id: str = Field(min_length=1, validation_alias=_a("sellerId", "SellerId"))
    trigger: OfferChangeTrigger = Field(validation_alias=_a("offerChangeTrigger", "OfferChangeTrigger"))
    merchant_offer: MerchantOffer | None = Field(default=None, validation_alias=_a("merchantOffer", "MerchantOffer"))
    summary: PricingSummary | None = Field(default=None, validation_alias=_a("summary", "Summary"))


class PricingHealthNotification(_Envelope):
    notification_type: Literal["PRICING_HEALTH"] = Field(validation_alias=_a("notificationType", "NotificationType"))
    payload: PricingHealthPayload = Field(validation_alias=_a("payload", "Payload"))


class ListingsItemIssuesPayload(_M):
    seller_id: str = Field(min_length=1, validation_alias=_a("SellerId", "sellerId"))
    marketplace_id: MarketplaceId | None = Field(default=None, validation_alias=_a("MarketplaceId", "marketplaceId"))
    asin: str | None = Field(default=None, validation_alias=_a("Asin", "asin", "ASIN"))
    sku: str = Field(min_length=1, validation_alias=_a("Sku", "sku", "SKU"))
    severities: list[Upper] = Field(validation_alias=_a("Severities", "severities"))  # NONE, ERROR, WARNING
    enforcement_actions: list[Upper] = Field(
        default_factory=list, validation_alias=_a("EnforcementActions", "enforcementActions")
    )


class ListingsItemIssuesChangeNotification(_Envelope):
    notification_type: Literal["LISTINGS_ITEM_ISSUES_CHANGE"] = Field(
        validation_alias=_a("NotificationType", "notificationType")
    )
    payload: ListingsItemIssuesPayload = Field(validation_alias=_a("Payload", "payload"))


class ListingsItemStatusPayload(_M):
    seller_id: str = Field(min_length=1, validation_alias=_a("SellerId", "sellerId"))
    marketplace_id: MarketplaceId | None = Field(default=None, validation_alias=_a("MarketplaceId", "marketplaceId"))
    asin: str | None = Field(default=None, validation_alias=_a("Asin", "asin", "ASIN"))
    sku: str = Field(min_length=1, validation_alias=_a("Sku", "sku", "SKU"))
    created_date: datetime | None = Field(default=None, validation_alias=_a("CreatedDate", "createdDate"))
    status: list[Upper] = Field(validation_alias=_a("Status", "status"))  # BUYABLE, DISCOVERABLE, DELETED


class ListingsItemStatusChangeNotification(_Envelope):
    # The docs and subscriptions say LISTINGS_ITEM_STATUS_CHANGE; the schema's enum says ..._CHANGED.
    notification_type: Literal["LISTINGS_ITEM_STATUS_CHANGE", "LISTINGS_ITEM_STATUS_CHANGED"] = Field(
        validation_alias=_a("NotificationType", "notificationType")
    )
    payload: ListingsItemStatusPayload = Field(validation_alias=_a("Payload", "payload"))


class OrderChangeSummary(_M):
    """Only what identifies the order's state; the buyer's details (postal code, ...) are not kept."""

    marketplace_id: MarketplaceId | None = Field(default=None, validation_alias=_a("MarketplaceId", "marketplaceId"))
    order_status: str | None = Field(default=None, validation_alias=_a("OrderStatus", "orderStatus"))
    fulfillment_type: str | None = Field(default=None, validation_alias=_a("FulfillmentType", "fulfillmentType"))


class OrderChange(_M):
    seller_id: str = Field(min_length=1, validation_alias=_a("SellerId", "sellerId"))
    amazon_order_id: str = Field(min_length=1, validation_alias=_a("AmazonOrderId", "amazonOrderId"))
    order_change_type: str | None = Field(default=None, validation_alias=_a("OrderChangeType", "orderChangeType"))
    summary: OrderChangeSummary | None = Field(default=None, validation_alias=_a("Summary", "summary"))


class OrderChangePayload(_M):
    change: OrderChange = Field(validation_alias=_a("OrderChangeNotification", "orderChangeNotification"))


class OrderChangeNotification(_Envelope):
    notification_type: Literal["ORDER_CHANGE"] = Field(validation_alias=_a("NotificationType", "notificationType"))
    payload: OrderChangePayload = Field(validation_alias=_a("Payload", "payload"))


class ReportProcessingFinished(_M):
    seller_id: str | None = Field(default=None, validation_alias=_a("sellerId", "SellerId"))  # absent for vendors
    account_id: str = Field(min_length=1, validation_alias=_a("accountId", "AccountId"))
    report_id: str = Field(min_length=1, validation_alias=_a("reportId", "ReportId"))
    report_type: str = Field(min_length=1, validation_alias=_a("reportType", "ReportType"))
    processing_status: Upper = Field(
        validation_alias=_a("processingStatus", "ProcessingStatus")
    )  # CANCELLED, DONE, FATAL
    report_document_id: str | None = Field(default=None, validation_alias=_a("reportDocumentId", "ReportDocumentId"))


class ReportProcessingFinishedPayload(_M):
    report: ReportProcessingFinished = Field(
        validation_alias=_a("reportProcessingFinishedNotification", "ReportProcessingFinishedNotification")
    )


class ReportProcessingFinishedNotification(_Envelope):
    notification_type: Literal["REPORT_PROCESSING_FINISHED"] = Field(
        validation_alias=_a("notificationType", "NotificationType")
    )
    payload: ReportProcessingFinishedPayload = Field(validation_alias=_a("payload", "Payload"))


Notification = (
    AccountStatusChangedNotification
    | PricingHealthNotification
    | ListingsItemIssuesChangeNotification
    | ListingsItemStatusChangeNotification
    | OrderChangeNotification
    | ReportProcessingFinishedNotification
)
_BY_TYPE: dict[str, type[Notification]] = {
    "ACCOUNT_STATUS_CHANGED": AccountStatusChangedNotification,
    "PRICING_HEALTH": PricingHealthNotification,
    "LISTINGS_ITEM_ISSUES_CHANGE": ListingsItemIssuesChangeNotification,
    "LISTINGS_ITEM_STATUS_CHANGE": ListingsItemStatusChangeNotification,
    "LISTINGS_ITEM_STATUS_CHANGED": ListingsItemStatusChangeNotification,
    "ORDER_CHANGE": OrderChangeNotification,
    "REPORT_PROCESSING_FINISHED": ReportProcessingFinishedNotification,
}
ALERTING = (AccountStatusChangedNotification, PricingHealthNotification, ListingsItemIssuesChangeNotification)


def affects_alerts(notification: Notification) -> bool:
    """True for the types that open or resolve red-flag alerts; the others are read and acknowledged."""
    return isinstance(notification, ALERTING)


def seller_of(notification: Notification) -> str | None:
    """The selling partner the notification names, if any (ACCOUNT_STATUS_CHANGED often names none)."""
    payload = notification.payload
    if isinstance(payload, (AccountStatusPayload, OrderChangePayload)):
        seller = payload.change.seller_id
    elif isinstance(payload, ReportProcessingFinishedPayload):
        seller = payload.report.seller_id
    else:
        seller = payload.seller_id
    return seller or None


def _load(raw: str | bytes | JsonObject, what: str) -> JsonObject:
    if isinstance(raw, dict):
        return raw
    if not isinstance(raw, (str, bytes, bytearray)):
        raise NotificationMalformed(f"{what} must be a JSON object, got {type(raw).__name__}")
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise NotificationMalformed(f"{what} is not JSON: {exc}") from exc
    except RecursionError as exc:
        raise NotificationMalformed(f"{what} is nested too deeply to be an SP-API notification") from exc
    except _PARSER_CRASHES as exc:  # UnicodeDecodeError is a ValueError; the message may quote the input
        raise NotificationMalformed(f"{what} is not readable JSON ({type(exc).__name__})") from exc
    if not isinstance(data, dict):
        raise NotificationMalformed(f"{what} must be a JSON object, got {type(data).__name__}")
    return data


def _check_source(event: JsonObject) -> None:
    source = event.get("source")
    if not isinstance(source, str) or not source.startswith(SPAPI_EVENT_SOURCE_PREFIX):
        raise NotThisApp(f"the EventBridge source is not {SPAPI_EVENT_SOURCE_PREFIX}...")


def _check_application(data: JsonObject, application_id: str) -> None:
    meta = data.get("notificationMetadata", data.get("NotificationMetadata"))
    app = meta.get("applicationId", meta.get("ApplicationId")) if isinstance(meta, dict) else None
    if app != application_id:
        raise NotThisApp("notificationMetadata.applicationId is not SELLERBOT_SPAPI_APPLICATION_ID")


def parse_notification(raw: str | bytes | JsonObject, *, application_id: str | None = None) -> Notification:
    """An SQS message body, or an EventBridge event (the notification is its `detail`), as a typed notification.

    `application_id`: this app's id; a notification of any other app raises NotThisApp (None: any app, for local
    runs and the demo). An EventBridge event must come from the SP-API partner event source either way."""
    data = _load(raw, "notification")
    envelope_type = None
    if "detail" in data or "detail-type" in data:
        _check_source(data)
        if data.get("detail") is None:
            raise NotificationMalformed("EventBridge event has no detail; the SP-API notification belongs there")
        envelope_type = data.get("detail-type")
        data = _load(data["detail"], "EventBridge detail")
    if application_id is not None:
        # Before the type: another app's notification is parked whatever its type.
        _check_application(data, application_id)
    kind = data.get("notificationType", data.get("NotificationType"))
    if not isinstance(kind, str):
        if isinstance(envelope_type, str) and envelope_type and envelope_type not in _BY_TYPE:
            raise UnknownNotificationType(envelope_type)
        raise NotificationMalformed("missing notificationType (or NotificationType); is this an SP-API notification?")
    model = _BY_TYPE.get(kind.strip())
    if model is None:
        raise UnknownNotificationType(kind)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise NotificationMalformed(f"{kind}: {where}: {first['msg']}") from exc
    except _PARSER_CRASHES as exc:
        raise NotificationMalformed(f"{kind}: unreadable ({type(exc).__name__})") from exc


class NotificationEffect(BaseModel):
    """What a notification does to alerts: flags to open, flag ids to resolve."""

    seller_id: str | None
    open: list[RedFlag] = Field(default_factory=list)
    resolve: list[str] = Field(default_factory=list)


_PRICING = MetricSpec(
    "pricingHealth",
    "Pricing health",
    0,
    "EQUALS",
    "warning",
    "Amazon found the offer's price uncompetitive (e.g. above the competitive price threshold) and it lost Buy Box "
    "eligibility.",
    "Compare the landed price with the competitive price threshold and the Buy Box price; reprice or accept the "
    "lost Buy Box.",
)
_LISTING = MetricSpec(
    "listingIssue",
    "Listing issue",
    0,
    "EQUALS",
    "warning",
    "Amazon reports an error or enforcement action on this listing; it may be hidden or not buyable.",
    "Open Manage All Inventory > Fix listing issues for the SKU, correct the attribute or policy problem, and "
    "re-submit.",
)
_UNBUYABLE = {"LISTING_SUPPRESSED", "CATALOG_ITEM_REMOVED"}


def _flag(
    spec: MetricSpec,
    account: str,
    mkt: str,
    metric: str,
    *,
    value: FlagValue,
    target: FlagValue,
    severity: Severity,
    message: str,
    amazon_status: str | None = None,
    label: str | None = None,
) -> RedFlag:
    return RedFlag(
        flag_id=flag_id(account, mkt, metric),
        account=account,
        marketplace=mkt,
        metric=metric,
        label=label or spec.label,
        value=value,
        target=target,
        condition="EQUALS",
        severity=severity,
        message=message,
        meaning=spec.meaning,
        next_step=spec.next_step,
        amazon_status=amazon_status,
        source="notification",
    )


def effect_of(notification: Notification, account: str, marketplace: str | None = None) -> NotificationEffect:
    """Flags opened/resolved by `notification` for `account` (marketplace code or id when Amazon omits it)."""
    if isinstance(notification, AccountStatusChangedNotification):
        return _account_status_effect(notification.payload.change, account, marketplace)
    if isinstance(notification, PricingHealthNotification):
        return _pricing_effect(notification.payload, account)
    if isinstance(notification, ListingsItemIssuesChangeNotification):
        return _listing_issues_effect(notification.payload, account, marketplace)
    return NotificationEffect(seller_id=seller_of(notification))


def _account_status_effect(change: AccountStatusChange, account: str, marketplace: str | None) -> NotificationEffect:
    mkt = marketplace_key(change.marketplace_id or marketplace or UNSPECIFIED_MARKETPLACE)
    fid = flag_id(account, mkt, "accountStatus")
    if change.current_status == "NORMAL":
        return NotificationEffect(seller_id=change.seller_id, resolve=[fid])
    where = "" if mkt != UNSPECIFIED_MARKETPLACE else " (Amazon does not say which marketplace; the next check will)"
    return NotificationEffect(
        seller_id=change.seller_id,
        open=[
            _flag(
                ACCOUNT_STATUS,
                account,
                mkt,
                "accountStatus",
                value=change.current_status,
                target="NORMAL",
                severity="critical",
                amazon_status=change.current_status,
                message=f"Account status changed {change.previous_status} → {change.current_status}{where}",
            )
        ],
    )


def _pricing_effect(p: PricingHealthPayload, account: str) -> NotificationEffect:
    mkt = marketplace_key(p.trigger.marketplace_id)
    landed = p.merchant_offer.landed_price if p.merchant_offer else None
    threshold = (
        p.summary.reference_price.competitive_price_threshold if p.summary and p.summary.reference_price else None
    )
    price = f"{landed.amount:.2f} {landed.currency_code}" if landed else "unknown price"
    vs = f" vs competitive price threshold {threshold.amount:.2f} {threshold.currency_code}" if threshold else ""
    return NotificationEffect(
        seller_id=p.seller_id,
        open=[
            _flag(
                _PRICING,
                account,
                mkt,
                f"pricingHealth.{p.trigger.asin}",
                label=f"Pricing health ({p.trigger.asin})",
                value=landed.amount if landed else None,
                target=threshold.amount if threshold else None,
                severity="warning",
                amazon_status=p.issue_type,
                message=f"{p.issue_type} on ASIN {p.trigger.asin}: landed price {price}{vs}",
            )
        ],
    )


def _listing_issues_effect(p: ListingsItemIssuesPayload, account: str, marketplace: str | None) -> NotificationEffect:
    mkt = marketplace_key(p.marketplace_id or marketplace or UNSPECIFIED_MARKETPLACE)
    metric = f"listingIssue.{p.sku}"
    if "ERROR" not in p.severities and not p.enforcement_actions:
        return NotificationEffect(seller_id=p.seller_id, resolve=[flag_id(account, mkt, metric)])
    severity: Severity = "critical" if _UNBUYABLE & set(p.enforcement_actions) else "warning"
    actions = ", ".join(p.enforcement_actions) or "no enforcement yet"
    asin = f" (ASIN {p.asin})" if p.asin else ""
    return NotificationEffect(
        seller_id=p.seller_id,
        open=[
            _flag(
                _LISTING,
                account,
                mkt,
                metric,
                label=f"Listing issue ({p.sku})",
                value=",".join(p.severities),
                target="NONE",
                severity=severity,
                amazon_status=",".join(p.severities),
                message=f"Listing {p.sku}{asin}: {'/'.join(p.severities)} — {actions}",
            )
        ],
    )
