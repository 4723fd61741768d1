"""A fake SP-API (and LWA token service) over real HTTP on 127.0.0.1, for tests, demos and benches.

It answers in Amazon's JSON shapes for the operations the bot uses (Orders v0,
Solicitations, Messaging, Reports 2021-06-30, Catalog Items 2022-04-01, Sellers, Tokens), with Amazon's
error envelope `{"errors": [{"code", "message", "details"}]}`, an
`x-amzn-RequestId` and an `x-amzn-RateLimit-Limit` on every API response.

    with FakeSpApi() as fake:                # port 0; fake.base_url
        fake.faults.add("getOrders", "throttle_429", times=2)
        fake.faults.add("createUnexpectedProblem", "accept_then_status:502")  # sent, answer lost
        ...                                   # fake.stats.requests["getOrders"]

`enforce_rates=True` meters each (operation, seller) with Amazon's default
token buckets (infra/spapi/rates.py; `rate_scale` speeds them up for benches)
and answers 429 QuotaExceeded beyond them.
"""

from __future__ import annotations

import base64
import gzip
import json
import math
import re
import time
import uuid
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

from infra.accounts import MARKETPLACE_CODES
from infra.fakes.sp_api.consent import FakeSellerCentral, form_of, participations
from infra.fakes.sp_api.contract import AmazonModels, Operation, SandboxCase, amazon_models
from infra.fakes.sp_api.data import CatalogItem, FakeOrder, SandboxData, iso, parse_time
from infra.fakes.sp_api.faults import Faults, split_kind
from infra.fakes.sp_api.http import LoopbackServer, Response, error_response, json_response
from infra.fakes.sp_api.rotation import FakeAppRotation
from infra.spapi.limiter import TokenBucket
from infra.spapi.rates import DEFAULT_RATES, MESSAGING_ACTION_OPERATIONS, OperationRate, scaled

ACCESS_TOKEN_PREFIX = "Atza|fake."
RDT_PREFIX = "Atz.sprdt|fake."
SUPPORTED_REPORTS = (
    "GET_V2_SELLER_PERFORMANCE_REPORT",
    "GET_PROMOTION_PERFORMANCE_REPORT",
    "GET_COUPON_PERFORMANCE_REPORT",
)
# Messaging actions that carry text (sp-api.md §3.1); its length limits are checked against the model.
TEXT_ACTIONS = frozenset(
    {
        "confirmCustomizationDetails",
        "confirmDeliveryDetails",
        "confirmOrderDetails",
        "confirmServiceDetails",
        "digitalAccessKey",
        "unexpectedProblem",
    }
)
# Attachment counts: the model writes them as minLength/maxLength on the arrays, which JSON Schema
# applies to strings only, so the validator cannot see them; they are kept here.
ATTACHMENT_LIMITS = {
    "confirmCustomizationDetails": (0, 5),
    "legalDisclosure": (0, 5),
    "warranty": (1, 5),
    "digitalAccessKey": (0, 5),
    "invoice": (1, 5),
}
WINDOW_MESSAGE = (
    "You can't use this feature to request a review outside the 5-30 day range after the order delivery date"
)
# The one action getSolicitationActionsForOrder lists (the models' sandbox answers); the operation
# that sends it is createProductReviewAndSellerFeedbackSolicitation.
REVIEW_ACTION = "productReviewAndSellerFeedback"
NOT_AVAILABLE_MESSAGE = "The requested solicitation is not available for this amazonOrderId"


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, details: str = "") -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details


_STATUS_CODES = {
    400: ("InvalidInput", "Invalid input."),
    403: ("Unauthorized", "Access to requested resource is denied."),
    404: ("NotFound", "The requested resource was not found."),
    429: ("QuotaExceeded", "You exceeded your quota for the requested resource."),
    500: ("InternalFailure", "We encountered an internal error. Please try again."),
    503: ("ServiceUnavailable", "Service temporarily unavailable. Please try again."),
}


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: dict[str, list[str]]
    operation: str
    account: str | None
    body: Any


@dataclass
class FakeStats:
    requests: Counter[str] = field(default_factory=Counter)  # operation -> requests received
    throttled: Counter[str] = field(default_factory=Counter)  # operation -> 429 answered
    tokens: Counter[str] = field(default_factory=Counter)  # account -> LWA access tokens issued

    @property
    def total_throttled(self) -> int:
        return sum(self.throttled.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "requests": dict(self.requests),
            "throttled": dict(self.throttled),
            "total_throttled": self.total_throttled,
            "tokens": dict(self.tokens),
        }


@dataclass
class FakeReport:
    report_id: str
    account: str
    report_type: str
    marketplace_ids: list[str]
    options: dict[str, str]
    created: datetime
    content: bytes | None  # None: no data -> CANCELLED, as Amazon does
    polls: int = 0
    cancelled: bool = False
    document_id: str | None = None


