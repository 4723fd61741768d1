"""Amazon's documented default usage plans (rate in requests/second, burst) per SP-API operation.

Source: the usage-plan tables in amzn/selling-partner-api-models (see
/work/shared/reference/sp-api.md §5). Amazon may grant a seller more; the
`x-amzn-RateLimit-Limit` response header carries the live value, and the
limiter adopts it when it appears. Both the client-side limiter and the fake
SP-API server read this one table, so tests and production agree.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, Field


class OperationRate(BaseModel):
    model_config = ConfigDict(frozen=True)

    rate: float = Field(gt=0, description="sustained requests per second")
    burst: int = Field(ge=1, description="bucket size: requests allowed back to back")


def _r(rate: float, burst: int) -> OperationRate:
    return OperationRate(rate=rate, burst=burst)


_MESSAGING = _r(1, 5)
_NOTIFICATIONS = _r(1, 5)

DEFAULT_RATES: Mapping[str, OperationRate] = {
    # Reports 2021-06-30 (models/reports-api-model/reports_2021-06-30.json)
    "createReport": _r(0.0167, 15),
    "getReport": _r(2, 15),
    "getReportDocument": _r(0.0167, 15),
    "getReports": _r(0.0222, 10),
    "cancelReport": _r(0.0222, 10),
    # Solicitations (models/solicitations-api-model/solicitations.json)
    "createProductReviewAndSellerFeedbackSolicitation": _r(1, 5),
    "getSolicitationActionsForOrder": _r(1, 5),
    # Messaging (models/messaging-api-model/messaging.json): every operation 1 rps, burst 5
    # (sendInvoice lists no table; Amazon's other Messaging operations are used for it).
    "getMessagingActionsForOrder": _MESSAGING,
    "confirmCustomizationDetails": _MESSAGING,
    "createConfirmDeliveryDetails": _MESSAGING,
    "createLegalDisclosure": _MESSAGING,
    "createConfirmOrderDetails": _MESSAGING,
    "createConfirmServiceDetails": _MESSAGING,
    "CreateWarranty": _MESSAGING,
    "GetAttributes": _MESSAGING,
    "createDigitalAccessKey": _MESSAGING,
    "createUnexpectedProblem": _MESSAGING,
    "sendInvoice": _MESSAGING,
    # Orders v0 (models/orders-api-model/ordersV0.json)
    "getOrders": _r(0.0167, 20),
    "getOrder": _r(0.5, 30),
    "getOrderItems": _r(0.5, 30),
    "getOrderBuyerInfo": _r(0.5, 30),
    "getOrderAddress": _r(0.5, 30),
    # Orders 2026-01-01
    "searchOrders": _r(0.0056, 20),
    # Sellers v1: used by the access check
    "getMarketplaceParticipations": _r(0.016, 15),
    # Notifications (all operations 1 rps, burst 5)
    "getSubscription": _NOTIFICATIONS,
    "createSubscription": _NOTIFICATIONS,
    "getSubscriptionById": _NOTIFICATIONS,
    "deleteSubscriptionById": _NOTIFICATIONS,
    "getDestinations": _NOTIFICATIONS,
    "createDestination": _NOTIFICATIONS,
    "getDestination": _NOTIFICATIONS,
    "deleteDestination": _NOTIFICATIONS,
    # Tokens 2021-03-01
    "createRestrictedDataToken": _r(1, 10),
    # Catalog Items 2022-04-01 (models/catalog-items-api-model/catalogItems_2022-04-01.json): the
    # promo request's ASIN check (handlers/promo/catalog.py)
    "searchCatalogItems": _r(2, 2),
    "getCatalogItem": _r(2, 2),
}

# Messaging action name (as getMessagingActionsForOrder lists it) -> operation id in the rate table.
# Only Amazon's current model: negativeFeedbackRemoval and amazonMotors were removed (sp-api.md §3.1).
MESSAGING_ACTION_OPERATIONS: Mapping[str, str] = {
    "confirmCustomizationDetails": "confirmCustomizationDetails",
    "confirmDeliveryDetails": "createConfirmDeliveryDetails",
    "legalDisclosure": "createLegalDisclosure",
    "confirmOrderDetails": "createConfirmOrderDetails",
    "confirmServiceDetails": "createConfirmServiceDetails",
    "warranty": "CreateWarranty",
    "digitalAccessKey": "createDigitalAccessKey",
    "unexpectedProblem": "createUnexpectedProblem",
    "invoice": "sendInvoice",
}


class UnknownOperation(KeyError):
    """An operation name that is not in the rate table: almost always a typo in the caller."""

    def __str__(self) -> str:
        name = self.args[0] if self.args else ""
        close = [k for k in DEFAULT_RATES if k.lower() == str(name).lower()]
        hint = f" Did you mean {close[0]!r}?" if close else " Use Amazon's operationId, e.g. 'getOrders'."
        return f"Unknown SP-API operation {name!r}: no rate in infra/spapi/rates.py.{hint}"


def rate_for(operation: str, rates: Mapping[str, OperationRate] = DEFAULT_RATES) -> OperationRate:
    try:
        return rates[operation]
    except KeyError:
        raise UnknownOperation(operation) from None


def scaled(rates: Mapping[str, OperationRate], factor: float) -> dict[str, OperationRate]:
    """Every rate multiplied by `factor` (bursts unchanged): lets benchmarks run Amazon's shape faster."""
    if factor <= 0:
        raise ValueError("rate scale factor must be > 0")
    return {op: OperationRate(rate=r.rate * factor, burst=r.burst) for op, r in rates.items()}
