"""Scheduled health checks: the EventBridge schedule target (issue 6).

`dispatch(event, context)` enqueues one `HealthCheckJob` per configured account (one seller ×
region), carrying its marketplaces, on the health-check queue (SendMessageBatch, 10 per call), spread over
`SELLERBOT_HEALTH_SPREAD_SECONDS` (bot/jobs/health_queue.py says how). Re-running the
dispatcher is harmless: the run id makes a redelivered or duplicated job resume the same
report, and alerts are deduplicated by flag and episode.
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime
from typing import Any

from bot import runtime
from bot.jobs.health_queue import QUEUE_URL_ENV, plan, run_id_for, send_jobs
from bot.jobs.heartbeats import ran
from bot.jobs.revocation import schedulable_accounts
from bot.workers.entry import instrumented
from infra.accounts import AccountsConfig

log = logging.getLogger("sellerbot.health_schedule")

SPREAD_ENV = "SELLERBOT_HEALTH_SPREAD_SECONDS"


def fan_out(
    accounts: AccountsConfig, queue_url: str, *, when: datetime, sqs: Any = None, spread_seconds: int | None = None
) -> int:
    spread = int(os.environ.get(SPREAD_ENV, "600")) if spread_seconds is None else spread_seconds
    planned = plan(accounts.pairs(), run_id=run_id_for(when), spread_seconds=spread)
    return send_jobs(planned, queue_url, sqs)


@instrumented
def dispatch(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """EventBridge schedule target: one message per account in the store, covering its marketplaces."""
    when = datetime.now(UTC)
    raw_time = (event or {}).get("time")
    if isinstance(raw_time, str):
        try:
            when = datetime.fromisoformat(raw_time.replace("Z", "+00:00"))
        except ValueError:
            pass
    # Accounts whose token Amazon refused or an admin disconnected are skipped (logged), not failed every run.
    accounts = schedulable_accounts(runtime.current_accounts(), runtime.current_registry(), job="healthSchedule")
    count = fan_out(accounts, os.environ[QUEUE_URL_ENV], when=when)
    log.info("enqueued %d health checks (one per account)", count)
    ran("healthSchedule", {"enqueued": count})  # for /sellerbot status
    return {"enqueued": count}