Route = tuple[str, re.Pattern[str], str]
_ROUTES: list[Route] = [
    (m, re.compile(p), op)
    for m, p, op in [
        ("POST", r"^/auth/o2/token$", "lwaToken"),
        ("GET", r"^/sellers/v1/marketplaceParticipations$", "getMarketplaceParticipations"),
        ("POST", r"^/applications/2023-11-30/clientSecret$", "rotateApplicationClientSecret"),
        ("GET", r"^/orders/v0/orders$", "getOrders"),
        ("GET", r"^/orders/v0/orders/(?P<id>[^/]+)$", "getOrder"),
        ("GET", r"^/orders/v0/orders/(?P<id>[^/]+)/orderItems$", "getOrderItems"),
        ("GET", r"^/orders/v0/orders/(?P<id>[^/]+)/buyerInfo$", "getOrderBuyerInfo"),
        ("POST", r"^/tokens/2021-03-01/restrictedDataToken$", "createRestrictedDataToken"),
        ("GET", r"^/solicitations/v1/orders/(?P<id>[^/]+)$", "getSolicitationActionsForOrder"),
        (
            "POST",
            r"^/solicitations/v1/orders/(?P<id>[^/]+)/solicitations/productReviewAndSellerFeedback$",
            "createProductReviewAndSellerFeedbackSolicitation",
        ),
        ("GET", r"^/messaging/v1/orders/(?P<id>[^/]+)$", "getMessagingActionsForOrder"),
        ("GET", r"^/messaging/v1/orders/(?P<id>[^/]+)/attributes$", "GetAttributes"),
        ("POST", r"^/messaging/v1/orders/(?P<id>[^/]+)/messages/(?P<action>[^/]+)$", "messaging:send"),
        ("POST", r"^/reports/2021-06-30/reports$", "createReport"),
        ("GET", r"^/reports/2021-06-30/reports$", "getReports"),
        ("GET", r"^/reports/2021-06-30/reports/(?P<id>[^/]+)$", "getReport"),
        ("DELETE", r"^/reports/2021-06-30/reports/(?P<id>[^/]+)$", "cancelReport"),
        ("GET", r"^/reports/2021-06-30/documents/(?P<id>[^/]+)$", "getReportDocument"),
        ("GET", r"^/catalog/2022-04-01/items$", "searchCatalogItems"),
        ("GET", r"^/catalog/2022-04-01/items/(?P<asin>[^/]+)$", "getCatalogItem"),
        ("GET", r"^/_fake/documents/(?P<id>[^/]+)$", "_fake:document"),
        ("POST", r"^/_fake/faults$", "_fake:faults"),
        ("DELETE", r"^/_fake/faults$", "_fake:clear_faults"),
        ("POST", r"^/_fake/reset$", "_fake:reset"),
        ("POST", r"^/_fake/revoke$", "_fake:revoke"),
        ("GET", r"^/_fake/stats$", "_fake:stats"),
    ]
]


def _route(method: str, path: str) -> tuple[str, dict[str, str]] | None:
    for m, pattern, op in _ROUTES:
        match = pattern.match(path)
        if match and m == method:
            return op, match.groupdict()
    return None


def _values(query: Mapping[str, list[str]], *names: str) -> list[str]:
    """All values of the first present name; comma-separated lists (Amazon's form) are split."""
    for name in names:
        if name in query:
            return [v for raw in query[name] for v in raw.split(",") if v]
    return []


