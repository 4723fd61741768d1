"""A minimal SP-API stand-in over real HTTP for the adapter tests (Orders v0, Solicitations, Messaging, LWA).

Kept to what the adapter calls: it lets the functional test run the real python-amazon-sp-api
clients end to end (URL, query string, body, status -> exception) while infra/fakes/sp_api
(the shared, rate-enforcing fake) is being built elsewhere.
"""
from __future__ import annotations

import json
import re
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from sp_api.auth.access_token_client import AccessTokenClient
from sp_api.base import Marketplaces

REVIEW = "productReviewAndSellerFeedbackSolicitation"
_MARKETPLACES = {"UK": "GB"}


class HttpFakeSpApi:
    def __init__(self, orders: list[dict[str, Any]], page_size: int = 2) -> None:
        self.orders = {o["AmazonOrderId"]: o for o in orders}
        self.page_size = page_size
        self.calls: Counter[str] = Counter()
        self.requests: list[tuple[str, str, dict[str, list[str]], Any]] = []
        self.solicited: set[str] = set()
        self.messages: list[tuple[str, str, dict]] = []
        self.message_actions = ["confirmOrderDetails", "unexpectedProblem"]
        self.status_for: dict[str, int] = {}  # operation -> forced error status (once)
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    def start(self) -> str:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    def route(self, method: str, path: str, query: dict[str, list[str]], body: Any) -> tuple[int, dict]:
        if path == "/auth/o2/token":
            return 200, {"access_token": "Atza|fake", "token_type": "bearer", "expires_in": 3600}
        m = re.fullmatch(r"/orders/v0/orders(?:/([\d-]+))?", path)
        if m and method == "GET":
            return self._orders(m.group(1), query)
        m = re.fullmatch(r"/solicitations/v1/orders/([\d-]+)(/solicitations/productReviewAndSellerFeedback)?", path)
        if m:
            op = "createProductReviewAndSellerFeedbackSolicitation" if m.group(2) else "getSolicitationActionsForOrder"
            return self._solicitation(op, m.group(1), query)
        m = re.fullmatch(r"/messaging/v1/orders/([\d-]+)(?:/messages/(\w+))?", path)
        if m:
            return self._messaging(m.group(1), m.group(2), query, body)
        return 404, {"errors": [{"code": "NotFound", "message": f"no route {path}"}]}

    def _forced(self, op: str) -> tuple[int, dict] | None:
        with self._lock:
            self.calls[op] += 1
            status = self.status_for.pop(op, None)
        if status:
            return status, {"errors": [{"code": {403: "Unauthorized", 404: "NotFound", 429: "QuotaExceeded"}
                                        .get(status, "Error"), "message": f"forced {status}"}]}
        return None

    def _orders(self, order_id: str | None, query: dict) -> tuple[int, dict]:
        forced = self._forced("getOrder" if order_id else "getOrders")
        if forced:
            return forced
        if order_id:
            if order_id not in self.orders:
                return 404, {"errors": [{"code": "NotFound", "message": "Order not found"}]}
            return 200, {"payload": self.orders[order_id]}
        start = int(query.get("NextToken", ["0"])[0])
        ids = sorted(self.orders)
        page = [self.orders[i] for i in ids[start:start + self.page_size]]
        payload: dict[str, Any] = {"Orders": page}
        if start + self.page_size < len(ids):
            payload["NextToken"] = str(start + self.page_size)
        return 200, {"payload": payload}

    def _solicitation(self, op: str, order_id: str, query: dict) -> tuple[int, dict]:
        forced = self._forced(op)
        if forced:
            return forced
        if "marketplaceIds" not in query:  # what Amazon answers to the library's default call
            return 400, {"errors": [{"code": "InvalidInput",
                                     "message": "Missing or invalid request parameters: [marketplaceIds]"}]}
        if op == "getSolicitationActionsForOrder":
            actions = [] if order_id in self.solicited else [{"href": f"/solicitations/v1/orders/{order_id}/"
                                                             "solicitations/productReviewAndSellerFeedback",
                                                             "name": REVIEW}]
            return 200, {"_links": {"actions": actions, "self": {"href": f"/solicitations/v1/orders/{order_id}"}},
                         "_embedded": {"actions": []}}
        with self._lock:
            if order_id in self.solicited:
                return 403, {"errors": [{"code": "Unauthorized", "message":
                                         "The requested solicitation is not available for this amazonOrderId"}]}
            self.solicited.add(order_id)
        return 201, {}

    def _messaging(self, order_id: str, action: str | None, query: dict, body: Any) -> tuple[int, dict]:
        forced = self._forced(action or "getMessagingActionsForOrder")
        if forced:
            return forced
        if "marketplaceIds" not in query:
            return 400, {"errors": [{"code": "InvalidInput", "message": "marketplaceIds missing"}]}
        if action is None:
            return 200, {"_links": {"actions": [{"href": f"/messaging/v1/orders/{order_id}/messages/{a}", "name": a}
                                                for a in self.message_actions]}}
        self.messages.append((order_id, action, body or {}))
        return 201, {}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _serve(self, method: str) -> None:
                url = urlsplit(self.path)
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    body = json.loads(raw) if raw and "json" in (self.headers.get("Content-Type") or "") else (
                        parse_qs(raw.decode()) if raw else None)
                except ValueError:
                    body = None
                query = parse_qs(url.query)
                fake.requests.append((method, url.path, query, body))
                status, payload = fake.route(method, url.path, query, body)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                self._serve("GET")

            def do_POST(self) -> None:
                self._serve("POST")

        return Handler


class DirectFactory:
    """client()/call() as infra.spapi's factory offers them, minus the limiter and retries."""

    def __init__(self, base_url: str) -> None:
        host = base_url.split("://", 1)[1]

        class LocalToken(AccessTokenClient):
            scheme = "http://"

        LocalToken.host = host
        self.base_url, self.token_cls = base_url, LocalToken
        self._clients: dict[tuple, Any] = {}

    def client(self, api_cls: type, account: Any, marketplace_code: str) -> Any:
        # Cached like the real factory: building a client walks the credential-provider chain.
        key = (api_cls, account.account_id, marketplace_code)
        if key not in self._clients:
            self._clients[key] = self._build(api_cls, account, marketplace_code)
        return self._clients[key]

    def _build(self, api_cls: type, account: Any, marketplace_code: str) -> Any:
        marketplace = getattr(Marketplaces, _MARKETPLACES.get(marketplace_code, marketplace_code))
        c = api_cls(marketplace, refresh_token=f"Atzr|{account.account_id}",
                    credentials={"lwa_app_id": "app", "lwa_client_secret": "secret"},
                    auth_token_client_class=self.token_cls)
        c.endpoint = self.base_url  # documented redirect for a fake (sp-api.md §4)
        return c

    def call(self, operation: str, account: Any, fn: Any, *args: Any, deadline: float | None = None, **kw: Any) -> Any:
        return fn(*args, **kw)
