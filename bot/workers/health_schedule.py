"""Scheduled health checks: the EventBridge schedule target (issue 6).

`dispatch(event, context)` enqueues one `HealthCheckJob` per configured account ×
marketplace on the health-check queue (SendMessageBatch, 10 per call). Each message
gets a `DelaySeconds` so the checks spread over the window instead of firing at once,
and the marketplaces of one seller are at least a minute apart: createReport is
0.0167/s (one a minute) per seller × app, so a seller's bucket refills between its
own requests (handlers/health/FANOUT.md). Re-running the dispatcher is harmless: the
run id makes a redelivered or duplicated job resume the same report, and alerts are
deduplicated by flag and episode.
"""

from __future__ import annotations

import logging
import os
import zlib
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from infra.accounts import AccountConfig, AccountsConfig, MarketplaceConfig
from infra.sqs import send_batches

log = logging.getLogger("sellerbot.health_schedule")

QUEUE_URL_ENV = "SELLERBOT_HEALTH_CHECK_QUEUE_URL"
SPREAD_ENV = "SELLERBOT_HEALTH_SPREAD_SECONDS"
MAX_DELAY_SECONDS = 900  # SQS's DelaySeconds limit
SELLER_GAP_SECONDS = 60  # createReport: 0.0167/s per seller × app


class HealthCheckJob(BaseModel):
    account: str = Field(min_length=1)
    marketplace: str = Field(pattern=r"^[A-Z]{2}$")
    run_id: str = Field(min_length=1)  # one createReport per (account, marketplace, run)
    reason: Literal["schedule", "slack", "retry"] = "schedule"


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
    reason: Literal["schedule", "slack", "retry"] = "schedule",
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
    reason: Literal["schedule", "slack", "retry"] = "slack",
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


def fan_out(
    accounts: AccountsConfig, queue_url: str, *, when: datetime, sqs: Any = None, spread_seconds: int | None = None
) -> int:
    spread = int(os.environ.get(SPREAD_ENV, "600")) if spread_seconds is None else spread_seconds
    planned = plan(accounts.pairs(), run_id=run_id_for(when), spread_seconds=spread)
    return send_jobs(planned, queue_url, sqs)


def dispatch(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """EventBridge schedule target: one message per configured account × marketplace."""
    from infra.accounts import load_accounts

    when = datetime.now(UTC)
    raw_time = (event or {}).get("time")
    if isinstance(raw_time, str):
        try:
            when = datetime.fromisoformat(raw_time.replace("Z", "+00:00"))
        except ValueError:
            pass
    count = fan_out(load_accounts(), os.environ[QUEUE_URL_ENV], when=when)
    log.info("enqueued %d health checks", count)
    return {"enqueued": count}