class FakeSpApi(LoopbackServer):
    def __init__(
        self,
        data: SandboxData | None = None,
        enforce_rates: bool = False,
        *,
        rates: Mapping[str, OperationRate] = DEFAULT_RATES,
        rate_scale: float = 1.0,
        report_polls: int = 2,
        timeout_fault_seconds: float = 6.0,
        host: str = "127.0.0.1",
        port: int = 0,
        now: Callable[[], datetime] | None = None,
        clock: Callable[[], float] = time.monotonic,
        models: AmazonModels | None = None,
        max_page_size: int = 100,
    ) -> None:
        self.data = data or SandboxData.build()
        self.models = models or amazon_models()
        self.enforce_rates = enforce_rates
        self.rates = scaled(rates, rate_scale) if rate_scale != 1.0 else dict(rates)
        self.report_polls = report_polls
        # getOrders answers at most this many orders a page (Amazon may answer fewer than MaxResultsPerPage).
        self.max_page_size = max_page_size
        self.timeout_fault_seconds = timeout_fault_seconds
        self.now = now or (lambda: datetime.now(UTC))
        self.clock = clock
        self.faults = Faults()
        self.stats = FakeStats()
        self.requests: list[RecordedRequest] = []
        self.messages: list[dict[str, Any]] = []  # messages sent through Messaging
        self.solicited: set[tuple[str, str]] = set()  # (account, order id) solicited while running
        self.reports: dict[str, FakeReport] = {}
        self.documents: dict[str, tuple[str, bytes]] = {}  # document id -> (account, gzipped bytes)
        self._buckets: dict[tuple[str, str], TokenBucket] = {}
        self.seller_central = FakeSellerCentral(self.data)  # the consent page and the authorization_code grant
        # LWA client secret rotation: the rotation token, 204 + APPLICATION_OAUTH_CLIENT_NEW_SECRET, old secret overlap
        self.app_rotation = FakeAppRotation(self.data, now=lambda: self.now(), token_prefix=ACCESS_TOKEN_PREFIX)
        LoopbackServer.__init__(self, host, port, name="fake-sp-api")

    # -- lifecycle ----------------------------------------------------------------------------

    def reset(self) -> None:
        """Forget everything that happened (faults, stats, sends, reports, buckets); keep the seeded data."""
        with self._lock:
            self.faults.clear()
            self.stats = FakeStats()
            self.requests.clear()
            self.messages.clear()
            self.solicited.clear()
            self.reports.clear()
            self.documents.clear()
            self._buckets.clear()
            self.contract_violations.clear()

    def credentials_env(self) -> dict[str, str]:
        """Environment for infra.secrets.EnvCredentials and bot.settings pointing at this fake."""
        env = {
            "SELLERBOT_SPAPI_ENDPOINT": self.base_url,
            "SELLERBOT_LWA_ENDPOINT": self.base_url,
            "SELLERBOT_LWA_APP_ID": self.data.lwa_app_id,
            "SELLERBOT_LWA_CLIENT_SECRET": self.data.lwa_client_secret,
        }
        for token, account in self.data.refresh_tokens.items():
            env["SELLERBOT_REFRESH_TOKEN_" + account.upper().replace("-", "_")] = token
        return env

    def is_solicited(self, account: str, order: FakeOrder) -> bool:
        return order.solicited or (account, order.order_id) in self.solicited

    # -- dispatch -----------------------------------------------------------------------------

    def handle(self, method: str, raw_path: str, headers: Mapping[str, str], body: bytes) -> Response:
        parts = urlsplit(raw_path)
        path, query = parts.path, parse_qs(parts.query, keep_blank_values=True)
        if path.startswith("/apps/authorize/"):
            return self._seller_central_page(method, path, query, body)
        routed = _route(method, path)
        if routed is None:
            return error_response(404, "NotFound", f"No SP-API operation for {method} {path} in this fake.")
        operation, params = routed
        if operation.startswith("_fake:"):
            return self._control(operation, params, query, body)
        if operation == "messaging:send":
            action = params["action"]
            operation = MESSAGING_ACTION_OPERATIONS.get(action, f"messaging:{action}")
        token = headers.get("x-amz-access-token", "")
        account = self._account_for(token)
        parsed_body = parse_body(body, headers.get("content-type", ""))
        with self._lock:
            self.stats.requests[operation] += 1
            self.requests.append(RecordedRequest(method, path, query, operation, account, parsed_body))
        modelled = self.models.operation(method, path)
        fault = self.faults.take(operation, path)
        fault, after_effect = split_kind(fault) if fault is not None else (None, False)
        response = self._fault(operation, fault) if fault is not None and not after_effect else None
        if response is None and modelled is not None:
            response = self.refuse_off_model(modelled[0], modelled[1], query, parsed_body)
        if response is None and modelled is not None:
            response = self._sandbox_answer(modelled[0], modelled[1], query, account)
        checked = response is None
        if response is None:
            try:
                response = self._api(operation, params, query, parsed_body, token, account)
            except ApiError as exc:
                response = error_response(exc.status, exc.code, exc.message, exc.details)
        if checked and modelled is not None:
            response = self.checked_answer(modelled[0], response)
        if fault is not None and after_effect and 200 <= response.status < 300:
            # Accepted and done; only the answer is lost (Amazon's error shape, or none at all).
            response = self._fault(operation, fault)
        if operation != "lwaToken":
            response.headers.setdefault("x-amzn-RequestId", str(uuid.uuid4()))
            rate = self.rates.get(operation)
            if rate is not None:
                response.headers.setdefault("x-amzn-RateLimit-Limit", f"{rate.rate:g}")
        return response

    # -- Amazon's model ----------------------------------------------------------------------

    def _sandbox_answer(
        self, op: Operation, path_params: dict[str, str], query: Mapping[str, list[str]], account: str | None
    ) -> Response | None:
        """Amazon's own static sandbox answer when the request names a sandbox case (TEST_CASE_200...)."""
        if account is None:  # Amazon authenticates before it answers, sandbox or not
            return None
        case = sandbox_case_for(op, path_params, query)
        if case is None:
            return None
        return json_response(case.status, case.response) if case.response is not None else Response(case.status)

    def _seller_central_page(self, method: str, path: str, query: Mapping[str, list[str]], body: bytes) -> Response:
        """Seller Central's consent pages (infra/fakes/sp_api/consent.py), not SP-API: no model, no request id."""
        central = self.seller_central
        if method == "GET" and path == "/apps/authorize/consent":
            return central.consent_page(dict(query))
        if method == "POST" and path == "/apps/authorize/confirm":
            return central.confirm(form_of(body))
        if method == "GET" and path == f"/apps/authorize/confirm/{central.application_id}":
            return central.login_confirm(dict(query))
        return Response(404, b"<h1>Page not found</h1>", "text/html; charset=utf-8")

    def _control(self, operation: str, params: dict[str, str], query: Mapping[str, list[str]], body: bytes) -> Response:
        if operation == "_fake:document":
            with self._lock:
                found = self.documents.get(params["id"])
            if found is None:
                return Response(404, b"<Error><Code>NoSuchKey</Code></Error>", "application/xml")
            return Response(200, found[1], "application/json; charset=UTF-8")
        if operation == "_fake:faults":
            try:
                spec = json.loads(body or b"{}")
                self.faults.add(
                    str(spec.get("match") or spec.get("operation") or ""),
                    str(spec.get("kind", "")),
                    int(spec.get("times", 1)),
                )
            except (ValueError, TypeError) as exc:
                return error_response(400, "InvalidInput", str(exc))
            return json_response(200, {"pending": len(self.faults.pending())})
        if operation == "_fake:clear_faults":
            self.faults.clear()
            return json_response(200, {"pending": 0})
        if operation == "_fake:revoke":
            token = str((json.loads(body or b"{}") or {}).get("refresh_token", ""))
            return json_response(200, {"revoked": self.seller_central.revoke(token)})
        if operation == "_fake:reset":
            self.reset()
            return json_response(200, {"reset": True})
        return json_response(200, self.stats.as_dict())

    def _fault(self, operation: str, kind: str) -> Response:
        if kind == "throttle_429":
            with self._lock:
                self.stats.throttled[operation] += 1
            return error_response(429, *_STATUS_CODES[429])
        if kind == "empty_500":
            return Response(500, b"", "text/plain")
        if kind == "timeout":
            time.sleep(self.timeout_fault_seconds)  # longer than the client's timeout: it gives up first
            return error_response(504, "GatewayTimeout", "The request timed out.")
        if kind == "malformed_json":
            return Response(200, b'{"payload": {"Orders": [{"AmazonOrderId": "111-', "application/json")
        status = int(kind.split(":")[1])
        code, message = _STATUS_CODES.get(
            status, ("InternalFailure" if status >= 500 else "InvalidInput", f"Injected HTTP {status}.")
        )
        if status == 429:
            with self._lock:
                self.stats.throttled[operation] += 1
        return error_response(status, code, message)

    def _account_for(self, token: str) -> str | None:
        for prefix in (ACCESS_TOKEN_PREFIX, RDT_PREFIX):
            if token.startswith(prefix):
                account = token[len(prefix) :]
                return account if self.data.accounts.get(account) else None
        return None

    def _throttle(self, operation: str, account: str) -> bool:
        plan = self.rates.get(operation)
        if not self.enforce_rates or plan is None:
            return False
        with self._lock:
            now = self.clock()
            bucket = self._buckets.get((operation, account))
            if bucket is None:
                bucket = self._buckets[(operation, account)] = TokenBucket.full(plan, now)
            if bucket.try_take(now):
                return False
            self.stats.throttled[operation] += 1
            return True

    def _api(
        self,
        operation: str,
        params: dict[str, str],
        query: Mapping[str, list[str]],
        body: Any,
        token: str,
        account: str | None,
    ) -> Response:
        if operation == "lwaToken":
            return self._lwa(body if isinstance(body, dict) else {})
        if operation == "rotateApplicationClientSecret":  # grantless: the app's token, no seller's
            return self.app_rotation.rotate(token)
        if account is None:
            raise ApiError(
                403,
                "Unauthorized",
                "Access to requested resource is denied.",
                "The access token you provided is revoked, malformed or invalid.",
            )
        if self._throttle(operation, account):
            return error_response(429, *_STATUS_CODES[429])
        handler: Callable[..., Response] | None = getattr(self, "_op_" + operation, None)
        if handler is None:
            if operation.startswith("messaging:"):
                raise ApiError(
                    404,
                    "NotFound",
                    f"Messaging action {operation.split(':', 1)[1]!r} does not exist in "
                    f"the current Messaging API model.",
                )
            raise ApiError(404, "NotFound", f"{operation} is not implemented by this fake.")
        with self._lock:
            return handler(account=account, params=params, query=query, body=body, rdt=token.startswith(RDT_PREFIX))

    # -- LWA --------------------------------------------------------------------------------

    def _lwa(self, form: dict[str, Any]) -> Response:
        def lwa_error(status: int, error: str, description: str) -> Response:
            return json_response(status, {"error": error, "error_description": description})

        if not self.app_rotation.accepts(form.get("client_id"), form.get("client_secret")):
            return lwa_error(401, "invalid_client", "Client authentication failed")
        grant = form.get("grant_type")
        if grant == "client_credentials":
            token = self.app_rotation.grantless_token(form.get("scope"))
            return json_response(200, {"access_token": token, "token_type": "bearer", "expires_in": 3600})
        if grant == "authorization_code":
            return self.seller_central.grant_code(form)
        if grant != "refresh_token":
            return lwa_error(400, "unsupported_grant_type", f"Unsupported grant_type: {grant}")
        revoked = self.seller_central.refused_refresh(str(form.get("refresh_token", "")))
        if revoked is not None:
            return revoked
        account = self.data.refresh_tokens.get(str(form.get("refresh_token", "")))
        if account is None:
            return lwa_error(400, "invalid_grant", "The request has an invalid grant parameter : refresh_token")
        with self._lock:
            self.stats.tokens[account] += 1
        return json_response(
            200,
            {
                "access_token": ACCESS_TOKEN_PREFIX + account,
                "refresh_token": form["refresh_token"],
                "token_type": "bearer",
                "expires_in": 3600,
            },
        )

    # -- helpers ----------------------------------------------------------------------------

    def _marketplace(self, account: str, query: Mapping[str, list[str]]) -> str:
        ids = _values(query, "marketplaceIds")
        if len(ids) != 1:
            raise ApiError(400, "InvalidInput", "Missing or invalid request parameters: [marketplaceIds]")
        if ids[0] not in self.data.account_marketplaces(account):
            raise ApiError(
                400, "InvalidInput", f"Invalid marketplaceIds: {ids[0]} is not a marketplace of this seller."
            )
        return ids[0]

    def _order(self, account: str, order_id: str, marketplace_id: str | None = None) -> FakeOrder:
        order = self.data.find_order(account, order_id)
        if order is None or (marketplace_id is not None and order.marketplace_id != marketplace_id):
            raise ApiError(
                404,
                "NotFound",
                f"The order {order_id} was not found" + (" in the requested marketplace." if marketplace_id else "."),
            )
        return order

    def _in_review_window(self, order: FakeOrder) -> bool:
        if order.status != "Shipped" or order.earliest_delivery is None or order.latest_delivery is None:
            return False
        now = self.now()
        return order.earliest_delivery + timedelta(days=5) <= now <= order.latest_delivery + timedelta(days=30)

    def _messaging_actions(self, order: FakeOrder) -> list[str]:
        if order.status == "Unshipped":
            return [
                "confirmCustomizationDetails",
                "confirmDeliveryDetails",
                "confirmOrderDetails",
                "legalDisclosure",
                "unexpectedProblem",
            ]
        if order.status == "Shipped":
            recent = order.latest_delivery is not None and self.now() <= order.latest_delivery + timedelta(days=30)
            if recent:
                return [
                    "confirmDeliveryDetails",
                    "confirmServiceDetails",
                    "digitalAccessKey",
                    "legalDisclosure",
                    "unexpectedProblem",
                    "warranty",
                    "invoice",
                ]
            return ["warranty", "invoice"]
        return []

    # -- Sellers / Tokens ---------------------------------------------------------------------

    def _op_getMarketplaceParticipations(self, *, account: str, **_: Any) -> Response:
        config = self.data.accounts.get(account)
        if config is None:  # the account has no marketplaces, so none to list
            return json_response(200, {"payload": []})
        return json_response(200, {"payload": participations(config)})

    def _op_createRestrictedDataToken(self, *, account: str, body: Any, **_: Any) -> Response:
        resources = body.get("restrictedResources") if isinstance(body, dict) else None
        if not resources:
            raise ApiError(400, "InvalidInput", "restrictedResources is required.")
        return json_response(200, {"restrictedDataToken": RDT_PREFIX + account, "expiresIn": 3600})

    # -- Orders v0 ----------------------------------------------------------------------------

    def _op_getOrders(self, *, account: str, query: Mapping[str, list[str]], rdt: bool, **_: Any) -> Response:
        next_token = (query.get("NextToken") or [""])[0]
        if next_token:
            try:
                state = json.loads(base64.urlsafe_b64decode(next_token.encode()))
                offset, filters = int(state["o"]), state["f"]
            except (ValueError, KeyError, TypeError):
                raise ApiError(400, "InvalidInput", "Invalid NextToken.") from None
        else:
            offset, filters = 0, self._order_filters(account, query)
        orders = self._filtered_orders(account, filters)
        page = orders[offset : offset + filters["max"]]
        payload: dict[str, Any] = {"Orders": [o.to_json(with_pii=rdt) for o in page]}
        if offset + filters["max"] < len(orders):
            state = {"o": offset + filters["max"], "f": filters}
            payload["NextToken"] = base64.urlsafe_b64encode(json.dumps(state).encode()).decode()
        cutoff = iso(self.now() - timedelta(minutes=2))
        payload["LastUpdatedBefore" if filters.get("updated_after") else "CreatedBefore"] = cutoff
        return json_response(200, {"payload": payload})

    def _order_filters(self, account: str, query: Mapping[str, list[str]]) -> dict[str, Any]:
        marketplaces = _values(query, "MarketplaceIds")
        if not marketplaces:
            raise ApiError(400, "InvalidInput", "Missing or invalid request parameters: [MarketplaceIds]")
        mine = self.data.account_marketplaces(account)
        for m in marketplaces:
            if m not in mine:
                raise ApiError(400, "InvalidInput", f"Invalid MarketplaceIds: {m} is not a marketplace of this seller.")
        created_after = (query.get("CreatedAfter") or [""])[0]
        updated_after = (query.get("LastUpdatedAfter") or [""])[0]
        if bool(created_after) == bool(updated_after):
            raise ApiError(400, "InvalidInput", "Exactly one of CreatedAfter or LastUpdatedAfter must be specified.")
        filters: dict[str, Any] = {"marketplaces": marketplaces}
        for key, name in (
            ("created_after", "CreatedAfter"),
            ("created_before", "CreatedBefore"),
            ("updated_after", "LastUpdatedAfter"),
            ("updated_before", "LastUpdatedBefore"),
        ):
            value = (query.get(name) or [""])[0]
            if value:
                try:
                    filters[key] = iso(parse_time(value))
                except ValueError:
                    raise ApiError(
                        400, "InvalidInput", f"{name} must be an ISO 8601 date-time, got {value!r}."
                    ) from None
        raw_max = (query.get("MaxResultsPerPage") or ["100"])[0]
        if not raw_max.isdigit() or not 1 <= int(raw_max) <= 100:
            raise ApiError(400, "InvalidInput", "MaxResultsPerPage must be between 1 and 100.")
        filters["max"] = min(int(raw_max), self.max_page_size)
        filters["statuses"] = _values(query, "OrderStatuses")
        filters["channels"] = _values(query, "FulfillmentChannels")
        return filters

    def _filtered_orders(self, account: str, f: dict[str, Any]) -> list[FakeOrder]:
        def when(key: str) -> datetime | None:
            return parse_time(f[key]) if f.get(key) else None

        created_after, created_before = when("created_after"), when("created_before")
        updated_after, updated_before = when("updated_after"), when("updated_before")
        out: list[FakeOrder] = []
        for marketplace_id in f["marketplaces"]:
            for o in self.data.orders.get((account, marketplace_id), []):
                if (created_after and o.purchase < created_after) or (created_before and o.purchase >= created_before):
                    continue
                if (updated_after and o.last_update < updated_after) or (
                    updated_before and o.last_update >= updated_before
                ):
                    continue
                if f["statuses"] and o.status not in f["statuses"]:
                    continue
                if f["channels"] and o.fulfillment not in f["channels"]:
                    continue
                out.append(o)
        out.sort(key=(lambda o: (o.last_update, o.order_id)) if updated_after else (lambda o: (o.purchase, o.order_id)))
        return out

    def _op_getOrder(self, *, account: str, params: dict[str, str], rdt: bool, **_: Any) -> Response:
        return json_response(200, {"payload": self._order(account, params["id"]).to_json(with_pii=rdt)})

    def _op_getOrderItems(self, *, account: str, params: dict[str, str], **_: Any) -> Response:
        return json_response(200, {"payload": self._order(account, params["id"]).items_json()})

    def _op_getOrderBuyerInfo(self, *, account: str, params: dict[str, str], rdt: bool, **_: Any) -> Response:
        order = self._order(account, params["id"])
        info = {"AmazonOrderId": order.order_id}
        if rdt:
            info["BuyerEmail"] = order.buyer_email
        return json_response(200, {"payload": info})

    # -- Solicitations --------------------------------------------------------------------------

    def _op_getSolicitationActionsForOrder(
        self, *, account: str, params: dict[str, str], query: Mapping[str, list[str]], **_: Any
    ) -> Response:
        marketplace_id = self._marketplace(account, query)
        order = self._order(account, params["id"], marketplace_id)
        base = f"/solicitations/v1/orders/{order.order_id}"
        names = [REVIEW_ACTION] if self._in_review_window(order) and not self.is_solicited(account, order) else []
        return json_response(200, _hal_actions(base, "solicitations", names, marketplace_id))

    def _op_createProductReviewAndSellerFeedbackSolicitation(
        self, *, account: str, params: dict[str, str], query: Mapping[str, list[str]], **_: Any
    ) -> Response:
        # Only the query string counts, as on Amazon: the library puts marketplaceIds in the body.
        marketplace_id = self._marketplace(account, query)
        order = self._order(account, params["id"], marketplace_id)
        if self.is_solicited(account, order) or order.status != "Shipped":
            raise ApiError(403, "Unauthorized", NOT_AVAILABLE_MESSAGE)
        if not self._in_review_window(order):
            raise ApiError(403, "Unauthorized", WINDOW_MESSAGE)
        self.solicited.add((account, order.order_id))
        return json_response(201, {})

    # -- Messaging ----------------------------------------------------------------------------

    def _op_getMessagingActionsForOrder(
        self, *, account: str, params: dict[str, str], query: Mapping[str, list[str]], **_: Any
    ) -> Response:
        marketplace_id = self._marketplace(account, query)
        order = self._order(account, params["id"], marketplace_id)
        names = self._messaging_actions(order)
        return json_response(
            200, _hal_actions(f"/messaging/v1/orders/{order.order_id}", "messages", names, marketplace_id)
        )

    def _op_GetAttributes(
        self, *, account: str, params: dict[str, str], query: Mapping[str, list[str]], **_: Any
    ) -> Response:
        marketplace_id = self._marketplace(account, query)
        self._order(account, params["id"], marketplace_id)
        locale = {"US": "en-US", "CA": "en-CA", "UK": "en-GB", "DE": "de-DE"}.get(
            MARKETPLACE_CODES.get(marketplace_id, "US"), "en-US"
        )
        return json_response(200, {"buyer": {"locale": locale}})

    def _send(
        self, action: str, account: str, params: dict[str, str], query: Mapping[str, list[str]], body: Any
    ) -> Response:
        marketplace_id = self._marketplace(account, query)
        order = self._order(account, params["id"], marketplace_id)
        body = body if isinstance(body, dict) else {}
        if action in TEXT_ACTIONS and not body.get("text"):
            raise ApiError(400, "InvalidInput", "Missing or invalid request parameters: [text]")
        if action in ATTACHMENT_LIMITS:
            low, high = ATTACHMENT_LIMITS[action]
            attachments = body.get("attachments") or []
            if not isinstance(attachments, list) or not low <= len(attachments) <= high:
                raise ApiError(400, "InvalidInput", f"attachments must hold {low}-{high} items for {action}.")
        if action == "warranty" and not (body.get("coverageStartDate") and body.get("coverageEndDate")):
            raise ApiError(400, "InvalidInput", "coverageStartDate and coverageEndDate are required for warranty.")
        if action not in self._messaging_actions(order):
            raise ApiError(403, "Unauthorized", f"The {action} action is not available for this amazonOrderId.")
        self.messages.append(
            {
                "account": account,
                "order_id": order.order_id,
                "marketplace_id": marketplace_id,
                "action": action,
                "text": body.get("text"),
                "attachments": body.get("attachments"),
            }
        )
        return json_response(201, {})

    # -- Reports 2021-06-30 ---------------------------------------------------------------------

    def _op_createReport(self, *, account: str, body: Any, **_: Any) -> Response:
        body = body if isinstance(body, dict) else {}
        report_type = body.get("reportType")
        if report_type not in SUPPORTED_REPORTS:
            raise ApiError(
                400,
                "InvalidInput",
                f"reportType {report_type!r} is not supported here; use one of {', '.join(SUPPORTED_REPORTS)}.",
            )
        marketplace_ids = body.get("marketplaceIds") or []
        if not isinstance(marketplace_ids, list) or not marketplace_ids:
            raise ApiError(400, "InvalidInput", "marketplaceIds is required.")
        mine = self.data.account_marketplaces(account)
        bad = [m for m in marketplace_ids if m not in mine]
        if bad:
            raise ApiError(400, "InvalidInput", f"Invalid marketplaceIds: {', '.join(bad)}.")
        options = body.get("reportOptions") or {}
        if not isinstance(options, dict):
            raise ApiError(400, "InvalidInput", "reportOptions must be an object of strings.")
        doc = self._report_document(account, report_type, marketplace_ids, options)
        report_id = str(50_000_000_000 + len(self.reports) + 1)
        content = gzip.compress(json.dumps(doc, indent=2).encode(), mtime=0) if doc is not None else None
        self.reports[report_id] = FakeReport(
            report_id,
            account,
            report_type,
            marketplace_ids,
            {k: str(v) for k, v in options.items()},
            self.now(),
            content,
        )
        return json_response(202, {"reportId": report_id})

    def _report_document(
        self, account: str, report_type: str, marketplace_ids: list[str], options: dict[str, str]
    ) -> dict[str, Any] | None:
        """The report's JSON document from the sandbox data; None = no data (the report is CANCELLED)."""
        try:
            if report_type == "GET_V2_SELLER_PERFORMANCE_REPORT":
                doc = self.data.seller_performance_report(account, marketplace_ids)
            elif report_type == "GET_PROMOTION_PERFORMANCE_REPORT":
                doc = self.data.promotion_report(account, marketplace_ids, options)
            else:
                doc = self.data.coupon_report(account, marketplace_ids, options)
        except ValueError as exc:
            raise ApiError(400, "InvalidInput", f"Invalid reportOptions: {exc}") from None
        if doc is not None:
            # The document, too, is Amazon's shape (schemas/reports); a test fails on any difference.
            self.contract_violations.extend(self.models.document_violations(report_type, doc))
        return doc

    def _report_status(self, report: FakeReport) -> str:
        if report.cancelled:
            return "CANCELLED"
        n = self.report_polls
        if report.polls <= n:
            return "IN_QUEUE" if report.polls <= math.ceil(n / 2) else "IN_PROGRESS"
        return "DONE" if report.content is not None else "CANCELLED"

    def _report_json(self, report: FakeReport) -> dict[str, Any]:
        status = self._report_status(report)
        out: dict[str, Any] = {
            "reportId": report.report_id,
            "reportType": report.report_type,
            "marketplaceIds": report.marketplace_ids,
            "processingStatus": status,
            "createdTime": iso(report.created),
        }
        if status != "IN_QUEUE":
            out["processingStartTime"] = iso(report.created + timedelta(seconds=5))
        if status in ("DONE", "CANCELLED"):
            out["processingEndTime"] = iso(report.created + timedelta(seconds=40))
        if status == "DONE":
            if report.document_id is None:
                report.document_id = (
                    f"amzn1.spdoc.1.4.na.{uuid.uuid5(uuid.NAMESPACE_URL, report.report_id)}.T0000000000000.1"
                )
                self.documents[report.document_id] = (report.account, report.content or b"")
            out["reportDocumentId"] = report.document_id
        return out

    def _report(self, account: str, report_id: str) -> FakeReport:
        report = self.reports.get(report_id)
        if report is None or report.account != account:
            raise ApiError(404, "NotFound", f"Report {report_id} not found.")
        return report

    def _op_getReport(self, *, account: str, params: dict[str, str], **_: Any) -> Response:
        report = self._report(account, params["id"])
        report.polls += 1
        return json_response(200, self._report_json(report))

    def _op_getReports(self, *, account: str, query: Mapping[str, list[str]], **_: Any) -> Response:
        types = _values(query, "reportTypes")
        if not types:
            raise ApiError(400, "InvalidInput", "reportTypes is required.")
        statuses = _values(query, "processingStatuses")
        found = [self._report_json(r) for r in self.reports.values() if r.account == account and r.report_type in types]
        found = [r for r in found if not statuses or r["processingStatus"] in statuses]
        return json_response(200, {"reports": found})

    def _op_cancelReport(self, *, account: str, params: dict[str, str], **_: Any) -> Response:
        report = self._report(account, params["id"])
        if self._report_status(report) != "IN_QUEUE":
            raise ApiError(400, "InvalidInput", "Only reports IN_QUEUE can be cancelled.")
        report.cancelled = True
        return json_response(200, {})

    def _op_getReportDocument(self, *, account: str, params: dict[str, str], **_: Any) -> Response:
        found = self.documents.get(params["id"])
        if found is None or found[0] != account:
            raise ApiError(404, "NotFound", f"Report document {params['id']} not found.")
        return json_response(
            200,
            {
                "reportDocumentId": params["id"],
                "compressionAlgorithm": "GZIP",
                "url": f"{self.base_url}/_fake/documents/{params['id']}",
            },
        )

    # -- Catalog Items 2022-04-01 ---------------------------------------------------------------

    def _catalog_marketplace(self, query: Mapping[str, list[str]]) -> str:
        """The one marketplace asked for (the model allows one); the catalog is Amazon's, not the seller's."""
        ids = _values(query, "marketplaceIds")
        if len(ids) != 1 or ids[0] not in MARKETPLACE_CODES:
            raise ApiError(400, "InvalidInput", "Missing or invalid request parameters: [marketplaceIds]")
        return ids[0]

    @staticmethod
    def _catalog_item_json(item: CatalogItem, marketplace_id: str, included: list[str]) -> dict[str, Any]:
        """An `Item` with the datasets asked for that this fake holds (summaries); others are left out."""
        out: dict[str, Any] = {"asin": item.asin}
        if "summaries" in included:
            out["summaries"] = [item.summary(marketplace_id)]
        return out

    def _listed(self, asin: str, marketplace_id: str) -> CatalogItem | None:
        item = self.data.catalog.get(asin.upper())
        return item if item is not None and marketplace_id in item.marketplace_ids else None

    def _op_getCatalogItem(self, *, params: dict[str, str], query: Mapping[str, list[str]], **_: Any) -> Response:
        marketplace_id = self._catalog_marketplace(query)
        item = self._listed(params["asin"], marketplace_id)
        if item is None:
            # Amazon's answer for an ASIN unknown in that marketplace (seen on the live API).
            raise ApiError(
                404, "NOT_FOUND", f"Requested item, {params['asin']}, not found in marketplace(s) {marketplace_id}."
            )
        included = _values(query, "includedData") or ["summaries"]  # the model's default
        return json_response(200, self._catalog_item_json(item, marketplace_id, included))

    def _op_searchCatalogItems(self, *, query: Mapping[str, list[str]], **_: Any) -> Response:
        marketplace_id = self._catalog_marketplace(query)
        identifiers, keywords = _values(query, "identifiers"), _values(query, "keywords")
        if bool(identifiers) == bool(keywords):
            raise ApiError(400, "InvalidInput", "Exactly one of identifiers or keywords must be specified.")
        id_type = (query.get("identifiersType") or [""])[0]
        if identifiers and not id_type:
            raise ApiError(400, "InvalidInput", "identifiersType is required when identifiers is specified.")
        if id_type == "SKU" and not (query.get("sellerId") or [""])[0]:
            raise ApiError(400, "InvalidInput", "sellerId is required when identifiersType is SKU.")
        if identifiers:
            # This fake holds ASINs only: other identifier types find nothing, as unknown codes do on Amazon.
            wanted = [i.upper() for i in identifiers] if id_type == "ASIN" else []
            found = [item for asin in dict.fromkeys(wanted) if (item := self._listed(asin, marketplace_id))]
        else:
            words = [k.lower() for k in keywords]
            brands = {b.lower() for b in _values(query, "brandNames")}
            found = [
                item
                for item in self.data.catalog.values()
                if marketplace_id in item.marketplace_ids
                and all(w in item.title.lower() for w in words)
                and (not brands or item.brand.lower() in brands)
            ]
        size = max(1, int((query.get("pageSize") or ["10"])[0]))  # the model bounds it (maximum 20, default 10)
        offset = _page_offset((query.get("pageToken") or [""])[0])
        included = _values(query, "includedData") or ["summaries"]
        payload: dict[str, Any] = {
            "numberOfResults": len(found),
            "items": [self._catalog_item_json(i, marketplace_id, included) for i in found[offset : offset + size]],
        }
        if offset + size < len(found):
            payload["pagination"] = {"nextToken": _page_token(offset + size)}
        if offset:
            payload.setdefault("pagination", {})["previousToken"] = _page_token(max(0, offset - size))
        return json_response(200, payload)


