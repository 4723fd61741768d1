"""What `/health` needs to be honest about a check: when it was last attempted, when it last succeeded,
whether the last one failed (and why, in words a seller understands), and whether one is running now.

Key layout:
  HEALTHCHECK#<account>#<mkt>        STATE                  CheckState (one item per pair)
  HEALTHCHECKAUDIT#<account>#<mkt>   AUDIT#<iso ts>#<ver>   AuditEntry per change; TTL 120 days

Every change is a compare-and-swap on the state item's version, in one transaction with its audit
item, so two workers checking the same pair never overwrite each other's fields. The in-flight marker
carries the run id and a lease: a run finishing clears only its own marker (a newer run's stays), and
a worker that died mid-check stops showing as "checking now" when the lease ends.

`stale_after()` is twice the schedule: the scheduled check runs every `SELLERBOT_HEALTH_CHECK_HOURS`
hours (default 6; serverless.yml's `healthSchedule` rate must say the same, a test holds them equal).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel

from handlers.audit import AuditEntry
from handlers.health.fetch import ReportPending
from infra.clock import as_utc, iso_sortable
from infra.spapi.errors import explain
from infra.store.base import ConditionFailed, Item, Put, Store, Update

log = logging.getLogger("sellerbot.health")

SCHEDULE_HOURS_ENV = "SELLERBOT_HEALTH_CHECK_HOURS"
DEFAULT_SCHEDULE_HOURS = 6.0
# A check holds its Lambda at most ~25 s per attempt, and a pending report comes back within minutes
# (FANOUT.md); a marker older than this belongs to a worker that died.
CHECK_LEASE = timedelta(minutes=15)
AUDIT_RETENTION = timedelta(days=120)
STATE_SK = "STATE"
_MAX_CAS_RETRIES = 8
SYSTEM = "health-check"


def schedule_interval() -> timedelta:
    return timedelta(hours=float(os.environ.get(SCHEDULE_HOURS_ENV) or DEFAULT_SCHEDULE_HOURS))


def stale_after() -> timedelta:
    """A pair whose last successful check is older than this is stale: two scheduled runs were missed."""
    return 2 * schedule_interval()


def state_pk(account: str, marketplace: str) -> str:
    return f"HEALTHCHECK#{account}#{marketplace}"


def audit_pk(account: str, marketplace: str) -> str:
    return f"HEALTHCHECKAUDIT#{account}#{marketplace}"


class CheckState(BaseModel):
    account: str
    marketplace: str
    last_attempt_at: datetime | None = None
    last_success_at: datetime | None = None
    last_failure_at: datetime | None = None
    failure_reason: str | None = None
    running_run_id: str | None = None
    running_until: datetime | None = None

    def in_flight(self, now: datetime) -> bool:
        return self.running_until is not None and as_utc(self.running_until) > as_utc(now)

    @property
    def failed(self) -> bool:
        """The most recent finished check failed (a later success clears it)."""
        if self.last_failure_at is None:
            return False
        return self.last_success_at is None or as_utc(self.last_failure_at) >= as_utc(self.last_success_at)


class Tracker:
    """Handed to the body of `CheckStateBook.tracking`: it says how the check ended."""

    def __init__(self) -> None:
        self.result: tuple[bool, str | None] | None = None

    def finished(self, *, ok: bool, reason: str | None = None) -> None:
        self.result = (ok, reason)


class CheckStateBook:
    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self, account: str, marketplace: str) -> CheckState:
        item = self.store.get(state_pk(account, marketplace), STATE_SK)
        if item is None:
            return CheckState(account=account, marketplace=marketplace)
        return CheckState.model_validate(item.data)

    def audit(self, account: str, marketplace: str) -> list[AuditEntry]:
        items = self.store.query(audit_pk(account, marketplace), prefix="AUDIT#")
        return [AuditEntry.model_validate(i.data) for i in items]

    # ---- changes -------------------------------------------------------------------------------------------------
    def begin(self, account: str, marketplace: str, run_id: str, *, now: datetime) -> CheckState:
        now = as_utc(now)

        def change(state: CheckState) -> dict[str, Any]:
            return {"last_attempt_at": now, "running_run_id": run_id, "running_until": now + CHECK_LEASE}

        return self._change(account, marketplace, "check_started", now, change, run_id=run_id)

    def still_pending(self, account: str, marketplace: str, run_id: str, *, now: datetime) -> CheckState:
        """Amazon is still building the report: the check goes on (the marker's lease is renewed)."""
        now = as_utc(now)

        def change(state: CheckState) -> dict[str, Any]:
            return {"running_run_id": run_id, "running_until": now + CHECK_LEASE}

        return self._change(account, marketplace, "check_pending", now, change, run_id=run_id)

    def succeed(self, account: str, marketplace: str, run_id: str, *, now: datetime) -> CheckState:
        now = as_utc(now)

        def change(state: CheckState) -> dict[str, Any]:
            return {"last_success_at": now, **_release(state, run_id)}

        return self._change(account, marketplace, "check_succeeded", now, change, run_id=run_id)

    def fail(self, account: str, marketplace: str, run_id: str, reason: str, *, now: datetime) -> CheckState:
        now = as_utc(now)

        def change(state: CheckState) -> dict[str, Any]:
            return {"last_failure_at": now, "failure_reason": reason, **_release(state, run_id)}

        return self._change(account, marketplace, "check_failed", now, change, run_id=run_id, reason=reason)

    @contextmanager
    def tracking(
        self, account: str, marketplace: str, run_id: str, *, now: Callable[[], datetime], last_attempt: bool = False
    ) -> Iterator[Tracker]:
        """Bookkeeping around one check: begun on entry; on exit the body's `finished(...)`, else what
        the exception says (a report still pending keeps the check in flight unless it was the last try).
        Bookkeeping never fails the check itself: a lost compare-and-swap race is logged."""
        tracker = Tracker()
        self._quietly(self.begin, account, marketplace, run_id, now=now())
        try:
            yield tracker
        except ReportPending:
            if last_attempt:
                reason = (
                    "Amazon did not finish the report in time on any attempt; the next scheduled check tries again."
                )
                self._quietly(self.fail, account, marketplace, run_id, reason, now=now())
            else:
                self._quietly(self.still_pending, account, marketplace, run_id, now=now())
            raise
        except Exception as exc:
            self._quietly(self.fail, account, marketplace, run_id, failure_words(exc), now=now())
            raise
        if tracker.result is not None:
            ok, why = tracker.result
            if ok:
                self._quietly(self.succeed, account, marketplace, run_id, now=now())
            else:
                self._quietly(self.fail, account, marketplace, run_id, why or "The check failed.", now=now())

    @staticmethod
    def _quietly(step: Callable[..., CheckState], *args: Any, **kwargs: Any) -> None:
        try:
            step(*args, **kwargs)
        except ConditionFailed as exc:
            log.warning("health check state not recorded (%s): %s", step.__name__, exc)

    def _change(
        self,
        account: str,
        marketplace: str,
        action: str,
        now: datetime,
        change: Callable[[CheckState], dict[str, Any]],
        **detail: Any,
    ) -> CheckState:
        pk = state_pk(account, marketplace)
        for _ in range(_MAX_CAS_RETRIES):
            item = self.store.get(pk, STATE_SK)
            current = (
                CheckState.model_validate(item.data) if item else CheckState(account=account, marketplace=marketplace)
            )
            new = current.model_copy(update=change(current))
            version = item.version if item else 0
            entry = AuditEntry(at=now, by=SYSTEM, action=action, detail=detail)
            audit = Put(
                item=Item(
                    pk=audit_pk(account, marketplace),
                    sk=f"AUDIT#{iso_sortable(now)}#{version + 1:06d}",
                    data=entry.model_dump(mode="json"),
                    expires_at=int((now + AUDIT_RETENTION).timestamp()),
                )
            )
            data = new.model_dump(mode="json")
            step: Put | Update = (
                Update(pk=pk, sk=STATE_SK, data=data, expected_version=item.version)
                if item
                else Put(item=Item(pk=pk, sk=STATE_SK, data=data))
            )
            try:
                self.store.transact([step, audit])
                return new
            except ConditionFailed:
                continue  # another worker changed the pair in between: re-read and apply ours on top
        raise ConditionFailed(pk, STATE_SK, "check state kept changing")


def _release(state: CheckState, run_id: str) -> dict[str, Any]:
    """Clear the in-flight marker if it is this run's (a newer run's marker stays)."""
    if state.running_run_id == run_id:
        return {"running_run_id": None, "running_until": None}
    return {}


def failure_words(exc: BaseException) -> str:
    """Why a check failed, for a seller: SP-API failures in `explain`'s words, anything else generic
    (never the raw exception text)."""
    if type(exc).__module__.startswith(("infra.spapi", "sp_api", "httpx")) or hasattr(exc, "status_code"):
        return explain(exc)
    return (
        "The check stopped on an internal error; it is retried automatically, and the team has the details in the logs."
    )
