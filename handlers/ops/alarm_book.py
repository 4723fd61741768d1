"""Which ops-channel message shows which alarm, and its mute, through the store (issue 20).

One item per alarm (pk `OPS#ALARM`, sk the alarm name): the channel and ts of its message, the last state,
and a mute. Every change is a conditional write with an audit entry beside it (pk `OPS#AUDIT`) in the same
transaction, so a notification SNS delivers twice, or two clicks, change it once.

What a notification does (`plan`):
- ALARM with no message yet, or after the alarm had returned to OK: post a new message, unless the alarm is
  muted, when the existing message is updated silently instead;
- ALARM again while in ALARM (SNS delivers at least once), OK, INSUFFICIENT_DATA: update the message in place;
- anything but ALARM for an alarm that never posted: nothing (an OK after a deploy is not news).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from handlers.audit import AuditEntry, audit_put
from handlers.ops.alarms import AlarmNotification
from infra.store.base import ConditionFailed, Item, Put, Store, Update

ALARM_PK = "OPS#ALARM"
AUDIT_PK = "OPS#AUDIT"
MUTE_HOURS = 24

Plan = Literal["post", "update", "update_silently", "ignore"]


class AlarmRecord(BaseModel):
    name: str
    channel: str = ""
    ts: str = ""  # empty while the message is being posted
    state: str = ""
    muted_until: float | None = None
    muted_by: str | None = None
    queue: str | None = None  # a dead-letter queue's name, for Redrive
    notification: dict[str, Any] = Field(default_factory=dict)  # the last one, to redraw the message
    version: int = 0

    def alarm(self) -> AlarmNotification | None:
        return AlarmNotification.model_validate(self.notification) if self.notification else None

    def muted(self, now: float) -> bool:
        return self.muted_until is not None and now < self.muted_until


def plan(record: AlarmRecord | None, alarm: AlarmNotification, now: float) -> Plan:
    posted = record is not None and bool(record.ts)
    if alarm.state != "ALARM":
        return "update" if posted else "ignore"
    if record is None or not posted:
        return "post"
    if record.state == "ALARM":
        return "update"
    return "update_silently" if record.muted(now) else "post"


def _shown(alarm: AlarmNotification) -> dict[str, Any]:
    return {"state": alarm.state, "queue": alarm.queue_name, "notification": alarm.model_dump(by_alias=True)}


class AlarmBook:
    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self, name: str) -> AlarmRecord | None:
        item = self.store.get(ALARM_PK, name)
        if item is None:
            return None
        return AlarmRecord.model_validate({**item.data, "name": name, "version": item.version})

    def _audit(self, now: float, by: str, action: str, **detail: object) -> Put:
        at = datetime.fromtimestamp(now, UTC)
        entry = AuditEntry(at=at, by=by, action=action, detail=dict(detail))
        return audit_put(AUDIT_PK, entry)

    def _write(self, record: AlarmRecord, audit: Put) -> AlarmRecord:
        data = record.model_dump(exclude={"name", "version"})
        if record.version == 0:
            step: Put | Update = Put(item=Item(pk=ALARM_PK, sk=record.name, data=data))
        else:
            step = Update(pk=ALARM_PK, sk=record.name, data=data, expected_version=record.version)
        self.store.transact([step, audit])
        return record.model_copy(update={"version": record.version + 1})

    def begin_post(self, alarm: AlarmNotification, channel: str, now: float) -> AlarmRecord | None:
        """Claim the posting of a new message (ts empty until `posted`); None when another delivery has it."""
        current = self.get(alarm.name) or AlarmRecord(name=alarm.name)
        claimed = current.model_copy(update={"channel": channel, "ts": "", **_shown(alarm)})
        try:
            return self._write(claimed, self._audit(now, "cloudwatch", "alarm_posting", alarm=alarm.name))
        except ConditionFailed:
            return None

    def posted(self, record: AlarmRecord, ts: str, now: float) -> AlarmRecord:
        return self._write(
            record.model_copy(update={"ts": ts}), self._audit(now, "cloudwatch", "alarm_posted", alarm=record.name)
        )

    def set_state(self, record: AlarmRecord, alarm: AlarmNotification, now: float) -> AlarmRecord | None:
        """The alarm's new state on its message; None when a concurrent delivery changed it first."""
        try:
            return self._write(
                record.model_copy(update=_shown(alarm)),
                self._audit(now, "cloudwatch", "alarm_state", alarm=record.name, state=alarm.state),
            )
        except ConditionFailed:
            return None

    def mute(self, name: str, by: str, now: float, hours: int = MUTE_HOURS) -> AlarmRecord | None:
        """Mute the alarm for `hours` (it ends by itself); None when the alarm has no message."""
        for _ in range(3):  # a notification may update the record between the read and the write
            record = self.get(name)
            if record is None:
                return None
            until = now + hours * 3600
            try:
                return self._write(
                    record.model_copy(update={"muted_until": until, "muted_by": by}),
                    self._audit(now, by, "alarm_muted", alarm=name, until=until),
                )
            except ConditionFailed:
                continue
        raise ConditionFailed(ALARM_PK, name, "the alarm kept changing")

    def audit(self, by: str, action: str, now: float, **detail: object) -> None:
        """An action that changes no alarm (a refused click, a redrive) still leaves its entry."""
        self.store.transact([self._audit(now, by, action, **detail)])

    def audit_trail(self) -> list[AuditEntry]:
        return [AuditEntry.model_validate(i.data) for i in self.store.query(AUDIT_PK)]