def _page_token(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode()


def _page_offset(token: str) -> int:
    if not token:
        return 0
    try:
        return int(json.loads(base64.urlsafe_b64decode(token.encode()))["o"])
    except (ValueError, KeyError, TypeError):
        raise ApiError(400, "InvalidInput", "Invalid pageToken.") from None


# Messaging sends share one implementation; bind one method per operation id.
def _make_send(action: str) -> Callable[..., Response]:
    def send(
        self: FakeSpApi, *, account: str, params: dict[str, str], query: Mapping[str, list[str]], body: Any, **_: Any
    ) -> Response:
        return self._send(action, account, params, query, body)

    return send


for _action, _operation in MESSAGING_ACTION_OPERATIONS.items():
    setattr(FakeSpApi, "_op_" + _operation, _make_send(_action))


def _hal_actions(base: str, kind: str, names: list[str], marketplace_id: str) -> dict[str, Any]:
    """The HAL answer of getSolicitationActionsForOrder / getMessagingActionsForOrder, as the models
    define it: `_links.actions[].name` is the action; each embedded action links its JSON schema."""
    actions = [{"href": f"{base}/{kind}/{n}?marketplaceIds={marketplace_id}", "name": n} for n in names]
    embedded = [
        {
            "_links": {
                "self": {"href": a["href"]},
                "schema": {"href": f"{base}/{kind}/{a['name']}/schema", "name": a["name"]},
            },
            "payload": {"name": a["name"]},
        }
        for a in actions
    ]
    return {
        "_links": {"self": {"href": f"{base}?marketplaceIds={marketplace_id}"}, "actions": actions},
        "_embedded": {"actions": embedded},
    }


def sandbox_case_for(
    op: Operation, path_params: Mapping[str, str], query: Mapping[str, list[str]]
) -> SandboxCase | None:
    """The model's static sandbox case whose every parameter the request carries with that value."""
    sent: dict[str, Any] = dict(path_params)
    for name, values in query.items():
        sent[name] = [v for raw in values for v in raw.split(",")]
    for case in sorted(op.sandbox_cases(), key=lambda c: -len(c.parameters)):  # most specific first
        if case.parameters and all(_same(sent.get(k), v) for k, v in case.parameters.items()):
            return case
    return None


def _same(sent: object, expected: object) -> bool:
    if isinstance(expected, list):
        return isinstance(sent, list) and [str(v) for v in expected] == sent
    return sent == str(expected) or sent == [str(expected)]


def parse_body(body: bytes, content_type: str) -> Any:
    if not body:
        return None
    if "application/x-www-form-urlencoded" in content_type:
        return {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
    try:
        return json.loads(body)
    except ValueError:
        return {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()} or None
