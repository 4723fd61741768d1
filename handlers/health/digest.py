"""One digest message per account × marketplace: where its summary was posted, and what it says.

Key layout (the alert book's table):
  DIGEST#<account>#<mkt>        DIGEST                        the digest head (DigestRecord minus version)
  DIGESTAUDIT#<account>#<mkt>   AUDIT#<iso ts>#<version:06d>  {"at","by","action","detail"}

The first worker to need a digest claims it (Put when absent) before posting the top-level message,
so two workers never post two digests; the winner records the message's ts (CAS). A claim whose
poster died (no ts after the lease) can be taken over with a CAS on its version. Later checks and
notifications only replace the summary (CAS) and `chat.update` the same message; every change of the
head is audited. Nothing here talks to Slack: the summary is data, bot/views/health.py words it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, Field

from handlers import audit
from handlers.health.alerts import SYSTEM
from infra.clock import as_utc, iso_sortable
from infra.store.base import ConditionFailed, Item, Put, Store, Update

DIGEST_SK = "DIGEST"
# The scheduled check's period (serverless.yml `healthSchedule`); the same setting handlers/health/check_state.py
# reads for staleness.
SCHEDULE_HOURS_ENV = "SELLERBOT_HEALTH_CHECK_HOURS"
CLAIM_LEASE = timedelta(minutes=5)
_MAX_CAS_RETRIES = 8

ChangeKind = Literal["new", "worsened", "resolved", "returned"]


def digest_pk(account: str, marketplace: str) -> str:
    return f"DIGEST#{account}#{marketplace}"


def digest_audit_pk(account: str, marketplace: str) -> str:
    return f"DIGESTAUDIT#{account}#{marketplace}"


class Change(BaseModel):
    """One flag that changed since the previous check (new, worse, resolved, back from a snooze)."""

    kind: ChangeKind
    label: str
    severity: str = "warning"


class DigestSummary(BaseModel):
    """What the digest message says: the pair's state after its last check (and later notifications)."""

    account: str
    account_name: str = ""
    marketplace: str
    ahr_score: float | None = None
    ahr_status: str | None = None
    account_status: str | None = None
    red: int = 0  # open critical alerts
    warnings: int = 0  # open warning alerts
    checked_at: datetime | None = None  # the last scheduled or on-demand check
    check_failed: str | None = None  # why the last check could not read the report
    changes: list[Change] = Field(default_factory=list)  # since the check before
    next_check_at: datetime | None = None
    event: str | None = None  # the latest push notification type applied since the check
    event_at: datetime | None = None


class DigestRecord(BaseModel):
    account: str
    marketplace: str
    channel: str
    ts: str | None = None
    claimed_at: datetime
    summary: DigestSummary | None = None
    version: int = 0

    def data(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude={"version"})


class Claim(BaseModel):
    """`post`: the caller must post the top-level message now and call `posted`. `posted`: it exists
    (`record.ts`). `busy`: another worker claimed it moments ago and has not recorded its ts yet."""

    outcome: Literal["post", "posted", "busy"]
    record: DigestRecord


