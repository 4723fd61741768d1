"""record_run: a conditional, forward-only write with its audit entry, that never fails the worker."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from handlers.ops.heartbeat import HEARTBEAT_PK, last_runs, record_run
from infra.store.base import ConditionFailed

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def test_records_the_run_and_an_audit_entry(store):
    assert record_run(store, "promoExpiry", NOW, {"ended": 2, "note": "x"})
    beat = last_runs(store)["promoExpiry"]
    assert beat.finished_at == NOW and beat.runs == 1 and beat.counts == {"ended": 2}
    [audit] = store.query("OPS#HEARTBEATAUDIT#promoExpiry")
    assert audit.data["action"] == "run_finished" and audit.expires_at


def test_only_moves_forward(store):
    record_run(store, "promoExpiry", NOW)
    assert not record_run(store, "promoExpiry", NOW - timedelta(minutes=15))  # an older, late-delivered run
    assert record_run(store, "promoExpiry", NOW + timedelta(minutes=15))
    beat = last_runs(store)["promoExpiry"]
    assert beat.finished_at == NOW + timedelta(minutes=15) and beat.runs == 2
    assert store.get(HEARTBEAT_PK, "promoExpiry").version == 2


def test_a_lost_race_is_retried_on_top_of_the_winner(store):
    record_run(store, "healthEscalation", NOW)
    real = store.transact
    raced = []

    def transact(steps):
        if not raced:
            raced.append(1)
            record_run(store, "healthEscalation", NOW + timedelta(minutes=1))  # another run wins first
            raise ConditionFailed(HEARTBEAT_PK, "healthEscalation")
        return real(steps)

    store.transact = transact
    assert record_run(store, "healthEscalation", NOW + timedelta(minutes=2))
    beat = last_runs(store)["healthEscalation"]
    assert beat.finished_at == NOW + timedelta(minutes=2) and beat.runs == 3


def test_never_raises(store):
    def broken(*args, **kwargs):
        raise ConnectionError("store down")

    store.get = broken
    assert record_run(store, "healthSchedule", NOW) is False
