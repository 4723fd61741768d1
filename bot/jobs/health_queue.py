"""The health-check queue: one `HealthCheckJob` per account × marketplace × run (issue 6).

Both the scheduled fan-out (`bot/workers/health_schedule.dispatch`) and `/health check`, when it runs
out of time in Slack, queue checks here for the health-check worker. Each message gets a
`DelaySeconds` so the checks spread over the window instead of firing at once, and the marketplaces
of one seller are at least a minute apart: createReport is 0.0167/s (one a minute) per seller × app,
so a seller's bucket refills between its own requests (handlers/health/FANOUT.md). The run id makes
a redelivered or duplicated job resume the same report, and alerts are deduplicated by flag and
episode, so queueing a pair twice is harmless.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from infra.accounts import AccountConfig, MarketplaceConfig
from infra.sqs import send_batches

QUEUE_URL_ENV = "SELLERBOT_HEALTH_CHECK_QUEUE_URL"
MAX_DELAY_SECONDS = 900  # SQS's DelaySeconds limit
SELLER_GAP_SECONDS = 60  # createReport: 0.0167/s per seller × app

Reason = Literal["schedule", "slack", "retry"]


class HealthCheckJob(BaseModel):
    account: str = Field(min_length=1)
    marketplace: str = Field(pattern=r"^[A-Z]{2}$")
    run_id: str = Field(min_length=1)  # one createReport per (account, marketplace, run)
    reason: Reason = "schedule"


def delay_for(account_id: str, index_in_account: int, spread_seconds: int) -> int:
    """Stable per-seller offset within the spread window, plus a minute per further marketplace."""
    spread = max(0, min(spread_seconds, MAX_DELAY_SECONDS))
    base = zlib.crc32(account_id.encode()) % spread if spread else 0
    return min(MAX_DELAY_SECONDS, base + SELLER_GAP_SECONDS * index_in_account)


def plan(
    pairs: Iterable[tuple[AccountConfig, MarketplaceConfig]],
    *,
    run_id: str,
    spread_seconds: int,
    reason: Reason = "schedule",
) -> list[tuple[HealthCheckJob, int]]:
    """(job, DelaySeconds) per pair."""
    seen: dict[str, int] = {}
    out = []
    for account, marketplace in pairs:
        k = seen.get(account.account_id, 0)
        seen[account.account_id] = k + 1
        job = HealthCheckJob(account=account.account_id, marketplace=marketplace.code, run_id=run_id, reason=reason)
        out.append((job, delay_for(account.account_id, k, spread_seconds)))
    return out


def send_jobs(planned: list[tuple[HealthCheckJob, int]], queue_url: str, sqs: Any = None) -> int:
    return send_batches(planned, queue_url, what="health-check jobs", sqs=sqs)


def run_id_for(when: datetime) -> str:
    return "sched-" + when.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


def enqueue_pairs(
    pairs: list[tuple[AccountConfig, MarketplaceConfig]],
    *,
    reason: Reason = "slack",
    queue_url: str | None = None,
    sqs: Any = None,
    run_id: str | None = None,
) -> bool:
    """Queue checks for the background worker; False when no queue is configured (local runs)."""
    queue_url = queue_url or os.environ.get(QUEUE_URL_ENV)
    if not queue_url:
        return False
    run_id = run_id or run_id_for(datetime.now(UTC))
    send_jobs(plan(pairs, run_id=run_id, spread_seconds=0, reason=reason), queue_url, sqs)
    return True
