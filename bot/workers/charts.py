"""The `charts` function: draws a chart the Slack function asked for and uploads it (issue 16).

Lambda entry `bot.workers.charts.handler`, invoked asynchronously with a `ChartJob` (bot/jobs/charts.py):
the promo report travels in the event; the health trend is read from the store. Only this function's
artifact carries the chart stack (matplotlib is imported by handlers/*/chart.py when they draw).

It never raises: an asynchronous invocation that fails is retried by Lambda and then dropped into the
DLQ, and the user would see nothing. Every failure is told to the requester instead ("chart unavailable:
…", through the command's response_url, else chat.postEphemeral) and the handler returns normally.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from pydantic import BaseModel, Field, ValidationError
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from bot import runtime
from bot.deps import Deps
from bot.jobs.charts import ChartJob
from bot.views.charts import chart_unavailable
from bot.views.promo.reports import chart_private_notice
from bot.workers.entry import instrumented
from handlers.health.chart import trend_png
from handlers.health.snapshots import SnapshotStore
from handlers.promo.chart import daily_orders_png
from handlers.promo.chart_share import ShareTicket
from handlers.promo.report import PromoReport

log = logging.getLogger("sellerbot.charts")

TREND_DAYS = 90
# Slack's reasons for a refused upload that the user can act on.
NOT_IN_CHANNEL = {"not_in_channel", "channel_not_found", "is_archived"}


class ChartUnavailable(Exception):
    """A step failed; `reason` is what the user is told (words, never exception text)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class HealthParams(BaseModel):
    account: str = Field(min_length=1)
    marketplace: str = Field(pattern=r"^[A-Z]{2}$")


class PromoParams(BaseModel):
    code: str = Field(min_length=1)
    report: PromoReport


P = TypeVar("P", bound=BaseModel)


@instrumented
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Draw, upload, or tell the user why not; returns what happened (Lambda logs) and never raises."""
    deps: Deps | None = None
    try:
        job = _job(event)
        deps = _deps()
        png = render(job, deps)
        if job.private:
            deliver_privately(job, deps, png)
        else:
            upload(job, deps, png)
    except ChartUnavailable as exc:
        reason = exc.reason
    except Exception:  # a bug: logged with its traceback, told to the user in words
        log.exception("chart job failed")
        reason = "something went wrong while making it"
    else:
        return {"ok": True, "kind": job.kind}
    log.warning("chart unavailable: %s", reason)
    tell_user(event, reason, deps)
    return {"ok": False, "reason": reason}


def _job(event: Any) -> ChartJob:
    try:
        return ChartJob.model_validate(event)
    except ValidationError as exc:
        log.warning("chart job unreadable: %d error(s)", exc.error_count())
        raise ChartUnavailable("the chart request could not be read") from exc


def _deps() -> Deps:
    try:
        return runtime.current().deps  # per call: the local runtime may be replaced between runs
    except Exception as exc:
        log.exception("charts runtime not built")
        raise ChartUnavailable("the chart function could not load its settings") from exc


def render(job: ChartJob, deps: Deps) -> bytes:
    """The PNG for `job`: the promo report's daily orders, or the pair's health history of the last 90 days."""
    if job.kind == "promo":
        promo = _params(PromoParams, job.params, "the report data for the chart could not be read")
        return _draw(lambda: daily_orders_png(promo.report))
    pair = _params(HealthParams, job.params, "the account and marketplace for the chart could not be read")
    now = datetime.fromtimestamp(deps.clock(), UTC)
    try:
        history = SnapshotStore(deps.store).history(pair.account, pair.marketplace, days=TREND_DAYS, now=now)
    except Exception as exc:
        log.exception("health history read failed")
        raise ChartUnavailable("the account's health history could not be read") from exc
    return _draw(lambda: trend_png(history, title=job.title))


def _params(model: type[P], params: dict[str, Any], reason: str) -> P:
    try:
        return model.model_validate(params)
    except ValidationError as exc:
        log.warning("chart job params unreadable: %d error(s)", exc.error_count())
        raise ChartUnavailable(reason) from exc


def _draw(draw: Callable[[], bytes]) -> bytes:
    try:
        return bytes(draw())
    except ImportError as exc:  # the lean artifact: this function was deployed without the chart stack
        log.exception("chart stack missing")
        raise ChartUnavailable("the chart renderer is not installed in the chart function") from exc
    except Exception as exc:
        log.exception("chart drawing failed")
        raise ChartUnavailable("the chart could not be drawn") from exc


def deliver_privately(job: ChartJob, deps: Deps, png: bytes) -> None:
    """Upload to the requester's DM with the bot (Slack files are never ephemeral, a DM is what only they see),
    then offer them, in the channel and only to them, a button that shares it there."""
    if not job.user:
        raise ChartUnavailable("it is private to whoever asked, and the request did not say who that is")
    try:
        dm = str(deps.slack.conversations_open(users=job.user)["channel"]["id"])
    except Exception as exc:
        log.warning("chart DM not opened: %s", type(exc).__name__)
        raise ChartUnavailable("sellerbot could not open a direct message with you to send it") from exc
    file_id = upload(job, deps, png, channel=dm)
    code = str(job.params.get("code") or "")
    ticket = ShareTicket.parse("|".join((file_id, job.channel, job.user, code)))
    if ticket is None:  # an id Slack never gives out; the chart is in the DM all the same
        log.warning("chart shared privately without a share button")
        return
    tell(job, chart_private_notice(code, ticket.value()), deps)


def tell(job: ChartJob, message: dict[str, Any], deps: Deps) -> None:
    """`message` to the requester only: the command's response_url, else chat.postEphemeral in its channel."""
    if job.response_url:
        try:
            if WebhookClient(job.response_url).send(**message, replace_original=False).status_code == 200:
                return
        except Exception as exc:
            log.warning("chart notice not posted to response_url: %s", type(exc).__name__)
    try:
        deps.slack.chat_postEphemeral(
            channel=job.channel, user=job.user, text=message["text"], blocks=message["blocks"]
        )
    except Exception as exc:  # the chart is in the DM; only the button is lost
        log.warning("chart notice not posted as ephemeral: %s", type(exc).__name__)


