"""Review requests (Solicitations API) and proactive buyer messages (Messaging API), issue 4.

Public API:
- parse_order_id(text) -> str; InvalidOrderId
- ReviewRequestService(store, spapi, clock).request(target, order_id, user) -> ReviewOutcome
- SweepRunner(store, spapi, clock).run(target, user, dry_run=False, deadline=None, progress=None) -> SweepReport
- MessagingService(store, spapi, clock): draft(...) -> MessageDraftOutcome, send(draft_id, user), cancel(draft_id, user)
- ReviewsSpApi (the port), SpApiReviewsAdapter (python-amazon-sp-api through infra.spapi)
- resolve_target(accounts, account=None, marketplace=None) -> Target
"""

from handlers.reviews.errors import SpApiFailure, TargetError
from handlers.reviews.orders import ORDER_ID_PATTERN, InvalidOrderId, parse_order_id
from handlers.reviews.port import OrdersPage, OrderSummary, ReviewsSpApi
from handlers.reviews.target import Target, resolve_target

__all__ = [
    "ORDER_ID_PATTERN",
    "InvalidOrderId",
    "OrderSummary",
    "OrdersPage",
    "ReviewsSpApi",
    "SpApiFailure",
    "Target",
    "TargetError",
    "parse_order_id",
    "resolve_target",
]
