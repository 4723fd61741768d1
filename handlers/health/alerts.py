"""Alert lifecycle for red flags, every change a conditional write with an audit item.

Key layout (one logical table):
  ALERT#<account>#<mkt>          FLAG#<metric>                 the alert head (AlertRecord minus version)
  ALERT#<account>#<mkt>          EPISODE#<metric>#<n:06d>      one per opening: {"opened_at","severity","value"}
  ALERTAUDIT#<flag_id>           AUDIT#<iso ts>#<version:06d>  {"at","by","action","episode","detail"}
  ALERTDUE                       <flag_id>                     escalation index for open critical alerts {"episode"}
  ALERTSNOOZE                    <flag_id>                     snoozes to end {"episode","until"} (see `ended_snoozes`)

`flag_id` is `<account>#<mkt>#<metric>`. Opening is a transaction of the head
(Put when absent, compare-and-swap when re-opening a resolved flag), the
episode item (Put) and the audit item (Put): ten workers evaluating the same
report open the flag once, and a flag that resolved and came back opens a new
episode and alerts again. Every later change (ack, snooze, assign, escalate,
resolve, record the posted message) is a CAS on the head's version plus its
audit Put, so double clicks and retries apply once. A button carries the
episode it was rendered for; clicks on an older episode are `stale`.
The ALERTDUE item is only a hint for `due_escalations`; the head decides.

A flag that is already open and comes back worse (its value further from the target) is `worsened`:
its head keeps the latest value, and a snooze on it ends now (the flag returns, escalation resumes).
A snooze that runs out is returned once by `ended_snoozes` (the ALERTSNOOZE hint, deleted by CAS).
Presses that change nothing (refused, already done) are audited too, under the same audit key.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel

from handlers import audit
from handlers.health.evaluate import STATUS_RANK, RedFlag
from handlers.health.metrics import Severity
from infra.clock import as_utc, iso_sortable, utc_now
from infra.store.base import ConditionFailed, Item, Put, Store, Update

AlertState = Literal["open", "acknowledged", "resolved"]
ActionOutcome = Literal["applied", "unchanged", "not_found", "stale", "resolved"]
SYSTEM = "sellerbot"
DUE_PK = "ALERTDUE"
SNOOZE_PK = "ALERTSNOOZE"
_MAX_CAS_RETRIES = 8
# What reading a bad escalation hint raises: split_flag_id's ValueError, pydantic's ValidationError (a ValueError),
# data of another shape. A store error is not among them: that hint stays for the next run.
_UNREADABLE_HINT = (ValueError, TypeError, KeyError)


def split_flag_id(flag_id: str) -> tuple[str, str, str]:
    """(account, marketplace, metric); the metric may itself contain '#' (e.g. a SKU)."""
    parts = flag_id.split("#", 2)
    if len(parts) != 3 or not all(parts):
        raise ValueError(f"flag_id {flag_id!r} must look like <account>#<marketplace>#<metric>")
    return parts[0], parts[1], parts[2]


def alert_pk(account: str, marketplace: str) -> str:
    return f"ALERT#{account}#{marketplace}"


def head_sk(metric: str) -> str:
    return f"FLAG#{metric}"


def episode_sk(metric: str, episode: int) -> str:
    return f"EPISODE#{metric}#{episode:06d}"


def audit_pk(flag_id: str) -> str:
    return f"ALERTAUDIT#{flag_id}"


class AuditEntry(audit.AuditEntry):
    """A change of one alert, in the episode it belongs to."""

    episode: int


class AlertRecord(BaseModel):
    flag_id: str
    account: str
    marketplace: str
    metric: str
    episode: int
    state: AlertState
    severity: Severity
    flag: RedFlag
    opened_at: datetime
    updated_at: datetime
    channel: str | None = None
    owner_group: str | None = None
    message_ts: str | None = None
    acknowledged_by: str | None = None
    acknowledged_at: datetime | None = None
    snoozed_by: str | None = None
    snoozed_until: datetime | None = None
    assignee: str | None = None
    assigned_at: datetime | None = None
    escalated_at: datetime | None = None
    critical_since: datetime | None = None
    resolved_at: datetime | None = None
    resolved_by: str | None = None
    version: int = 0

    def is_snoozed(self, now: datetime) -> bool:
        return self.snoozed_until is not None and as_utc(self.snoozed_until) > as_utc(now)

    def data(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude={"version"})


def is_worse(new: RedFlag, old: RedFlag) -> bool:
    """True when `new` is further from its target than `old` (a higher rate of a "less than" metric, a worse
    account status, a higher count); same or better values, or values that cannot be compared, are not."""
    if isinstance(new.value, str) and isinstance(old.value, str):
        return STATUS_RANK.get(new.value, 1) > STATUS_RANK.get(old.value, 1)
    if not isinstance(new.value, int | float) or not isinstance(old.value, int | float):
        return False
    if (new.condition or "").startswith("GREATER_THAN"):
        return new.value < old.value
    return new.value > old.value


class OpenResult(BaseModel):
    """opened / reopened: a new episode. upgraded: warning became critical. worsened: the open flag's value got
    worse. `unsnoozed`: the snooze it was under ended because it got worse. already_open: nothing to say."""

    outcome: Literal["opened", "reopened", "upgraded", "worsened", "already_open"]
    alert: AlertRecord
    unsnoozed: bool = False

    @property
    def should_post(self) -> bool:
        return self.outcome != "already_open"


class Already(BaseModel):
    """Why an action changed nothing: it was already done (by whom, until when), or the store stayed busy."""

    by: str | None = None
    until: datetime | None = None
    busy: bool = False


class ActionResult(BaseModel):
    """What a user action did; bot/views/health.py says it in words.

    applied: `action` was done by `by` (a snooze `until`). unchanged: it was already done (`by` is who did it,
    `until` how long a snooze lasts) or, with `busy`, the alert kept changing. resolved: the alert was resolved
    at `at`. stale / not_found: the button is for an older episode / the alert is gone.
    """

    outcome: ActionOutcome
    action: str
    by: str | None = None
    until: datetime | None = None
    at: datetime | None = None
    busy: bool = False
    alert: AlertRecord | None = None

    @property
    def applied(self) -> bool:
        return self.outcome == "applied"


class Resolution(BaseModel):
    """How an episode ended: what was flagged, who resolved it (None: sellerbot itself), why, after how long."""

    label: str
    by: str | None
    reason: str
    open_for: timedelta


class ThreadPost(BaseModel):
    """The resolution to post in the thread of the original alert."""

    channel: str | None
    thread_ts: str | None
    resolution: Resolution


class ResolveResult(BaseModel):
    outcome: Literal["resolved", "not_open", "not_found"]
    alert: AlertRecord | None = None
    post: ThreadPost | None = None


class Escalation(BaseModel):
    """A critical alert nobody took: re-post it to its owner group (`alert.owner_group`, else the channel)."""

    alert: AlertRecord
    unacknowledged_for: timedelta


class AlertBook:
    def __init__(
        self,
        store: Store,
        *,
        escalation_delay: timedelta = timedelta(hours=1),
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.store = store
        self.escalation_delay = escalation_delay
        self._clock = clock

    def _now(self, now: datetime | None) -> datetime:
        return as_utc(now or self._clock())

    # ---- reads ---------------------------------------------------------------------------------------------------
    def get(self, flag_id: str) -> AlertRecord | None:
        account, mkt, metric = split_flag_id(flag_id)
        item = self.store.get(alert_pk(account, mkt), head_sk(metric))
        return None if item is None else AlertRecord.model_validate({**item.data, "version": item.version})

    def list_for(self, account: str, marketplace: str, *, include_resolved: bool = False) -> list[AlertRecord]:
        items = self.store.query(alert_pk(account, marketplace), prefix="FLAG#")
        records = [AlertRecord.model_validate({**i.data, "version": i.version}) for i in items]
        return [r for r in records if include_resolved or r.state != "resolved"]

    def audit(self, flag_id: str) -> list[AuditEntry]:
        return [AuditEntry.model_validate(i.data) for i in self.store.query(audit_pk(flag_id), prefix="AUDIT#")]

    # ---- writes --------------------------------------------------------------------------------------------------
    def _audit_put(self, record: AlertRecord, version: int, by: str, action: str, now: datetime, **detail: Any) -> Put:
        entry = AuditEntry(at=now, by=by, action=action, episode=record.episode, detail=detail)
        return Put(
            item=Item(
                pk=audit_pk(record.flag_id),
                sk=f"AUDIT#{iso_sortable(now)}#{version:06d}",
                data=entry.model_dump(mode="json"),
            )
        )

    def open(
        self, flag: RedFlag, *, channel: str | None = None, owner_group: str | None = None, now: datetime | None = None
    ) -> OpenResult:
        """Open an alert for `flag` unless one is already open (`should_post` says whether to post).

        opened / reopened: a new episode. upgraded: the open episode went from warning to critical.
        """
        now = self._now(now)
        pk, sk = alert_pk(flag.account, flag.marketplace), head_sk(flag.metric)
        for _ in range(_MAX_CAS_RETRIES):
            item = self.store.get(pk, sk)
            current = None if item is None else AlertRecord.model_validate({**item.data, "version": item.version})
            if current is not None and current.state != "resolved":
                if flag.severity == "critical" and current.severity == "warning":
                    result = self._upgrade(flag, current, now)
                elif is_worse(flag, current.flag):
                    result = self._worsen(flag, current, now)
                else:
                    return OpenResult(outcome="already_open", alert=current)
            else:
                result = self._new_episode(flag, current, channel, owner_group, now)
            if result is not None:
                return result
            # someone else opened, upgraded or resolved it meanwhile: re-read and decide again
        current = self.get(flag.flag_id)
        assert current is not None
        return OpenResult(outcome="already_open", alert=current)

    def _upgrade(self, flag: RedFlag, current: AlertRecord, now: datetime) -> OpenResult | None:
        """Same episode, but it got worse (e.g. past Amazon's target after only the account's stricter one):
        that is a change worth one more post, and from now on it qualifies for escalation. None: lost a race."""

        unsnoozed = current.is_snoozed(now)

        def raise_severity(r: AlertRecord) -> Already | None:
            if r.severity == "critical":
                return Already()
            r.severity, r.flag, r.critical_since = "critical", flag, now
            if r.is_snoozed(now):
                r.snoozed_until = now  # worse during a snooze: it ends now, escalation counts from now
            return None

        upgraded = self._change(
            flag.flag_id,
            SYSTEM,
            "severity_raised",
            current.episode,
            now,
            raise_severity,
            value=flag.value,
            message=flag.message,
        )
        if not upgraded.applied or upgraded.alert is None:
            return None
        self._index_due(upgraded.alert)
        return OpenResult(outcome="upgraded", alert=upgraded.alert, unsnoozed=unsnoozed)

    def _worsen(self, flag: RedFlag, current: AlertRecord, now: datetime) -> OpenResult | None:
        """Same episode and severity, value further from the target: keep the new value, end a snooze.
        None: lost a race."""
        unsnoozed = current.is_snoozed(now)

        def worsen(r: AlertRecord) -> Already | None:
            if not is_worse(flag, r.flag):
                return Already()
            r.flag = flag
            if r.is_snoozed(now):
                r.snoozed_until = now
            return None

        action = "worsened_during_snooze" if unsnoozed else "worsened"
        result = self._change(
            flag.flag_id, SYSTEM, action, current.episode, now, worsen, value=flag.value, was=current.flag.value
        )
        if not result.applied or result.alert is None:
            return None
        return OpenResult(outcome="worsened", alert=result.alert, unsnoozed=unsnoozed)

    def _new_episode(
        self, flag: RedFlag, current: AlertRecord | None, channel: str | None, owner_group: str | None, now: datetime
    ) -> OpenResult | None:
        """Write the next episode of a flag that is not open (head, episode and audit in one transaction).
        None: lost a race."""
        pk, sk = alert_pk(flag.account, flag.marketplace), head_sk(flag.metric)
        episode = 1 if current is None else current.episode + 1
        record = AlertRecord(
            flag_id=flag.flag_id,
            account=flag.account,
            marketplace=flag.marketplace,
            metric=flag.metric,
            episode=episode,
            state="open",
            severity=flag.severity,
            flag=flag,
            opened_at=now,
            updated_at=now,
            channel=channel,
            owner_group=owner_group or None,
            critical_since=now if flag.severity == "critical" else None,
        )
        new_version = 1 if current is None else current.version + 1
        head_step: Put | Update = (
            Put(item=Item(pk=pk, sk=sk, data=record.data()))
            if current is None
            else Update(pk=pk, sk=sk, data=record.data(), expected_version=current.version)
        )
        steps: list[Put | Update] = [
            head_step,
            Put(
                item=Item(
                    pk=pk,
                    sk=episode_sk(flag.metric, episode),
                    data={"opened_at": iso_sortable(now), "severity": flag.severity, "value": flag.value},
                )
            ),
            self._audit_put(
                record,
                new_version,
                SYSTEM,
                "opened" if current is None else "reopened",
                now,
                value=flag.value,
                target=flag.target,
                message=flag.message,
            ),
        ]
        try:
            self.store.transact(steps)
        except ConditionFailed:
            return None
        record.version = new_version
        if record.severity == "critical":
            self._index_due(record)
        return OpenResult(outcome="opened" if current is None else "reopened", alert=record)

    def _index_due(self, record: AlertRecord) -> None:
        data = {"episode": record.episode}
        if self.store.put_if_absent(Item(pk=DUE_PK, sk=record.flag_id, data=data)):
            return
        for _ in range(_MAX_CAS_RETRIES):
            item = self.store.get(DUE_PK, record.flag_id)
            if item is None:
                if self.store.put_if_absent(Item(pk=DUE_PK, sk=record.flag_id, data=data)):
                    return
                continue
            if item.data.get("episode", 0) >= record.episode:
                return
            try:
                self.store.update(DUE_PK, record.flag_id, data, expected_version=item.version)
                return
            except ConditionFailed:
                continue

    def _unindex_due(self, flag_id: str, episode: int) -> None:
        item = self.store.get(DUE_PK, flag_id)
        if item is not None and item.data.get("episode") == episode:
            try:
                self.store.delete(DUE_PK, flag_id, expected_version=item.version)
            except ConditionFailed:
                pass  # re-indexed for a newer episode meanwhile: keep it

    def _change(
        self,
        flag_id: str,
        by: str,
        action: str,
        episode: int | None,
        now: datetime,
        mutate: Callable[[AlertRecord], Already | None],
        **detail: Any,
    ) -> ActionResult:
        """CAS loop: `mutate` edits the record in place and returns None, or returns why nothing changes."""
        for _ in range(_MAX_CAS_RETRIES):
            current = self.get(flag_id)
            if current is None:
                return ActionResult(outcome="not_found", action=action)
            if episode is not None and episode != current.episode:
                return ActionResult(outcome="stale", action=action, alert=current)
            if current.state == "resolved":
                return ActionResult(outcome="resolved", action=action, alert=current, at=current.resolved_at or now)
            record = current.model_copy(deep=True)
            already = mutate(record)
            if already is not None:
                return ActionResult(
                    outcome="unchanged", action=action, alert=current, by=already.by, until=already.until
                )
            record.updated_at = now
            new_version = current.version + 1
            pk, sk = alert_pk(record.account, record.marketplace), head_sk(record.metric)
            try:
                self.store.transact(
                    [
                        Update(pk=pk, sk=sk, data=record.data(), expected_version=current.version),
                        self._audit_put(record, new_version, by, action, now, **detail),
                    ]
                )
            except ConditionFailed:
                continue
            record.version = new_version
            return ActionResult(outcome="applied", action=action, alert=record, by=by)
        return ActionResult(outcome="unchanged", action=action, alert=self.get(flag_id), busy=True)

    def acknowledge(
        self, flag_id: str, user: str, *, episode: int | None = None, now: datetime | None = None
    ) -> ActionResult:
        now = self._now(now)

        def mutate(r: AlertRecord) -> Already | None:
            if r.state == "acknowledged":
                return Already(by=r.acknowledged_by)
            r.state, r.acknowledged_by, r.acknowledged_at = "acknowledged", user, now
            return None

        return self._change(flag_id, user, "acknowledged", episode, now, mutate)

    def snooze(
        self, flag_id: str, user: str, *, hours: float = 24, episode: int | None = None, now: datetime | None = None
    ) -> ActionResult:
        now = self._now(now)
        until = now + timedelta(hours=hours)

        def mutate(r: AlertRecord) -> Already | None:
            if r.snoozed_until is not None and r.is_snoozed(now):
                return Already(by=r.snoozed_by, until=r.snoozed_until)
            r.snoozed_by, r.snoozed_until = user, until
            return None

        result = self._change(flag_id, user, "snoozed", episode, now, mutate, until=iso_sortable(until))
        if result.applied and result.alert is not None:
            result.until = until
            self._index_snooze(result.alert)
        return result

    def _index_snooze(self, record: AlertRecord) -> None:
        """Remember to announce the end of this snooze (the hint is overwritten by a later snooze)."""
        assert record.snoozed_until is not None
        data = {"episode": record.episode, "until": iso_sortable(as_utc(record.snoozed_until))}
        for _ in range(_MAX_CAS_RETRIES):
            if self.store.put_if_absent(Item(pk=SNOOZE_PK, sk=record.flag_id, data=data)):
                return
            item = self.store.get(SNOOZE_PK, record.flag_id)
            if item is None:
                continue
            try:
                self.store.update(SNOOZE_PK, record.flag_id, data, expected_version=item.version)
                return
            except ConditionFailed:
                continue

    def ended_snoozes(self, now: datetime | None = None) -> list[AlertRecord]:
        """Open alerts whose snooze ran out since the last call, each returned to exactly one caller, once
        (it wins the CAS delete of the hint). A snooze that a worsening ended early was announced then."""
        now = self._now(now)
        ended: list[AlertRecord] = []
        for hint in self.store.query(SNOOZE_PK):
            until = str(hint.data.get("until", ""))
            if until > iso_sortable(now):
                continue
            try:
                self.store.delete(SNOOZE_PK, hint.sk, expected_version=hint.version)
            except ConditionFailed:
                continue  # another run took it, or it was snoozed again meanwhile
            try:
                current = self.get(hint.sk)
            except ValueError:
                continue
            if (
                current is None
                or current.state == "resolved"
                or current.episode != hint.data.get("episode")
                or current.snoozed_until is None
                or iso_sortable(as_utc(current.snoozed_until)) != until
            ):
                continue
            ended.append(current)
        return ended

    def record_press(self, flag_id: str, user: str, action: str, outcome: str, *, now: datetime | None = None) -> None:
        """Audit a button press that changed nothing (refused, already done, stale); applied ones are audited by
        their change. Not a state change, so no CAS: the item key is unique per press."""
        now = self._now(now)
        current = self.get(flag_id)
        entry = AuditEntry(
            at=now,
            by=user,
            action=f"press_{outcome}",
            episode=current.episode if current else 0,
            detail={"action": action},
        )
        self.store.put_if_absent(
            Item(
                pk=audit_pk(flag_id),
                sk=f"AUDIT#{iso_sortable(now)}#{current.version if current else 0:06d}#{uuid.uuid4().hex[:8]}",
                data=entry.model_dump(mode="json"),
            )
        )

    def assign(
        self, flag_id: str, user: str, *, episode: int | None = None, now: datetime | None = None
    ) -> ActionResult:
        now = self._now(now)
        previous: dict[str, str | None] = {}

        def mutate(r: AlertRecord) -> Already | None:
            if r.assignee == user:
                return Already(by=user)
            previous["from"] = r.assignee
            r.assignee, r.assigned_at = user, now
            return None

        return self._change(flag_id, user, "assigned", episode, now, mutate, to=user)

    def record_post(
        self, flag_id: str, channel: str, ts: str, *, episode: int, now: datetime | None = None
    ) -> ActionResult:
        """Remember where this episode was posted (for threading); the first recorded post wins."""
        now = self._now(now)

        def mutate(r: AlertRecord) -> Already | None:
            if r.message_ts:
                return Already()
            r.channel, r.message_ts = channel, ts
            return None

        return self._change(flag_id, SYSTEM, "posted", episode, now, mutate, channel=channel, ts=ts)

    def resolve(
        self, flag_id: str, *, by: str = SYSTEM, reason: str = "back within target", now: datetime | None = None
    ) -> ResolveResult:
        """Close the open episode; returns the thread reply to post under the original alert."""
        now = self._now(now)
        for _ in range(_MAX_CAS_RETRIES):
            current = self.get(flag_id)
            if current is None:
                return ResolveResult(outcome="not_found")
            if current.state == "resolved":
                return ResolveResult(outcome="not_open", alert=current)
            record = current.model_copy(deep=True)
            record.state, record.resolved_at, record.resolved_by, record.updated_at = "resolved", now, by, now
            new_version = current.version + 1
            try:
                self.store.transact(
                    [
                        Update(
                            pk=alert_pk(record.account, record.marketplace),
                            sk=head_sk(record.metric),
                            data=record.data(),
                            expected_version=current.version,
                        ),
                        self._audit_put(record, new_version, by, "resolved", now, reason=reason),
                    ]
                )
            except ConditionFailed:
                continue
            record.version = new_version
            self._unindex_due(flag_id, record.episode)
            resolution = Resolution(
                label=record.flag.label,
                by=None if by == SYSTEM else by,
                reason=reason,
                open_for=now - as_utc(record.opened_at),
            )
            return ResolveResult(
                outcome="resolved",
                alert=record,
                post=ThreadPost(channel=record.channel, thread_ts=record.message_ts, resolution=resolution),
            )
        return ResolveResult(outcome="not_open", alert=self.get(flag_id))

    def due_escalations(
        self, now: datetime | None = None, *, on_dropped: Callable[[str], None] | None = None
    ) -> list[Escalation]:
        """Critical alerts nobody acknowledged or took within the delay; each is returned by exactly one caller, once.

        The clock starts when the alert became critical, or at the end of a snooze (a snooze is not an
        acknowledgement). Each hint is on its own: one that cannot be read (not a flag id, an unreadable
        alert, an earlier version's data) is deleted and reported to `on_dropped` with the error's type
        only (the hint's text may come from a notification), and the others still escalate.
        """
        now = self._now(now)
        due: list[Escalation] = []
        for hint in self.store.query(DUE_PK):
            try:
                escalation = self._due(hint, now)
            except _UNREADABLE_HINT as exc:
                self._drop_hint(hint)
                if on_dropped is not None:
                    on_dropped(type(exc).__name__)
                continue
            if escalation is not None:
                due.append(escalation)
        return due

    def _due(self, hint: Item, now: datetime) -> Escalation | None:
        flag_id = hint.sk
        current = self.get(flag_id)
        if current is None:
            split_flag_id(flag_id)  # not a flag id at all: unreadable, dropped and reported by the caller
            self._drop_hint(hint)  # heads are never deleted, so nothing will come to escalate under it
            return None
        if current.episode != hint.data.get("episode"):
            return None
        if current.state != "open" or current.assignee or current.escalated_at is not None:
            self._unindex_due(flag_id, current.episode)
            return None
        if current.is_snoozed(now):
            return None
        start = as_utc(current.critical_since or current.opened_at)
        if current.snoozed_until is not None:
            start = max(start, as_utc(current.snoozed_until))
        if now - start < self.escalation_delay:
            return None
        return self._escalate(flag_id, current, start, now)

    def _drop_hint(self, hint: Item) -> None:
        try:
            self.store.delete(DUE_PK, hint.sk, expected_version=hint.version)
        except ConditionFailed:
            pass  # rewritten meanwhile (a new episode): the next run reads it again

    def _escalate(self, flag_id: str, current: AlertRecord, start: datetime, now: datetime) -> Escalation | None:
        """Mark the alert escalated (once, whoever gets there first) and say whom to call; None if not ours."""

        def mutate(r: AlertRecord) -> Already | None:
            if r.escalated_at is not None or r.state != "open" or r.assignee:
                return Already()
            r.escalated_at = now
            return None

        result = self._change(
            flag_id,
            SYSTEM,
            "escalated",
            current.episode,
            now,
            mutate,
            after_minutes=int((now - start).total_seconds() // 60),
        )
        if not result.applied or result.alert is None:
            return None
        self._unindex_due(flag_id, current.episode)
        return Escalation(alert=result.alert, unacknowledged_for=now - start)
