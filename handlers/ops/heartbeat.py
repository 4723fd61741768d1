"""The last successful run of each scheduled worker, for `/sellerbot status` and `sellerbot status`.

Key layout:
  OPS#HEARTBEAT                 <schedule>            Heartbeat (one item per schedule)
  OPS#HEARTBEATAUDIT#<schedule> AUDIT#<iso ts>#<ver>  AuditEntry per recorded run; TTL 14 days

Each worker calls `record_run` once, at the end of a run that finished. The write is a compare-and-swap
on the item's version, and it only moves forward: two overlapping runs (EventBridge delivers at least
once) never put an older finish time over a newer one. Recording never fails the worker: a lost race
or a store outage is logged and the run's own result stands.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel

from handlers.audit import AuditEntry
from infra.clock import as_utc, iso_sortable
from infra.store.base import ConditionFailed, Item, Put, Store, Update

log = logging.getLogger("sellerbot.ops")

HEARTBEAT_PK = "OPS#HEARTBEAT"
AUDIT_RETENTION = timedelta(days=14)
_MAX_CAS_RETRIES = 5


class Heartbeat(BaseModel):
    schedule: str
    finished_at: datetime
    runs: int = 0  # runs recorded since the item was created
    counts: dict[str, int] = {}  # what the last run reported (enqueued, posted, ...)


def _audit_pk(schedule: str) -> str:
    return f"OPS#HEARTBEATAUDIT#{schedule}"


def record_run(store: Store, schedule: str, now: datetime, counts: dict[str, Any] | None = None) -> bool:
    """Record that `schedule` finished a run at `now`; True if recorded. Never raises."""
    try:
        return _record(store, schedule, as_utc(now), counts or {})
    except Exception as exc:  # the worker's work is done; a missing heartbeat shows as a late schedule
        log.warning("last run of %s not recorded: %s", schedule, type(exc).__name__)
        return False


def _record(store: Store, schedule: str, now: datetime, counts: dict[str, Any]) -> bool:
    numbers = {k: int(v) for k, v in counts.items() if isinstance(v, int | float) and not isinstance(v, bool)}
    for _ in range(_MAX_CAS_RETRIES):
        item = store.get(HEARTBEAT_PK, schedule)
        current = Heartbeat.model_validate(item.data) if item else None
        if current is not None and as_utc(current.finished_at) >= now:
            return False  # a later run already recorded itself
        beat = Heartbeat(schedule=schedule, finished_at=now, runs=(current.runs if current else 0) + 1, counts=numbers)
        data = beat.model_dump(mode="json")
        version = item.version if item else 0
        step: Put | Update = (
            Update(pk=HEARTBEAT_PK, sk=schedule, data=data, expected_version=item.version)
            if item
            else Put(item=Item(pk=HEARTBEAT_PK, sk=schedule, data=data))
        )
        entry = AuditEntry(at=now, by=f"schedule:{schedule}", action="run_finished", detail=numbers)
        audit = Put(
            item=Item(
                pk=_audit_pk(schedule),
                sk=f"AUDIT#{iso_sortable(now)}#{version + 1:06d}",
                data=entry.model_dump(mode="json"),
                expires_at=int((now + AUDIT_RETENTION).timestamp()),
            )
        )
        try:
            store.transact([step, audit])
            return True
        except ConditionFailed:
            continue  # another run recorded in between: re-read, and only move forward
    log.warning("last run of %s not recorded: the heartbeat kept changing", schedule)
    return False


def last_runs(store: Store) -> dict[str, Heartbeat]:
    """Every schedule's heartbeat, by schedule name (one Query)."""
    return {i.sk: Heartbeat.model_validate(i.data) for i in store.query(HEARTBEAT_PK)}
