"""The ops channel's buttons (issue 20): Redrive a dead-letter queue, Mute an alarm for 24 h; built on the first click.

Admins only (`admins` in the accounts file): anyone else gets an ephemeral refusal naming them in the ack,
and the press is audited. Redrive starts an SQS message move task from the DLQ back to its source queue
and reports in the alarm's thread how many messages moved; Mute stops repeats of the alarm from posting
for 24 h (they update its message instead) and ends by itself.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from slack_bolt import Ack, Respond

from bot.deps import Deps
from bot.listeners.common import user_facing
from bot.views import kit
from bot.views.ops import (
    MUTE,
    admins_only,
    alarm_message,
    muted_reply,
    redrive_result,
    redrive_started,
    redrive_unavailable,
)
from handlers.ops.alarm_book import AlarmBook
from infra.sqs_redrive import MoveTask, Redrive, RedriveStarted, RedriveUnavailable

log = logging.getLogger("sellerbot.ops")

# How long the lazy listener follows a move task before leaving it to SQS (it shares the 29 s timeout).
REDRIVE_FOLLOW_SECONDS = 20.0
REDRIVE_POLL_SECONDS = 2.0


def _user(body: dict) -> str:
    return str((body.get("user") or {}).get("id") or "")


def _value(body: dict) -> str:
    return str(((body.get("actions") or [{}])[0]).get("value") or "")


def _action(body: dict) -> str:
    return str(((body.get("actions") or [{}])[0]).get("action_id") or "")


class OpsListeners:
    def __init__(self, deps: Deps, sleep: Callable[[float], None] = time.sleep) -> None:
        self.deps, self.sleep = deps, sleep

    def is_admin(self, body: dict) -> bool:
        user = _user(body)
        return self.deps.admins.is_admin(user)

    def ack_button(self, ack: Ack, body: dict, respond: Respond) -> None:
        ack()
        if not self.is_admin(body):
            respond(**admins_only(self.deps.accounts.admins), replace_original=False)

    @user_facing
    def run_ops_action(self, body: dict, respond: Respond) -> None:
        book, now, user, name = AlarmBook(self.deps.store), self.deps.clock(), _user(body), _value(body)
        action = "mute" if _action(body) == MUTE else "redrive"
        if not self.is_admin(body):
            # The ack told the presser who can; the press is audited and changes nothing.
            book.audit(user or "?", f"{action}_refused", now, alarm=name)
            return
        record = book.get(name)
        if record is None or not record.ts:
            respond(**kit.error("This alarm has no message in the ops channel any more."), replace_original=False)
            return
        if action == "mute":
            muted = book.mute(name, user, now)
            alarm = muted.alarm() if muted else None
            if muted and alarm:
                self.deps.slack.chat_update(channel=muted.channel, ts=muted.ts, **alarm_message(alarm, muted, now))
                self.deps.slack.chat_postMessage(channel=muted.channel, thread_ts=muted.ts, text=muted_reply(muted))
            return
        alarm = record.alarm()
        if not record.queue or alarm is None or alarm.kind != "dlq":
            respond(**redrive_unavailable("Only a dead-letter queue's alarm can be redriven."), replace_original=False)
            return
        self._redrive(book, record.queue, record.channel, record.ts, user, respond)

    def _redrive(self, book: AlarmBook, queue: str, channel: str, ts: str, user: str, respond: Respond) -> None:
        redrive = Redrive(endpoint_url=self.deps.settings.aws_endpoint_url)
        try:
            started = redrive.start(queue)
        except RedriveUnavailable as exc:
            book.audit(user, "redrive_unavailable", self.deps.clock(), queue=queue)
            respond(**redrive_unavailable(str(exc)), replace_original=False)
            return
        book.audit(
            user, "redrive_started", self.deps.clock(), queue=queue, task=started.task_handle, waiting=started.waiting
        )
        self.deps.slack.chat_postMessage(channel=channel, thread_ts=ts, text=redrive_started(started, user))
        task = self._follow(redrive, started)
        book.audit(
            user,
            "redrive_reported",
            self.deps.clock(),
            queue=queue,
            status=task.status if task else "unknown",
            moved=task.moved if task else 0,
        )
        self.deps.slack.chat_postMessage(channel=channel, thread_ts=ts, text=redrive_result(task, started))

    def _follow(self, redrive: Redrive, started: RedriveStarted) -> MoveTask | None:
        """The task once finished, or as far as it got within REDRIVE_FOLLOW_SECONDS."""
        deadline = self.deps.clock() + REDRIVE_FOLLOW_SECONDS
        while True:
            task = redrive.task(started.source_arn, started.task_handle)
            if (task is not None and task.finished) or self.deps.clock() >= deadline:
                return task
            self.sleep(REDRIVE_POLL_SECONDS)
