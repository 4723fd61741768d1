"""The ops function (issue 20): CloudWatch alarms, as SNS delivers them, into the ops channel.

One message per alarm episode, updated in place (chat.update) when the alarm returns to OK; a muted
alarm's repeats update its message instead of posting (handlers/ops/alarm_book.py decides). The
lazy-failures alarm says which listener failed and why, from the failure destination's records.

Failing is the point when Slack is unreachable or the token revoked: the Slack error propagates, the
invocation fails, SNS's asynchronous invoke retries it, and the function's own Errors alarm reaches the
operators by e-mail (OpsSelfAlarmTopic). No business function calls or waits on this one.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.deps import Deps
from bot.views.ops import alarm_message
from bot.workers.entry import ContainerEntry, LambdaHandler
from handlers.ops.alarm_book import AlarmBook, AlarmRecord, plan
from handlers.ops.alarms import AlarmNotification, parse_sns_event
from handlers.ops.lazy_failures import LazyFailure, parse_failure
from infra.sqs_redrive import peek

log = logging.getLogger("sellerbot.ops_alarms")


class OpsChannelMissing(RuntimeError):
    """SELLERBOT_OPS_CHANNEL is not set: the alarm cannot be shown anywhere, so the invocation fails."""


def _failures(deps: Deps) -> list[LazyFailure]:
    url = deps.settings.lazy_failure_queue_url
    if not url:
        return []
    try:
        bodies = peek(url, endpoint_url=deps.settings.aws_endpoint_url)
    except Exception as exc:  # the alarm still goes out, saying the records could not be read
        log.warning("cannot read the lazy failure queue: %s", type(exc).__name__)
        return []
    return [f for f in (parse_failure(b) for b in bodies) if f is not None]


def show(deps: Deps, alarm: AlarmNotification) -> str:
    """Post or update the alarm's message; returns what was done."""
    channel = deps.settings.ops_channel
    if not channel:
        raise OpsChannelMissing("SELLERBOT_OPS_CHANNEL is not set: set it to the ops channel's id (C...)")
    book, now = AlarmBook(deps.store), deps.clock()
    record = book.get(alarm.name)
    action = plan(record, alarm, now)
    failures = _failures(deps) if alarm.kind == "lazy_failures" and alarm.state == "ALARM" else []
    if action == "ignore":
        return action
    if action == "post":
        claimed = book.begin_post(alarm, channel, now)
        if claimed is None:
            return "duplicate"  # another delivery of the same notification posts it
        posted = deps.slack.chat_postMessage(channel=channel, **alarm_message(alarm, claimed, now, failures))
        book.posted(claimed, str(posted["ts"]), now)
        return action
    assert record is not None  # plan() updates only a posted message
    updated: AlarmRecord | None = book.set_state(record, alarm, now)
    shown = updated or book.get(alarm.name) or record
    deps.slack.chat_update(channel=record.channel, ts=record.ts, **alarm_message(alarm, shown, now, failures))
    return action


def make_handler(deps: Deps) -> LambdaHandler:
    def handle(event: dict[str, Any], context: Any) -> dict[str, int]:
        done: dict[str, int] = {}
        for alarm in parse_sns_event(event):
            action = show(deps, alarm)
            done[action] = done.get(action, 0) + 1
            log.info("alarm %s %s: %s", alarm.name, alarm.state, action)
        return done

    return handle


# Lambda entry `bot/workers/ops_alarms.handler`.
handler = ContainerEntry(make_handler)
