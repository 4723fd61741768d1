"""SP-API push notifications → red-flag alerts (issue 6).

Two event shapes reach `handler` (serverless.yml wires both):
- SQS (`Records`): what Amazon's SQS workflow delivers (`ACCOUNT_STATUS_CHANGED`,
  `PRICING_HEALTH`, and any other type the app subscribes to): the body is the
  notification. A body that is an EventBridge event forwarded to a queue (the
  notification in `detail`) is read too. Each record is processed on its own.
- EventBridge (`detail-type` / `detail`): `LISTINGS_ITEM_ISSUES_CHANGE` from the SP-API
  partner event bus; the notification is `detail`.

Outcomes, the same for both shapes:
- applied: alerts opened/resolved and posted.
- REPORT_PROCESSING_FINISHED for a report a health check requested: that check is queued on the
  health-check queue without delay, and the check worker (the function that holds the Amazon secrets)
  resumes the same report at once; without a queue (local runs) it is finished here
  (bot/jobs/health_checks.finish_check). Nothing waits for the check's delayed re-poll, which stays
  the fallback for a lost notification and acknowledges a run already done.
- a type that opens no alert (ORDER_CHANGE, REPORT_PROCESSING_FINISHED of any other report,
  LISTINGS_ITEM_STATUS_CHANGE) or a type this bot does not read: acknowledged,
  logged with its type (and id) only — never the payload, which can carry buyer data.
- malformed (also: a marketplace id not in the marketplace table, input that crashes the
  JSON parser) or not this app's (another `applicationId` than SELLERBOT_SPAPI_APPLICATION_ID,
  an EventBridge source other than the SP-API partner source): acknowledged (never retried: a
  retry cannot fix it), logged with the reason (field names, no payload values) and, when
  `SELLERBOT_HEALTH_NOTIFICATIONS_DLQ_URL` is set, parked in that DLQ with the reason as a
  message attribute for a human.
- `UnknownSeller` / unregistered subscription: an SQS record fails (SQS retries, then
  its redrive policy moves it to the DLQ: the account may be configured meanwhile); an
  EventBridge event is parked in the DLQ.
- a transient failure (store, Slack) fails the record / raises, so it is retried.

`ACCOUNT_STATUS_CHANGED` names no seller: the account comes from the subscription id
(recorded by `sellerbot health subscribe`, handlers/health/subscriptions.py), or from
`sellerId` when present.
"""

from __future__ import annotations

import json
import logging
import os
from typing import Any

from aws_lambda_powertools.utilities.batch import process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from pydantic import BaseModel

from bot.deps import Deps
from bot.jobs.health_checks import HealthDeps, deliver, finish_check, health_deps_for, requested_check
from bot.jobs.health_queue import QUEUE_URL_ENV, HealthCheckJob, send_jobs
from bot.workers.entry import ContainerEntry, LambdaHandler, LambdaResult, sqs_batch_processor
from handlers.health.notifications import (
    AccountStatusChangedNotification,
    NotificationMalformed,
    ReportProcessingFinishedNotification,
    UnknownNotificationType,
    affects_alerts,
    parse_notification,
)
from handlers.health.service import UnknownSeller, apply_notification
from handlers.health.subscriptions import subscription_for
from infra import metrics
from infra.sqs import sqs_client

log = logging.getLogger("sellerbot.health_notifications")

DLQ_URL_ENV = "SELLERBOT_HEALTH_NOTIFICATIONS_DLQ_URL"
NOT_RETRYABLE = (NotificationMalformed, UnknownSeller)
REPORT_FINISH_SECONDS = 25  # of the function's 30 s timeout: one getReport, the download, the posts (local runs)


class Applied(BaseModel):
    notification_type: str
    notification_id: str
    posted: int
    ignored: bool = False  # read and acknowledged, but this type opens no alert


def process(
    raw: str | bytes | dict,
    deps: HealthDeps,
    *,
    application_id: str | None = None,
    check_queue_url: str | None = None,
    sqs: Any = None,
) -> Applied:
    """One notification: parse, route to its account, open/resolve alerts, post. Raises UnknownNotificationType,
    NotificationMalformed (NotThisApp among them), UnknownSeller (none retryable) or a transient error."""
    notification = parse_notification(raw, application_id=application_id)
    if isinstance(notification, ReportProcessingFinishedNotification):
        report = notification.payload.report
        request = requested_check(deps, report.report_id, seller_id=report.seller_id)
        if request is not None:
            posted = 0
            if check_queue_url:
                job = HealthCheckJob(
                    account=request.account, marketplaces=request.codes, run_id=request.run_id, reason="retry"
                )
                send_jobs([(job, 0)], check_queue_url, sqs)
            else:
                runs = finish_check(deps, request, deadline=deps.clock() + REPORT_FINISH_SECONDS)
                posted = sum(run.delivery.posted for run in runs)
            return Applied(
                notification_type=notification.notification_type,
                notification_id=notification.metadata.notification_id,
                posted=posted,
            )
    if not affects_alerts(notification):
        return Applied(
            notification_type=notification.notification_type,
            notification_id=notification.metadata.notification_id,
            posted=0,
            ignored=True,
        )
    account_id = marketplace = None
    if isinstance(notification, AccountStatusChangedNotification) and not notification.payload.change.seller_id:
        sub = subscription_for(deps.store, notification.metadata.subscription_id)
        if sub is None:
            raise UnknownSeller(
                "ACCOUNT_STATUS_CHANGED names no seller and its subscriptionId is not recorded for an account; "
                "record it with `sellerbot health subscribe --account ID --subscription-id ID`"
            )
        account_id, marketplace = sub.account_id, sub.marketplace
    book = deps.book()
    posts = apply_notification(
        notification, deps.accounts, deps.store, deps.now(), account_id=account_id, marketplace=marketplace, book=book
    )
    delivery = deliver(posts, deps, book=book, event=notification.notification_type)
    return Applied(
        notification_type=notification.notification_type,
        notification_id=notification.metadata.notification_id,
        posted=delivery.posted,
    )


