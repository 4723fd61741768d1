"""The review-sweep queue and the sweep's one progress message (issue 4).

`/review sweep` runs a sweep in Slack until its lazy listener's time is up, then queues a
`SweepJob` to continue it in the sweep worker, which keeps editing the same progress message.
The checkpoint and per-order claims make a continuation safe: no order is requested twice.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel
from slack_sdk import WebClient

from bot.progress import ProgressMessage
from bot.views.reviews import sweep_progress_text
from handlers.reviews.target import Target
from infra.sqs import send_batches

if TYPE_CHECKING:
    from handlers.reviews.sweep import SweepReport

QUEUE_URL_ENV = "SELLERBOT_REVIEW_SWEEP_QUEUE_URL"


class SweepJob(BaseModel):
    account: str
    marketplace: str
    reason: Literal["schedule", "slack", "continuation"] = "schedule"
    user: str = "schedule"
    channel: str | None = None  # progress message to keep updating
    ts: str | None = None
    hop: int = 0


def send_jobs(jobs: list[SweepJob], queue_url: str, sqs: Any = None) -> int:
    return send_batches([(job, 0) for job in jobs], queue_url, what="sweep jobs", sqs=sqs)


def enqueue_continuation(
    target: Target,
    user: str,
    channel: str | None,
    ts: str | None,
    *,
    hop: int = 0,
    queue_url: str | None = None,
    sqs: Any = None,
) -> bool:
    """Continue a paused sweep in the worker; False when no queue is configured (local runs)."""
    queue_url = queue_url or os.environ.get(QUEUE_URL_ENV)
    if not queue_url:
        return False
    job = SweepJob(
        account=target.account_id,
        marketplace=target.code,
        reason="continuation",
        user=user,
        channel=channel,
        ts=ts,
        hop=hop + 1,
    )
    send_jobs([job], queue_url, sqs)
    return True


class SweepProgress(ProgressMessage):
    """The sweep's progress in one message: posted once, then edited (chat.update)."""

    def __init__(self, client: WebClient, channel: str, ts: str | None = None) -> None:
        super().__init__(client, channel, ts, what="sweep progress")

    def __call__(self, report: SweepReport, final: bool) -> None:
        self.show(sweep_progress_text(report, final))
