"""An in-memory implementation of the ReviewsSpApi port for unit tests (no library involved)."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import datetime

from handlers.reviews.errors import SpApiFailure
from handlers.reviews.port import REVIEW_ACTION, OrdersPage, OrderSummary
from handlers.reviews.target import Target


class MemorySpApi:
    def __init__(self, orders: list[OrderSummary] | None = None, page_size: int = 3) -> None:
        self.orders = {o.order_id: o for o in orders or []}
        self.page_size = page_size
        self.calls: Counter[str] = Counter()
        self.targets: dict[str, str] = {}  # operation -> label of the target it was last called for
        self.solicited: set[str] = set()
        self.messages: list[tuple[str, str, str]] = []
        self.message_actions = ["confirmOrderDetails", "unexpectedProblem", "legalDisclosure"]
        self.fail: dict[str, SpApiFailure] = {}  # operation -> failure raised once
        self.before_send = None  # hook to interleave a concurrent caller
        self.on_list_or_check = None  # hook run by getOrders and getSolicitationActionsForOrder (clock ticks)
        self._lock = threading.Lock()

    def _enter(self, op: str, target: Target | None = None) -> None:
        with self._lock:
            self.calls[op] += 1
            if target is not None:
                self.targets[op] = target.label()
            exc = self.fail.pop(op, None)
        if exc:
            raise exc

    def get_order(self, target: Target, order_id: str, *, deadline: float | None = None) -> OrderSummary:
        self._enter("getOrder")
        if order_id not in self.orders:
            raise SpApiFailure("not_found", "getOrder", "Order not found", 404)
        return self.orders[order_id]

    def list_orders(
        self, target: Target, *, created_after: datetime, next_token: str | None = None, deadline: float | None = None
    ) -> OrdersPage:
        self._enter("getOrders")
        ids = sorted(self.orders)
        start = int(next_token or 0)
        chunk = ids[start : start + self.page_size]
        nxt = str(start + self.page_size) if start + self.page_size < len(ids) else None
        return OrdersPage(orders=[self.orders[i] for i in chunk], next_token=nxt)

    def solicitation_actions(self, target: Target, order_id: str, *, deadline: float | None = None) -> list[str]:
        self._enter("getSolicitationActionsForOrder")
        if self.on_list_or_check:
            self.on_list_or_check()
        return [] if order_id in self.solicited else [REVIEW_ACTION]

    def request_review(self, target: Target, order_id: str, *, deadline: float | None = None) -> None:
        if self.before_send:
            hook, self.before_send = self.before_send, None
            hook()
        self._enter("createProductReviewAndSellerFeedbackSolicitation", target)
        with self._lock:
            if order_id in self.solicited:
                raise SpApiFailure(
                    "forbidden",
                    "createProductReviewAndSellerFeedbackSolicitation",
                    "The requested solicitation is not available for this amazonOrderId",
                    403,
                )
            self.solicited.add(order_id)

    def messaging_actions(self, target: Target, order_id: str, *, deadline: float | None = None) -> list[str]:
        self._enter("getMessagingActionsForOrder")
        return list(self.message_actions)

    def send_message(
        self, target: Target, order_id: str, action: str, text: str, *, deadline: float | None = None
    ) -> None:
        self._enter(action)
        self.messages.append((order_id, action, text))
