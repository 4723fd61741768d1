"""The ReviewsSpApi port on python-amazon-sp-api, through the shared infra.spapi factory.

The factory builds per-account, per-marketplace clients (endpoint, LWA) and `call()` applies
the shared token-bucket limiter and the one retry policy; this module only picks operations,
passes `marketplaceIds` explicitly (the library leaves it out of the Solicitations query
string, which Amazon rejects) and turns library errors into SpApiFailure.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, TypeGuard

from handlers.reviews.errors import FailureKind, SpApiFailure
from handlers.reviews.port import OrdersPage, OrderSummary
from handlers.reviews.target import Target
from handlers.spapi_port import JsonObject, SpApiFactoryLike
from infra.spapi.errors import SpApiOutcomeUnknown

# Messaging action name (as getMessagingActionsForOrder returns it) -> library method.
_SEND_METHODS: dict[str, str] = {
    "confirmCustomizationDetails": "confirm_customization_details",
    "confirmDeliveryDetails": "create_confirm_delivery_details",
    "confirmOrderDetails": "create_confirm_order_details",
    "confirmServiceDetails": "create_confirm_service_details",
    "digitalAccessKey": "create_digital_access_key",
    "unexpectedProblem": "create_unexpected_problem",
}
# Operation names as the rate table (infra/spapi/rates.py) keys them.
_SEND_OPERATIONS: dict[str, str] = {
    "confirmCustomizationDetails": "confirmCustomizationDetails",
    "confirmDeliveryDetails": "createConfirmDeliveryDetails",
    "confirmOrderDetails": "createConfirmOrderDetails",
    "confirmServiceDetails": "createConfirmServiceDetails",
    "digitalAccessKey": "createDigitalAccessKey",
    "unexpectedProblem": "createUnexpectedProblem",
}
_BY_STATUS: dict[int, FailureKind] = {
    400: "invalid",
    403: "forbidden",
    404: "not_found",
    429: "throttled",
    500: "unavailable",
    503: "unavailable",
    504: "unavailable",
}


def classify(operation: str, exc: BaseException) -> SpApiFailure:
    """Map a library / limiter exception to a SpApiFailure; Amazon's text is kept (it names no buyer)."""
    if isinstance(exc, SpApiOutcomeUnknown):  # a send Amazon may have taken: never "failed", never resent
        return SpApiFailure("unconfirmed", operation, exc.lost_answer(), exc.status)
    name = type(exc).__name__
    if "deadline" in name.lower():
        return SpApiFailure("deadline", operation, "", None)
    status = getattr(exc, "code", None)
    detail = ""
    errors = getattr(exc, "error", None)
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        detail = str(errors[0].get("message") or errors[0].get("code") or "")[:200]
    if isinstance(status, int) and status in _BY_STATUS:
        return SpApiFailure(_BY_STATUS[status], operation, detail, status)
    if "throttl" in name.lower():
        return SpApiFailure("throttled", operation, detail, 429)
    if name.startswith(("Connect", "Read", "Timeout", "Remote")) or "Timeout" in name:
        return SpApiFailure("unavailable", operation, name, None)
    if name == "SpApiUnavailable":  # retries exhausted on timeouts or unreadable answers: say so, not "failed"
        return SpApiFailure("unavailable", operation, str(exc)[:200], None)
    return SpApiFailure("other", operation, detail or name, status if isinstance(status, int) else None)