def _applied_log(applied: Applied, where: str) -> None:
    if applied.ignored:
        log.info(
            "%s: notification %s %s acknowledged; this type opens no alert",
            where,
            applied.notification_type,
            applied.notification_id,
        )
    else:
        log.info(
            "%s: notification %s %s applied, %d posted",
            where,
            applied.notification_type,
            applied.notification_id,
            applied.posted,
        )


class NotificationConsumer:
    """The Lambda handler for both shapes: SQS records one by one, or one EventBridge event."""

    def __init__(
        self,
        deps: HealthDeps,
        *,
        dlq_url: str | None = None,
        sqs: Any = None,
        application_id: str | None = None,
        check_queue_url: str | None = None,
    ) -> None:
        self.deps, self.dlq_url, self.sqs = deps, dlq_url, sqs
        self.application_id = application_id
        self.check_queue_url = check_queue_url

    def _process(self, raw: str | bytes | dict) -> Applied:
        return process(
            raw,
            self.deps,
            application_id=self.application_id,
            check_queue_url=self.check_queue_url or os.environ.get(QUEUE_URL_ENV),
            sqs=self.sqs,
        )

    def __call__(self, event: dict[str, Any], context: Any) -> LambdaResult:
        if isinstance(event, dict) and "Records" in event:
            return process_partial_response(
                event=event, record_handler=self.on_record, processor=sqs_batch_processor(), context=context
            )
        return self.on_event(event)

    def on_record(self, record: SQSRecord) -> None:
        where = f"SQS record {record.message_id}"
        try:
            applied = self._process(record.body)
        except UnknownNotificationType as exc:
            log.warning("%s: notification type %r is not handled here; acknowledged", where, exc.notification_type)
            return
        except NotificationMalformed as exc:
            reason = exc.reason[:900]
            parked = self.park(record.body, reason, where)
            log.error(
                "%s: malformed notification acknowledged, not retried%s: %s",
                where,
                " (copied to the DLQ)" if parked else "",
                reason,
            )
            return
        except UnknownSeller as exc:
            log.error("%s: rejected (goes to the DLQ after maxReceiveCount): %s", where, exc)
            raise
        _applied_log(applied, where)

    def on_event(self, event: dict[str, Any]) -> dict[str, Any]:
        event_id = str(event.get("id", "?"))[:80] if isinstance(event, dict) else "?"
        where = f"EventBridge event {event_id}"
        try:
            applied = self._process(event)
        except UnknownNotificationType as exc:
            log.warning("%s: notification type %r is not handled here; acknowledged", where, exc.notification_type)
            return {"status": "ignored", "notification_type": exc.notification_type}
        except NOT_RETRYABLE as exc:
            reason = str(exc)[:900]
            parked = self.park(json.dumps(event, default=str), reason, where)
            log.error(
                "%s: rejected, acknowledged and not retried%s: %s",
                where,
                " (copied to the DLQ)" if parked else "",
                reason,
            )
            return {"status": "dead-lettered" if parked else "rejected", "reason": reason}
        _applied_log(applied, where)
        return {"status": "ignored" if applied.ignored else "applied", **applied.model_dump()}

    def park(self, body: str, reason: str, where: str) -> bool:
        """Copy a rejected notification to the DLQ with the reason, for a human; False when there is none or it
        failed (the notification is acknowledged either way: retrying cannot fix it)."""
        target = self.dlq_url or os.environ.get(DLQ_URL_ENV)
        if not target:
            return False
        try:
            (self.sqs or sqs_client()).send_message(
                QueueUrl=target,
                MessageBody=body[:250_000],
                MessageAttributes={"reason": {"DataType": "String", "StringValue": reason or "malformed"}},
            )
        except Exception as exc:  # the DLQ is best effort: never turn a bad notification into endless retries
            log.error("%s: could not park the rejected notification in the DLQ (%s)", where, type(exc).__name__)
            return False
        metrics.count(metrics.MESSAGES_PARKED, detail="health-notifications")
        return True


def make_handler(
    deps: HealthDeps,
    *,
    dlq_url: str | None = None,
    sqs: Any = None,
    application_id: str | None = None,
    check_queue_url: str | None = None,
) -> LambdaHandler:
    """`application_id`: only this app's notifications are read (None: any app's, for local runs and the demo).
    `check_queue_url` (default $SELLERBOT_HEALTH_CHECK_QUEUE_URL): where a notified health check is resumed."""
    return NotificationConsumer(
        deps, dlq_url=dlq_url, sqs=sqs, application_id=application_id, check_queue_url=check_queue_url
    )


def _from_runtime(deps: Deps) -> LambdaHandler:
    application_id = deps.settings.spapi_application_id
    if application_id is None:
        log.warning("SELLERBOT_SPAPI_APPLICATION_ID is not set: notifications of any SP-API app are read")
    return make_handler(health_deps_for(deps), application_id=application_id)


# Lambda entry `bot/workers/health_notifications.handler`.
handler = ContainerEntry(_from_runtime)
