"""Chart jobs: the Slack function asks the `charts` function to draw and upload a PNG (issue 16).

The chart stack (matplotlib, numpy, pillow: ~42 MB) is only in the charts function's artifact, so the
Slack function never draws: its listeners post the numbers, then `request_chart` hands a `ChartJob` to
the charts function asynchronously (bot/workers/charts.py renders, uploads, and tells the user itself
when it cannot). On Lambda the function is named by SELLERBOT_CHARTS_FUNCTION; locally (demo, tests)
bot/local installs an invoker whose client runs the charts handler in-process.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any, Literal

from pydantic import BaseModel, Field
from slack_bolt import Respond

from bot.deps import Deps
from bot.views.charts import chart_unavailable
from infra.lambda_invoke import AsyncInvoker, InvokeFailed

CHARTS_FUNCTION_ENV = "SELLERBOT_CHARTS_FUNCTION"
NOT_CONFIGURED = f"charts are not set up in this deployment ({CHARTS_FUNCTION_ENV} is not set); ask an admin"

log = logging.getLogger("sellerbot.charts")


class ChartJob(BaseModel):
    """The charts function's event (the interface agreed in issue 16; JSON over Lambda's async invoke)."""

    kind: Literal["health", "promo"]
    channel: str = Field(min_length=1)  # where the PNG is uploaded
    user: str = ""  # who asked: told through chat.postEphemeral when there is no response_url
    response_url: str = ""  # the command's response_url: a failure is told there, only to the requester
    title: str
    filename: str
    initial_comment: str = ""
    params: dict[str, Any]
    # Private (the promo report's chart, issue 17): uploaded to the requester's DM with the bot, not to
    # `channel`; the requester is then offered a "Share in channel" button (bot/listeners/promo/chart_share.py).
    private: bool = False


def promo_chart_job(command: dict, code: str, report_json: dict[str, Any], summary: str) -> ChartJob:
    """The daily-orders chart of a `/promo report`, private to the requester until they share it; the report
    itself travels in the event (it was read from a file uploaded to Slack, nothing the charts function could
    look up)."""
    return ChartJob(
        kind="promo",
        channel=command.get("channel_id", ""),
        user=command.get("user_id", ""),
        response_url=command.get("response_url", ""),
        title=f"{code}: daily orders, referred vs not referred",
        filename=f"promo-{code.lower()}-daily-orders.png",
        initial_comment=summary,
        params={"code": code, "report": report_json},
        private=True,
    )


def health_chart_job(command: dict, account: str, marketplace: str) -> ChartJob:
    """The 90-day trend of `/health ACCOUNT MARKETPLACE --post`; the charts function reads the history."""
    return ChartJob(
        kind="health",
        channel=command.get("channel_id", ""),
        user=command.get("user_id", ""),
        response_url=command.get("response_url", ""),
        title=f"{account} {marketplace}: account health, last 90 days",
        filename=f"health-{account}-{marketplace}.png",
        params={"account": account, "marketplace": marketplace},
    )


_lock = threading.Lock()
_installed: AsyncInvoker | None = None
_configured: AsyncInvoker | None = None


def install(invoker: AsyncInvoker | None) -> AsyncInvoker | None:
    """Use `invoker` for chart jobs in this process (local environment, tests); None goes back to the
    configured function. Returns the previous one."""
    global _installed
    with _lock:
        previous, _installed = _installed, invoker
    return previous


def charts_invoker(endpoint_url: str | None = None) -> AsyncInvoker | None:
    """The invoker of the charts function: the installed one, else SELLERBOT_CHARTS_FUNCTION's (one per
    process, its boto3 client built on the first job); None when neither is there."""
    global _configured
    with _lock:
        if _installed is not None:
            return _installed
        name = os.environ.get(CHARTS_FUNCTION_ENV, "").strip()
        if not name:
            return None
        if _configured is None or _configured.function_name != name:
            _configured = AsyncInvoker(name, endpoint_url=endpoint_url)
        return _configured


def request_chart(deps: Deps, job: ChartJob, respond: Respond) -> bool:
    """Hand `job` to the charts function; when it cannot be handed over, tell the requester why (the numbers
    were already posted). True when it was queued."""
    invoker = charts_invoker(deps.settings.aws_endpoint_url)
    if invoker is None:
        respond(**chart_unavailable(NOT_CONFIGURED))
        return False
    try:
        # `private` only when set: a health job stays the event agreed in issue 16, field for field.
        invoker.invoke(job.model_dump(mode="json", exclude=None if job.private else {"private"}))
    except InvokeFailed as exc:
        log.warning("chart job not queued: %s", exc.reason)
        respond(**chart_unavailable(exc.reason))
        return False
    return True