def _when(value: object) -> datetime | None:
    """An ISO 8601 date of Amazon's; None when absent or unreadable (the window then waits for Amazon)."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _order(raw: JsonObject) -> OrderSummary:
    return OrderSummary(
        order_id=raw["AmazonOrderId"],
        status=raw.get("OrderStatus", ""),
        marketplace_id=raw.get("MarketplaceId") or "",
        purchase_date=_when(raw.get("PurchaseDate")),
        earliest_delivery=_when(raw.get("EarliestDeliveryDate")),
        latest_delivery=_when(raw.get("LatestDeliveryDate")),
    )


def _action_names(payload: Any) -> list[str]:
    """The HAL `_links.actions[].name` of a get*ActionsForOrder answer (the models' place for it);
    an answer that lists none there is read from `_embedded.actions[]` (`payload.name`, or the
    name of its schema link)."""
    if not isinstance(payload, dict):
        return []
    links = payload.get("_links") or {}
    actions = links.get("actions") or []
    names = [name for a in actions if isinstance(a, dict) and _is_name(name := a.get("name"))]
    if not names:
        for action in (payload.get("_embedded") or {}).get("actions") or []:
            action = action if isinstance(action, dict) else {}
            schema_link = ((action.get("_links") or {}).get("schema")) or {}
            name = (action.get("payload") or {}).get("name") or schema_link.get("name")
            if _is_name(name):
                names.append(name)
    return names


def _is_name(value: object) -> TypeGuard[str]:
    """An action name as Amazon's model types it: a non-empty string."""
    return isinstance(value, str) and bool(value)


class SpApiReviewsAdapter:
    def __init__(self, factory: SpApiFactoryLike) -> None:
        self.factory = factory

    def _call(
        self, operation: str, target: Target, api_cls: type, method: str, *args: Any, deadline: float | None, **kw: Any
    ) -> Any:
        try:
            client = self.factory.client(api_cls, target.account, target.code)
            return self.factory.call(operation, target.account, getattr(client, method), *args, deadline=deadline, **kw)
        except SpApiFailure:
            raise
        except Exception as exc:
            raise classify(operation, exc) from exc

    def get_order(self, target: Target, order_id: str, *, deadline: float | None = None) -> OrderSummary:
        from sp_api.api.orders.orders import OrdersV0  # lazy: sp_api costs ~170 ms to import (Lambda cold start)

        resp = self._call("getOrder", target, OrdersV0, "get_order", order_id, deadline=deadline)
        payload = resp.payload or {}
        if not payload.get("AmazonOrderId"):
            raise SpApiFailure("unavailable", "getOrder", "empty response", None)
        return _order(payload)

    def list_orders(
        self, target: Target, *, created_after: datetime, next_token: str | None = None, deadline: float | None = None
    ) -> OrdersPage:
        from sp_api.api.orders.orders import OrdersV0  # lazy: sp_api costs ~170 ms to import (Lambda cold start)

        if next_token:
            kw: dict[str, Any] = {"NextToken": next_token}
        else:
            kw = {
                "CreatedAfter": created_after.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "OrderStatuses": "Shipped",
                "MaxResultsPerPage": 100,
            }
        resp = self._call(
            "getOrders", target, OrdersV0, "get_orders", deadline=deadline, MarketplaceIds=target.marketplace_id, **kw
        )
        payload = resp.payload or {}
        if "Orders" not in payload:
            raise SpApiFailure("unavailable", "getOrders", "empty response", None)
        return OrdersPage(orders=[_order(o) for o in payload["Orders"]], next_token=payload.get("NextToken") or None)

    def solicitation_actions(self, target: Target, order_id: str, *, deadline: float | None = None) -> list[str]:
        from sp_api.api import Solicitations  # lazy: sp_api costs ~170 ms to import (Lambda cold start)

        resp = self._call(
            "getSolicitationActionsForOrder",
            target,
            Solicitations,
            "get_solicitation_actions_for_order",
            order_id,
            deadline=deadline,
            marketplaceIds=target.marketplace_id,
        )
        return _action_names(resp.payload)

    def request_review(self, target: Target, order_id: str, *, deadline: float | None = None) -> None:
        from sp_api.api import Solicitations  # lazy: sp_api costs ~170 ms to import (Lambda cold start)

        # marketplaceIds must be passed: the library puts it only in the body otherwise (sp-api.md §3.2).
        self._call(
            "createProductReviewAndSellerFeedbackSolicitation",
            target,
            Solicitations,
            "create_product_review_and_seller_feedback_solicitation",
            order_id,
            deadline=deadline,
            marketplaceIds=target.marketplace_id,
        )

    def messaging_actions(self, target: Target, order_id: str, *, deadline: float | None = None) -> list[str]:
        from sp_api.api import Messaging  # lazy: sp_api costs ~170 ms to import (Lambda cold start)

        resp = self._call(
            "getMessagingActionsForOrder",
            target,
            Messaging,
            "get_messaging_actions_for_order",
            order_id,
            deadline=deadline,
            marketplaceIds=target.marketplace_id,
        )
        return _action_names(resp.payload)

    def send_message(
        self, target: Target, order_id: str, action: str, text: str, *, deadline: float | None = None
    ) -> None:
        from sp_api.api import Messaging  # lazy: sp_api costs ~170 ms to import (Lambda cold start)

        if action not in _SEND_METHODS:  # never the removed negativeFeedbackRemoval / amazonMotors
            raise SpApiFailure("invalid", action, "not a text action in Amazon's current model", None)
        self._call(
            _SEND_OPERATIONS[action],
            target,
            Messaging,
            _SEND_METHODS[action],
            order_id,
            deadline=deadline,
            body={"text": text},
        )