def upload(job: ChartJob, deps: Deps, png: bytes, *, channel: str | None = None) -> str:
    """Upload to `channel` (default the job's); the file's id."""
    try:
        answer = deps.slack.files_upload_v2(
            channel=channel or job.channel,
            content=png,
            filename=job.filename,
            title=job.title,
            initial_comment=job.initial_comment or None,  # None: no comment (the health chart has none)
        )
    except SlackApiError as exc:
        error = str((getattr(exc.response, "data", None) or {}).get("error", ""))
        log.warning("chart upload refused: %s", error or "no error code")
        if error in NOT_IN_CHANNEL:
            raise ChartUnavailable(
                "sellerbot cannot post in this channel; invite it and run the command again"
            ) from exc
        raise ChartUnavailable(f"Slack refused the upload ({error or 'no reason given'})") from exc
    except Exception as exc:
        log.warning("chart upload failed: %s", type(exc).__name__)
        raise ChartUnavailable("Slack could not be reached to upload it") from exc
    files = answer.get("files") or [answer.get("file") or {}]
    return str((files[0] or {}).get("id") or "")


def tell_user(event: Any, reason: str, deps: Deps | None) -> bool:
    """Post "chart unavailable: …" only to the requester: through the command's response_url (needs no
    token, so it works even when the runtime could not be built), else as an ephemeral message."""
    message = chart_unavailable(reason)
    fields = event if isinstance(event, dict) else {}
    url, channel, user = (str(fields.get(k) or "") for k in ("response_url", "channel", "user"))
    if url:
        try:
            if WebhookClient(url).send(**message, replace_original=False).status_code == 200:
                return True
        except Exception as exc:
            log.warning("chart failure not posted to response_url: %s", type(exc).__name__)
    if deps is not None and channel and user:
        try:
            deps.slack.chat_postEphemeral(channel=channel, user=user, text=message["text"], blocks=message["blocks"])
            return True
        except Exception as exc:
            log.warning("chart failure not posted as ephemeral: %s", type(exc).__name__)
    log.error("chart failure could not be told to the user")
    return False
