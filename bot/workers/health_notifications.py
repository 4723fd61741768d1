"""SP-API push notifications → red-flag alerts (issue 6).

Two event shapes reach `handler`:
- SQS (`Records`): `ACCOUNT_STATUS_CHANGED` and `PRICING_HEALTH` as Amazon delivers them
  (the body is the notification), or an EventBridge event forwarded to a queue. Each
  record is processed on its own; a malformed or unroutable record is reported in
  `batchItemFailures` (reason logged) and, after maxReceiveCount, lands in the DLQ. The
  other records of the batch are unaffected.
- EventBridge (`detail-type` / `detail`): `LISTINGS_ITEM_ISSUES_CHANGE` from the SP-API
  partner event bus. A malformed event is sent to the DLQ with the reason as a message
  attribute (`SELLERBOT_HEALTH_NOTIFICATIONS_DLQ_URL`) instead of burning retries; a
  transient failure raises so Lambda retries it (then the rule's DLQ).

`ACCOUNT_STATUS_CHANGED` names no seller: the account comes from the subscription id
(`register_subscription`, stored when the subscription is created), or from `sellerId`
when present.
"""
from __future__ import annotations

import json
import logging
import os
from typing import Any, Callable

from pydantic import BaseModel

from bot.workers.health_core import ContainerEntry, HealthDeps, deliver
from handlers.health.notifications import AccountStatusChangedNotification, NotificationMalformed, parse_notification
from handlers.health.service import UnknownSeller, apply_notification
from infra.sqs import sqs_client
from infra.store.base import Item, Store

log = logging.getLogger("sellerbot.health_notifications")

DLQ_URL_ENV = "SELLERBOT_HEALTH_NOTIFICATIONS_DLQ_URL"
NOT_RETRYABLE = (NotificationMalformed, UnknownSeller)


class Subscription(BaseModel):
    subscription_id: str
    account_id: str
    marketplace: str | None = None


def _sub_key(subscription_id: str) -> tuple[str, str]:
    return f"SPAPISUB#{subscription_id}", "ACCOUNT"


def register_subscription(store: Store, subscription_id: str, account_id: str, marketplace: str | None = None) -> bool:
    """Remember which account an SP-API subscription belongs to (ACCOUNT_STATUS_CHANGED names no seller)."""
    pk, sk = _sub_key(subscription_id)
    sub = Subscription(subscription_id=subscription_id, account_id=account_id, marketplace=marketplace)
    return store.put_if_absent(Item(pk=pk, sk=sk, data=sub.model_dump()))


def _subscription(store: Store, subscription_id: str | None) -> Subscription | None:
    if not subscription_id:
        return None
    item = store.get(*_sub_key(subscription_id))
    return Subscription.model_validate(item.data) if item else None


class Applied(BaseModel):
    notification_type: str
    notification_id: str
    posted: int


def process(raw: str | bytes | dict, deps: HealthDeps) -> Applied:
    """One notification: parse, route to its account, open/resolve alerts, post. Raises NotificationMalformed,
    UnknownSeller (not retryable) or a transient error."""
    notification = parse_notification(raw)
    account_id = marketplace = None
    if isinstance(notification, AccountStatusChangedNotification) and not notification.payload.change.seller_id:
        sub = _subscription(deps.store, notification.metadata.subscription_id)
        if sub is None:
            raise UnknownSeller(f"ACCOUNT_STATUS_CHANGED names no seller and subscription "
                                f"{notification.metadata.subscription_id!r} is not registered to an account")
        account_id, marketplace = sub.account_id, sub.marketplace
    book = deps.book()
    posts = apply_notification(notification, deps.accounts, deps.store, deps.now(), account_id=account_id,
                               marketplace=marketplace, book=book)
    delivery = deliver(posts, deps, book=book)
    return Applied(notification_type=notification.notification_type,
                   notification_id=notification.metadata.notification_id, posted=delivery.posted)


def make_handler(deps: HealthDeps, *, dlq_url: str | None = None,
                 sqs: Any = None) -> Callable[[dict[str, Any], Any], dict[str, Any]]:
    from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

    def _processor() -> BatchProcessor:
        # A batch in which every record failed is still answered with batchItemFailures, not an exception:
        # powertools' default raise would count as a function error (error alarms, Lambda backoff).
        return BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)

    def record_handler(record: SQSRecord) -> None:
        try:
            applied = process(record.body, deps)
        except NOT_RETRYABLE as exc:
            log.error("notification record %s rejected (goes to the DLQ after maxReceiveCount): %s",
                      record.message_id, exc)
            raise
        log.info("notification %s %s applied, %d posted", applied.notification_type, applied.notification_id,
                 applied.posted)

    def event_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        if isinstance(event, dict) and "Records" in event:
            return process_partial_response(event=event, record_handler=record_handler,
                                            processor=_processor(),
                                        context=context)
        try:
            applied = process(event, deps)
        except NOT_RETRYABLE as exc:
            reason = str(exc)[:900]
            target = dlq_url or os.environ.get(DLQ_URL_ENV)
            log.error("EventBridge notification %s rejected: %s", (event or {}).get("id", "?"), reason)
            if not target:
                raise
            (sqs or sqs_client()).send_message(
                QueueUrl=target, MessageBody=json.dumps(event, default=str)[:250_000],
                MessageAttributes={"reason": {"DataType": "String", "StringValue": reason or "malformed"}})
            return {"status": "dead-lettered", "reason": reason}
        return {"status": "applied", **applied.model_dump()}

    return event_handler


# Lambda entry `bot/workers/health_notifications.handler`.
handler = ContainerEntry(make_handler)
