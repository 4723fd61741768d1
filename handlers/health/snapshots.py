"""Evaluated reports per account × marketplace, for diffs, trends and the 90-day chart.

Key layout:
  HEALTH#<account>#<mkt>    SNAP#<iso ts>    Snapshot (metrics, flags, account status); TTL 120 days

Snapshots are written with put_if_absent: a retried check of the same report
at the same timestamp writes once. ISO-8601 UTC timestamps sort
lexicographically, so "last" is a descending query with limit 1.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel

from handlers.health.evaluate import MetricValue, RedFlag, TrendWarning
from handlers.health.evaluate import _trends as trends_between  # the rule a check applies, not a copy
from infra.clock import as_utc, iso_sortable, utc_now
from infra.store.base import Item, Store

RETENTION = timedelta(days=120)


def snapshot_pk(account: str, marketplace: str) -> str:
    return f"HEALTH#{account}#{marketplace}"


def snapshot_sk(taken_at: datetime) -> str:
    return "SNAP#" + iso_sortable(taken_at)


class Snapshot(BaseModel):
    account: str
    marketplace: str
    taken_at: datetime
    account_status: str | None
    metrics: dict[str, MetricValue]
    flags: list[RedFlag]


class SnapshotStore:
    def __init__(self, store: Store) -> None:
        self.store = store

    def save(self, snapshot: Snapshot) -> bool:
        """False when a snapshot with this timestamp exists already (a retry)."""
        expires = int((as_utc(snapshot.taken_at) + RETENTION).timestamp())
        return self.store.put_if_absent(
            Item(
                pk=snapshot_pk(snapshot.account, snapshot.marketplace),
                sk=snapshot_sk(snapshot.taken_at),
                data=snapshot.model_dump(mode="json"),
                expires_at=expires,
            )
        )

    def last(self, account: str, marketplace: str, *, before: datetime | None = None) -> Snapshot | None:
        pk = snapshot_pk(account, marketplace)
        if before is None:
            items = self.store.query(pk, prefix="SNAP#", limit=1, descending=True)
        else:
            cutoff = snapshot_sk(before)
            # Two newest usually suffice (the newest may be this very check, retried); a late, out-of-order
            # check falls back to reading the partition.
            newest = self.store.query(pk, prefix="SNAP#", limit=2, descending=True)
            items = [i for i in newest if i.sk < cutoff][:1]
            if not items and len(newest) == 2:
                items = [i for i in self.store.query(pk, prefix="SNAP#", descending=True) if i.sk < cutoff][:1]
        return Snapshot.model_validate(items[0].data) if items else None

    def recent(self, account: str, marketplace: str, *, count: int = 2) -> list[Snapshot]:
        """The `count` newest snapshots, newest first."""
        items = self.store.query(snapshot_pk(account, marketplace), prefix="SNAP#", limit=count, descending=True)
        return [Snapshot.model_validate(i.data) for i in items]

    def history(self, account: str, marketplace: str, *, days: int = 90, now: datetime | None = None) -> list[Snapshot]:
        """Snapshots of the last `days` days, oldest first."""
        now = as_utc(now or utc_now())
        since = snapshot_sk(now - timedelta(days=days))
        items = self.store.query(snapshot_pk(account, marketplace), prefix="SNAP#")
        return [Snapshot.model_validate(i.data) for i in items if i.sk >= since]


def latest_trends(recent: list[Snapshot]) -> list[TrendWarning]:
    """The trend warnings between the two newest snapshots (newest first), as the check that wrote the
    newest one raised them: a metric within target that moved more than half-way toward it."""
    if len(recent) < 2:
        return []
    last, previous = recent[0], recent[1]
    flagged = {f.metric for f in last.flags}
    return trends_between(last.account, last.marketplace, last.metrics, previous.metrics, flagged)