class DigestBook:
    def __init__(self, store: Store, *, lease: timedelta = CLAIM_LEASE) -> None:
        self.store, self.lease = store, lease

    def get(self, account: str, marketplace: str) -> DigestRecord | None:
        item = self.store.get(digest_pk(account, marketplace), DIGEST_SK)
        return None if item is None else DigestRecord.model_validate({**item.data, "version": item.version})

    def audit(self, account: str, marketplace: str) -> list[audit.AuditEntry]:
        items = self.store.query(digest_audit_pk(account, marketplace), prefix="AUDIT#")
        return [audit.AuditEntry.model_validate(i.data) for i in items]

    def _audit(self, record: DigestRecord, version: int, action: str, now: datetime, **detail: Any) -> Put:
        entry = audit.AuditEntry(at=now, by=SYSTEM, action=action, detail=detail)
        return Put(
            item=Item(
                pk=digest_audit_pk(record.account, record.marketplace),
                sk=f"AUDIT#{iso_sortable(now)}#{version:06d}",
                data=entry.model_dump(mode="json"),
            )
        )

    def claim(self, account: str, marketplace: str, channel: str, summary: DigestSummary, now: datetime) -> Claim:
        """Claim the right to post the pair's digest, or say where it is (or that someone is posting it)."""
        now = as_utc(now)
        pk = digest_pk(account, marketplace)
        for _ in range(_MAX_CAS_RETRIES):
            current = self.get(account, marketplace)
            fresh = DigestRecord(account=account, marketplace=marketplace, channel=channel, claimed_at=now)
            fresh.summary = summary
            if current is not None and current.ts:
                return Claim(outcome="posted", record=current)
            if current is not None and now - as_utc(current.claimed_at) < self.lease:
                return Claim(outcome="busy", record=current)
            version = 1 if current is None else current.version + 1
            head: Put | Update = (
                Put(item=Item(pk=pk, sk=DIGEST_SK, data=fresh.data()))
                if current is None
                else Update(pk=pk, sk=DIGEST_SK, data=fresh.data(), expected_version=current.version)
            )
            action = "claimed" if current is None else "claim_taken_over"
            try:
                self.store.transact([head, self._audit(fresh, version, action, now, channel=channel)])
            except ConditionFailed:
                continue
            fresh.version = version
            return Claim(outcome="post", record=fresh)
        current = self.get(account, marketplace)
        assert current is not None
        return Claim(outcome="busy", record=current)

    def posted(self, record: DigestRecord, channel: str, ts: str, now: datetime) -> DigestRecord:
        """Record the posted message of a claim we hold (first recorded ts wins)."""
        return self._change(
            record.account, record.marketplace, now, "posted", lambda r: _set_ts(r, channel, ts), channel=channel, ts=ts
        )

    def release(self, record: DigestRecord, now: datetime) -> None:
        """Slack refused the post: end our claim's lease now so the next delivery posts it (a CAS, not a delete:
        the version keeps counting, so audit keys stay unique)."""
        released = record.model_copy(update={"claimed_at": as_utc(now) - self.lease})
        try:
            self.store.transact(
                [
                    Update(
                        pk=digest_pk(record.account, record.marketplace),
                        sk=DIGEST_SK,
                        data=released.data(),
                        expected_version=record.version,
                    ),
                    self._audit(released, record.version + 1, "released", as_utc(now)),
                ]
            )
        except ConditionFailed:
            pass  # someone else changed it meanwhile: their state stands

    def save_summary(self, account: str, marketplace: str, summary: DigestSummary, now: datetime) -> DigestRecord:
        def replace(r: DigestRecord) -> bool:
            if r.summary == summary:
                return False
            r.summary = summary
            return True

        return self._change(account, marketplace, now, "summary", replace, red=summary.red, warnings=summary.warnings)

    def _change(
        self,
        account: str,
        marketplace: str,
        now: datetime,
        action: str,
        mutate: Callable[[DigestRecord], bool],
        **detail: Any,
    ) -> DigestRecord:
        """CAS loop on the head; `mutate` returns False when there is nothing to change."""
        now = as_utc(now)
        pk = digest_pk(account, marketplace)
        for _ in range(_MAX_CAS_RETRIES):
            current = self.get(account, marketplace)
            if current is None:
                raise LookupError(f"no digest for {account} {marketplace}")
            record = current.model_copy(deep=True)
            if not mutate(record):
                return current
            version = current.version + 1
            try:
                self.store.transact(
                    [
                        Update(pk=pk, sk=DIGEST_SK, data=record.data(), expected_version=current.version),
                        self._audit(record, version, action, now, **detail),
                    ]
                )
            except ConditionFailed:
                continue
            record.version = version
            return record
        current = self.get(account, marketplace)
        assert current is not None
        return current


def _set_ts(record: DigestRecord, channel: str, ts: str) -> bool:
    if record.ts:
        return False
    record.channel, record.ts = channel, ts
    return True


def schedule_interval() -> timedelta:
    return timedelta(hours=float(os.environ.get(SCHEDULE_HOURS_ENV) or 6.0))


def next_check(now: datetime, every: timedelta) -> datetime:
    """When the schedule runs next: the next multiple of `every` since midnight UTC (rate(6 hours) → 00, 06, …)."""
    now = as_utc(now)
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    steps = int((now - midnight) / every) + 1
    return midnight + steps * every
