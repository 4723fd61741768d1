"""The ops channel's alarm messages (issue 20): what fired, the threshold, the current value, a link to the
metric, and the Redrive / Mute 24 h buttons; the replies to a click."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from bot.views import kit
from handlers.ops.alarm_book import MUTE_HOURS, AlarmRecord
from handlers.ops.alarms import AlarmNotification
from handlers.ops.lazy_failures import LazyFailure
from infra.sqs_redrive import MoveTask, RedriveStarted

REDRIVE = "ops_redrive"
MUTE = "ops_mute_24h"
ACTION_IDS = (REDRIVE, MUTE)

_STATE = {"ALARM": ":red_circle: ALARM", "OK": ":large_green_circle: OK", "INSUFFICIENT_DATA": ":white_circle: no data"}


def _time(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d %H:%M UTC")


def alarm_message(
    alarm: AlarmNotification,
    record: AlarmRecord | None,
    now: float,
    failures: Sequence[LazyFailure] = (),
) -> dict[str, Any]:
    """chat.postMessage / chat.update keyword arguments (without channel and ts)."""
    state = _STATE.get(alarm.state, alarm.state)
    name = kit.escape(alarm.name)
    trigger = alarm.trigger
    dimensions = ", ".join(f"{d.name}={d.value}" for d in trigger.dimensions)
    lines = [
        f"*{state}* `{name}`",
        kit.escape(alarm.description) if alarm.description else "",
        f"*Threshold:* {kit.escape(trigger.rule)}",
        f"*Current value:* {kit.escape(alarm.current_value or 'not given')} ({kit.escape(alarm.reason)})",
        f"*Metric:* {kit.escape(trigger.namespace)} {kit.escape(trigger.metric_name)}"
        + (f" ({kit.escape(dimensions)})" if dimensions else "")
        + f" - <{alarm.metric_url}|open the metric in CloudWatch>",
    ]
    blocks = kit.sections([line for line in lines if line])
    if alarm.kind == "lazy_failures":
        blocks += kit.sections(lazy_failure_lines(failures))
    notes = [f"State since {kit.escape(alarm.changed_at or 'unknown')}"]
    if record is not None and record.muted(now) and record.muted_until is not None:
        notes.append(
            f":mute: muted by {kit.mention(record.muted_by)} until {_time(record.muted_until)}: repeats update this message"
        )
    blocks.append(kit.context(" · ".join(notes)))
    buttons = []
    if alarm.kind == "dlq" and alarm.state == "ALARM":
        buttons.append(kit.button("Redrive", REDRIVE, alarm.name, style="primary"))
    buttons.append(kit.button(f"Mute {MUTE_HOURS} h", MUTE, alarm.name))
    blocks.append(kit.actions(*buttons))
    text = f"{alarm.state}: {alarm.name} - {trigger.rule}, current value {alarm.current_value or 'not given'}"
    return kit.fit({"text": text, "blocks": blocks})


def lazy_failure_lines(failures: Sequence[LazyFailure]) -> list[str]:
    """Which lazy listener failed and why; its Slack request is past Slack's 5-minute window, so it is not
    replayed (no Redrive): the user runs the command again."""
    if not failures:
        return ["*Failed listeners:* the failure records could not be read: see the slack function's logs."]
    lines = ["*Failed listeners* (newest records; each user was told sellerbot could not finish):"]
    for f in failures:
        why = {"RetriesExhausted": "failed 3 times", "EventAgeExceeded": "older than 5 min, not run"}.get(
            f.condition, kit.escape(f.condition)
        )
        error = f", {kit.escape(f.error_type)}" if f.error_type else ""
        request = f" (request `{kit.escape(f.request_id)}`)" if f.request_id else ""
        lines.append(f"• `{kit.escape(f.listener)}`: {why}{error}{request}")
    lines.append(
        "No Redrive: Lambda put these records here, and a Slack request older than 5 minutes fails Slack's "
        "signature check. Ask the users to run their command again; the request ids find the logs."
    )
    return lines


def admins_only(admins: Sequence[str]) -> dict[str, Any]:
    who = ", ".join(kit.mention(a) for a in admins) or "an admin listed in the accounts file (`admins`)"
    return kit.error(f"Only sellerbot admins can redrive a queue or mute an alarm. Ask {who}.")


def redrive_started(started: RedriveStarted, by: str) -> str:
    return (
        f":arrows_counterclockwise: {kit.mention(by)} started a redrive of about {started.waiting} messages from "
        f"`{kit.escape(started.dead_letter_queue)}` back to `{kit.escape(started.source_queue)}`."
    )


def redrive_result(task: MoveTask | None, started: RedriveStarted) -> str:
    if task is None or not task.finished:
        moved = task.moved if task else 0
        return (
            f":hourglass: {moved} messages moved so far; the move goes on in SQS. The alarm returns to OK "
            "here once the queue is empty."
        )
    if task.status == "COMPLETED":
        return f":white_check_mark: Redrive done: {task.moved} messages moved to `{kit.escape(started.source_queue)}`."
    reason = f" ({kit.escape(task.failure_reason)})" if task.failure_reason else ""
    return (
        f":warning: Redrive {task.status.lower()}{reason} after {task.moved} messages. Press Redrive again, or "
        "use Start DLQ redrive in the SQS console."
    )


def redrive_unavailable(reason: str) -> dict[str, Any]:
    return kit.error(reason)


def muted_reply(record: AlarmRecord) -> str:
    until = _time(record.muted_until) if record.muted_until else "?"
    return f":mute: {kit.mention(record.muted_by)} muted this alarm until {until}: repeats update the message without a new post."
