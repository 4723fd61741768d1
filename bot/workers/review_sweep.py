"""Daily review sweep, fanned out through SQS (issue 4).

- `dispatch(event, context)`: the EventBridge schedule target. Enqueues one SweepJob per
  configured account x marketplace.
- `handler(event, context)`: the SQS worker. Runs one sweep per record until the Lambda
  deadline (context.get_remaining_time_in_millis()); a sweep that ran out of time is
  continued by a new message (the checkpoint and per-order claims make that safe), an error
  fails only its record (ReportBatchItemFailures), and repeated failures land in the DLQ.

A sweep spends its time waiting on SP-API's Solicitations rate limits (1 request/s per selling
partner: bench/sweep.py). Those limits are per seller, so the records of one batch run at the same
time, one thread each: one invocation waits for several sellers at once instead of one after the
other. Each sweep is still paced by its own seller's buckets in the shared limiter (two marketplaces
of one seller share them), and its sends stay at most once (per-order claims in the store).
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from slack_sdk import WebClient

from bot import runtime
from bot.deps import Deps
from bot.jobs.heartbeats import ran
from bot.jobs.review_sweeps import QUEUE_URL_ENV, SweepJob, SweepProgress, enqueue_continuation, send_jobs
from bot.jobs.revocation import schedulable_accounts
from bot.logging_setup import bind
from bot.workers.entry import ContainerEntry, LambdaHandler, instrumented
from handlers.accounts.revocation import account_usable
from handlers.reviews.port import ReviewsSpApi
from handlers.reviews.spapi_adapter import SpApiReviewsAdapter
from handlers.reviews.sweep import SweepCounts, SweepReport, SweepRunner
from handlers.reviews.target import resolve_target
from infra.accounts import AccountsConfig
from infra.store.base import Store

log = logging.getLogger("sellerbot.review_sweep")

MAX_CONTINUATIONS = 48  # 48 x 15 min is far beyond a day's orders at 1 request/s
MAX_PARALLEL_SWEEPS = 10  # SQS's largest batch for a standard queue without a window is 10


class ConcurrentBatchProcessor(BatchProcessor):
    """Powertools' SQS batch processor with the records handled at the same time, one thread each.

    Success and failure are collected exactly as the sequential processor does (a failing record is
    reported alone in batchItemFailures); only `process` runs the records concurrently."""

    def __init__(self, max_workers: int = MAX_PARALLEL_SWEEPS) -> None:
        super().__init__(event_type=EventType.SQS)
        self.max_workers = max_workers

    def process(self) -> list[tuple]:
        records = list(self.records)
        if len(records) <= 1:
            return super().process()
        with ThreadPoolExecutor(max_workers=min(self.max_workers, len(records))) as pool:
            return list(pool.map(self._process_record, records))


class SweepFailed(Exception):
    """Raised for one record so SQS redelivers it (and, after maxReceiveCount, parks it in the DLQ)."""


def jobs_for(accounts: AccountsConfig) -> list[SweepJob]:
    """One job per account x marketplace, the sellers interleaved (every account's first marketplace, then every
    second one...): the worker's batches are consecutive messages, and sweeps of different sellers overlap their
    waits while two marketplaces of one seller share its rate limits."""
    pairs = [(k, a, m) for a in accounts.accounts for k, m in enumerate(a.marketplaces)]
    pairs.sort(key=lambda p: p[0])  # stable: accounts keep their order within each round
    return [SweepJob(account=a.account_id, marketplace=m.code, channel=m.alert_channel) for _, a, m in pairs]


@instrumented
def dispatch(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """EventBridge schedule target: one message per configured account x marketplace."""
    queue_url = os.environ[QUEUE_URL_ENV]
    # Accounts whose token Amazon refused or an admin disconnected are skipped (logged), not failed every run.
    accounts = schedulable_accounts(runtime.current_accounts(), runtime.current_registry(), job="reviewSweepDispatch")
    count = send_jobs(jobs_for(accounts), queue_url)
    log.info("enqueued %d review sweeps", count)
    ran("reviewSweepDispatch", {"enqueued": count})  # for /sellerbot status
    return {"enqueued": count}


def run_job(
    job: SweepJob,
    *,
    store: Store,
    spapi: ReviewsSpApi,
    accounts: AccountsConfig,
    slack: WebClient | None,
    clock: Callable[[], float],
    deadline: float,
    enqueue: Callable[..., bool] = enqueue_continuation,
) -> SweepReport:
    """One record: sweep until done or the deadline; continue or fail it as described above."""
    try:
        target = resolve_target(accounts, job.account, job.marketplace)
    except ValueError as exc:
        # A removed account is not worth retrying: log and drop the record.
        log.warning("skipping sweep job: %s", exc)
        return SweepReport(
            run_id="-", target=f"{job.account}/{job.marketplace}", dry_run=False, status="done", counts=SweepCounts()
        )
    skipped = SweepReport(
        run_id="-", target=f"{job.account}/{job.marketplace}", dry_run=False, status="done", counts=SweepCounts()
    )
    if not account_usable(store, job.account):
        # Queued before Amazon refused the token or an admin disconnected it: not an error, not a DLQ message.
        log.info("skipping sweep job for %s: the account is disconnected (reconnect needed)", job.account)
        return skipped
    progress = SweepProgress(slack, job.channel, job.ts) if (slack is not None and job.channel) else None
    report = SweepRunner(store, spapi, clock).run(target, job.user, deadline=deadline, progress=progress)
    if report.status == "paused" and report.stop_reason == "deadline":
        if job.hop >= MAX_CONTINUATIONS:
            raise SweepFailed(f"{target.label()}: still paused after {job.hop} continuations")
        enqueue(target, job.user, job.channel, progress.ts if progress else job.ts, hop=job.hop)
    elif report.status == "paused" and not account_usable(store, job.account):
        log.info("sweep %s stopped: Amazon refused the account's token (reconnect needed)", target.label())
    elif report.status == "paused":
        raise SweepFailed(f"{target.label()}: {report.failures[-1].reason if report.failures else 'SP-API error'}")
    log.info("sweep %s %s: %s", target.label(), report.status, report.counts.model_dump_json())
    return report


def make_handler(
    *,
    store: Store,
    spapi: ReviewsSpApi,
    accounts: AccountsConfig,
    slack: WebClient | None,
    clock: Callable[[], float] = time.time,
    enqueue: Callable[..., bool] = enqueue_continuation,
) -> LambdaHandler:
    """An SQS handler over explicit dependencies (the tests build one over a fake SP-API)."""

    def sqs_handler(event: dict[str, Any], context: Any) -> PartialItemFailureResponse:
        def record_handler(record: SQSRecord) -> None:
            try:
                job = SweepJob.model_validate(json.loads(record.body))
                bind(account=job.account, marketplace=job.marketplace)  # this thread's log lines
                deadline = clock() + context.get_remaining_time_in_millis() / 1000.0
                run_job(
                    job,
                    store=store,
                    spapi=spapi,
                    accounts=accounts,
                    slack=slack,
                    clock=clock,
                    deadline=deadline,
                    enqueue=enqueue,
                )
            except Exception as exc:
                # Logged here: when a whole batch fails, the runtime's error log would be the only trace
                # of why a job is on its way to the DLQ.
                log.error(
                    "review sweep job %s failed (receive %s): %s: %s",
                    record.message_id,
                    record.attributes.approximate_receive_count,
                    type(exc).__name__,
                    str(exc)[:300],
                )
                raise

        return process_partial_response(
            event=event,
            record_handler=record_handler,
            processor=ConcurrentBatchProcessor(),
            context=context,
        )

    return sqs_handler


def handler_for(deps: Deps) -> LambdaHandler:
    """The SQS handler over the process runtime's store, SP-API factory, accounts and Slack client."""
    return make_handler(
        store=deps.store,
        spapi=SpApiReviewsAdapter(deps.spapi),
        accounts=deps.accounts,
        slack=deps.slack,
        clock=deps.clock,
    )


# Lambda entry `bot/workers/review_sweep.handler`.
handler = ContainerEntry(handler_for)
