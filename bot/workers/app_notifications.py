"""Amazon's application notifications (the AppNotifications queue; issue 21 item 4b).

- APPLICATION_OAUTH_CLIENT_NEW_SECRET: the secret rotateApplicationClientSecret produced. Stored as <prefix>/lwa
  through SecretWriter (this function's role alone may write that parameter), its expiry times recorded, the
  admins told. A redelivered notification writes nothing and tells nobody again.
- APPLICATION_OAUTH_CLIENT_SECRET_EXPIRY: Amazon's notice that the secret expires; the date is recorded (the
  doctor and the weekly lwaRotation run read it) and the admins are told, with the manual steps.
The body of a notification is never logged: it holds the secret. A malformed one, or one naming another LWA
client, is acknowledged with its reason logged (retrying cannot fix it; parking it would copy a secret); a
transient failure (SSM, the store) fails the record so SQS retries it, then moves it to the DLQ.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools.utilities.batch import process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from bot.deps import Deps
from bot.views.lwa_rotation import expiry_notice, rotated
from bot.workers.entry import ContainerEntry, LambdaHandler, LambdaResult, sqs_batch_processor
from bot.workers.lwa_rotation import tell_admins
from handlers.onboarding.rotation import (
    ROTATE_WITHIN_DAYS,
    LwaSecretBook,
    LwaWriter,
    NewClientSecret,
    NotThisApp,
    SecretExpiryNotice,
    apply_expiry,
    apply_new_secret,
    parse_app_notification,
)
from infra.store.base import Store

log = logging.getLogger("sellerbot.app_notifications")


class AppNotificationConsumer:
    def __init__(
        self,
        *,
        store: Store,
        app_id: Callable[[], str],
        writer: LwaWriter,
        notify: Callable[[str], int],
        stage: str,
        now: Callable[[], datetime],
    ) -> None:
        self.book = LwaSecretBook(store)
        self.app_id, self.writer, self.notify, self.stage, self.now = app_id, writer, notify, stage, now

    def __call__(self, event: dict[str, Any], context: Any) -> LambdaResult:
        return process_partial_response(
            event=event, record_handler=self.record, processor=sqs_batch_processor(), context=context
        )

    def record(self, record: SQSRecord) -> str:
        return self.process(record.body)

    def process(self, body: str) -> str:
        """One notification; the outcome in a word (for the counts and tests). Raises on a transient failure."""
        try:
            n = parse_app_notification(body)
        except ValueError as exc:
            log.warning("application notification acknowledged unread: %s", exc)
            return "malformed"
        try:
            if isinstance(n, NewClientSecret):
                if not apply_new_secret(n, app_id=self.app_id(), writer=self.writer, book=self.book):
                    log.info("new client secret already applied", extra={"notification_id": n.notification_id})
                    return "duplicate"
                log.info("new LWA client secret stored", extra={"notification_id": n.notification_id})
                self.notify(rotated(n.new_expiry, n.old_expiry))
                return "rotated"
            if isinstance(n, SecretExpiryNotice):
                if apply_expiry(n, app_id=self.app_id(), book=self.book, now=self.now()):
                    self.notify(
                        expiry_notice(n.expires_at, n.reason, stage=self.stage, rotate_within_days=ROTATE_WITHIN_DAYS)
                    )
                log.info("LWA client secret expiry notice", extra={"notification_id": n.notification_id})
                return "expiry"
        except NotThisApp:
            log.warning("application notification for another LWA client acknowledged unread")
            return "not_this_app"
        log.info("application notification of another type ignored", extra={"notification_type": n})
        return "ignored"


def make_handler(deps: Deps) -> LambdaHandler:
    from infra.secret_writer import SecretWriter
    from infra.secrets import credentials_source

    settings = deps.settings
    credentials = credentials_source(settings)
    return AppNotificationConsumer(
        store=deps.store,
        app_id=lambda: credentials.lwa().lwa_app_id,
        writer=SecretWriter(settings),
        notify=lambda text: tell_admins(deps.slack, deps.accounts.admins, settings.ops_channel, text),
        stage=settings.stage,
        now=lambda: datetime.fromtimestamp(deps.clock(), UTC),
    )


# Lambda entry `bot/workers/app_notifications.handler`.
handler = ContainerEntry(make_handler)
