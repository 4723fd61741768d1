"""The health-check queue: one `HealthCheckJob` per account (one seller × region) × run, carrying the account's
marketplaces (issue 6; one report per account since issue 20).

Both the scheduled fan-out (`bot/workers/health_schedule.dispatch`) and `/health check`, when it runs
out of time in Slack, queue checks here for the health-check worker. One createReport takes a
marketplaceIds list and Amazon's V2 performance report carries each marketplace's status and metrics, so
a job fetches one report for all of its marketplaces and checks each pair from it
(handlers/health/FANOUT.md). Each message gets a `DelaySeconds` so the sellers spread over the window
instead of firing at once; one seller's createReport (0.0167/s, one a minute, per seller × app) is then one
call per run. The run id makes a redelivered or duplicated job resume the same report, and alerts are
deduplicated by flag and episode, so queueing an account twice is harmless.

A message of the per-pair shape (`marketplace`, before issue 20) is still accepted: a deploy during a run
leaves some in flight, and they resume their own report (bot/jobs/health_checks._request_pk).
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, model_serializer, model_validator

from infra.accounts import AccountConfig, MarketplaceConfig
from infra.sqs import send_batches

QUEUE_URL_ENV = "SELLERBOT_HEALTH_CHECK_QUEUE_URL"
MAX_DELAY_SECONDS = 900  # SQS's DelaySeconds limit
MAX_MARKETPLACES = 30  # a bound on the input; Amazon has about 20 marketplaces per region

Reason = Literal["schedule", "slack", "retry"]
Code = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]


class HealthCheckJob(BaseModel):
    account: str = Field(min_length=1)
    # The account's marketplaces this job checks from one report; `marketplace` is the per-pair shape of the
    # messages queued before issue 20 (one marketplace).
    marketplaces: list[Code] = Field(default_factory=list, max_length=MAX_MARKETPLACES)
    marketplace: Code | None = None
    run_id: str = Field(min_length=1)  # one createReport per (account, marketplaces, run)
    reason: Reason = "schedule"

    @model_validator(mode="after")
    def _one_shape(self) -> HealthCheckJob:
        if bool(self.marketplaces) == (self.marketplace is not None):
            raise ValueError("a health-check job names either `marketplace` or a non-empty `marketplaces` list")
        return self

    @model_serializer(mode="wrap")
    def _without_unset_shape(self, handler: Any) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if self.marketplace is None:
            data.pop("marketplace", None)
        else:
            data.pop("marketplaces", None)
        return data

    def codes(self) -> list[str]:
        return list(self.marketplaces) if self.marketplaces else [str(self.marketplace)]


def delay_for(account_id: str, spread_seconds: int) -> int:
    """A stable per-seller offset within the spread window."""
    spread = max(0, min(spread_seconds, MAX_DELAY_SECONDS))
    return zlib.crc32(account_id.encode()) % spread if spread else 0


def plan(
    pairs: Iterable[tuple[AccountConfig, MarketplaceConfig]],
    *,
    run_id: str,
    spread_seconds: int,
    reason: Reason = "schedule",
) -> list[tuple[HealthCheckJob, int]]:
    """(job, DelaySeconds) per account, carrying the account's marketplaces among `pairs` in their order."""
    codes: dict[str, list[str]] = {}
    for account, marketplace in pairs:
        listed = codes.setdefault(account.account_id, [])
        if marketplace.code not in listed:
            listed.append(marketplace.code)
    return [
        (
            HealthCheckJob(account=account_id, marketplaces=listed, run_id=run_id, reason=reason),
            delay_for(account_id, spread_seconds),
        )
        for account_id, listed in codes.items()
    ]


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
