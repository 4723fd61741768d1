"""SQS consumer of scheduled health checks (issue 6).

One record = one `HealthCheckJob` (an account's marketplaces × run; before issue 20 one account ×
marketplace, still accepted): fetch one V2 performance report for all of them (createReport once per run,
poll getReport for at most the poll budget, download once, parse once), then for each marketplace
`check_account`, post the alerts, `record_post`. A failing record is reported alone in
`batchItemFailures` (ReportBatchItemFailures); SQS redelivers it and after
maxReceiveCount parks it in the DLQ. On the last receive a transient failure first opens
the "report unreadable" alert, so an account is never silently unmonitored.
"""

from __future__ import annotations

import json
import logging
import os
from typing import Any

from aws_lambda_powertools.utilities.batch import process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from pydantic import ValidationError

from bot.jobs.health_checks import MAX_RECEIVES_ENV, POLL_BUDGET_ENV, HealthDeps, health_deps_for, run_account_check
from bot.jobs.health_queue import QUEUE_URL_ENV, HealthCheckJob
from bot.workers.entry import ContainerEntry, LambdaHandler, sqs_batch_processor
from handlers.accounts.revocation import account_usable
from handlers.health.fetch import ReportPending
from infra.spapi.errors import TokenRefused
from infra.sqs import sqs_client

log = logging.getLogger("sellerbot.health_check")

# Amazon is still building the report: look again in a minute, not after the queue's 18-min visibility timeout.
PENDING_RETRY_SECONDS = 60


class BadJob(ValueError):
    """The record is not a HealthCheckJob (a retry will not fix it: it lands in the DLQ)."""


def parse_job(body: str) -> HealthCheckJob:
    try:
        return HealthCheckJob.model_validate(json.loads(body))
    except (json.JSONDecodeError, ValidationError, TypeError) as exc:
        raise BadJob(f"not a health-check job: {str(exc).splitlines()[0][:200]}") from exc


class HealthCheckConsumer:
    """The SQS handler: one health check per record; a failing record fails alone."""

    def __init__(
        self,
        deps: HealthDeps,
        *,
        max_receives: int,
        queue_url: str | None,
        sqs: Any,
        pending_retry_seconds: int,
        poll_budget: float,
    ) -> None:
        self.deps = deps
        self.last = max_receives
        self.queue_url = queue_url
        self.sqs = sqs
        self.pending_retry_seconds = pending_retry_seconds
        self.poll_budget = poll_budget

    def __call__(self, event: dict[str, Any], context: Any) -> PartialItemFailureResponse:
        return process_partial_response(
            event=event,
            record_handler=lambda record: self.check(record, context),
            processor=sqs_batch_processor(),
            context=context,
        )

    def check(self, record: SQSRecord, context: Any) -> None:
        try:
            job = parse_job(record.body)
        except BadJob as exc:
            log.error("health-check record %s rejected: %s", record.message_id, exc)
            raise
        codes = self._configured(job)
        if not codes:
            return
        if not account_usable(self.deps.store, job.account):
            # Queued before Amazon refused the token or an admin disconnected it: not an error, not a DLQ message.
            log.info("health check %s skipped: the account is disconnected (reconnect needed)", job.account)
            return
        where = f"{job.account}/{'+'.join(codes)}"
        remaining = context.get_remaining_time_in_millis() / 1000.0 if context else 60.0
        receives = int(record.attributes.approximate_receive_count or 1)
        try:
            run_account_check(
                self.deps,
                job.account,
                codes,
                run_id=job.run_id,
                deadline=self.deps.clock() + remaining - 2,
                last_attempt=receives >= self.last,
                poll_budget=self.poll_budget,
                skip_done=True,
            )
        except ReportPending as exc:
            log.info(
                "health check %s: report %s still %s; retry in %d s",
                where,
                exc.report_id,
                exc.status,
                self.pending_retry_seconds,
            )
            self._retry_soon(record.receipt_handle)
            raise
        except TokenRefused:
            # Marked and told once by the SP-API factory's hook (bot/jobs/revocation.py); retrying cannot help.
            log.info("health check %s stopped: Amazon refused the account's token (reconnect needed)", where)
        except Exception as exc:
            log.warning("health check %s failed (receive %d of %d): %s", where, receives, self.last, type(exc).__name__)
            raise

    def _configured(self, job: HealthCheckJob) -> list[str]:
        """The job's marketplaces still configured; one removed since it was queued is not worth retrying."""
        codes = []
        for code in job.codes():
            try:
                self.deps.resolve(job.account, code)
            except LookupError as exc:
                log.warning("skipping health check: %s", exc)
                continue
            codes.append(code)
        return codes

    def _retry_soon(self, receipt_handle: str) -> None:
        url = self.queue_url or os.environ.get(QUEUE_URL_ENV)
        if not url:
            return
        try:
            (self.sqs or sqs_client()).change_message_visibility(
                QueueUrl=url, ReceiptHandle=receipt_handle, VisibilityTimeout=self.pending_retry_seconds
            )
        except Exception as exc:
            log.warning("could not shorten the visibility of a pending health check: %s", type(exc).__name__)


def make_handler(
    deps: HealthDeps,
    *,
    max_receives: int | None = None,
    queue_url: str | None = None,
    sqs: Any = None,
    pending_retry_seconds: int = PENDING_RETRY_SECONDS,
    poll_budget: float | None = None,
) -> LambdaHandler:
    """An SQS handler over explicit dependencies (the tests build one over the fake SP-API).

    A report still pending at the deadline fails its record and shortens the message's visibility
    to `pending_retry_seconds`, so the redelivery (same run id → same reportId, no new createReport)
    comes back soon. `poll_budget` (default $SELLERBOT_HEALTH_POLL_BUDGET_SECONDS, 20) caps the polling per
    invocation: a Lambda sleeping on Amazon's report is concurrency nobody else can use (FANOUT.md)."""
    return HealthCheckConsumer(
        deps,
        max_receives=max_receives or int(os.environ.get(MAX_RECEIVES_ENV, "10")),
        queue_url=queue_url,
        sqs=sqs,
        pending_retry_seconds=pending_retry_seconds,
        poll_budget=poll_budget if poll_budget is not None else float(os.environ.get(POLL_BUDGET_ENV, "20")),
    )


# Lambda entry `bot/workers/health_check.handler`.
handler = ContainerEntry(lambda deps: make_handler(health_deps_for(deps)))
