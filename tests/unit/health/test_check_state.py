"""The per-pair check bookkeeping: last attempt, last success, last failure and its reason, the in-flight marker."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from handlers.health.check_state import (
    CHECK_LEASE,
    CheckStateBook,
    schedule_interval,
    stale_after,
)
from handlers.health.fetch import ReportPending
from infra.store.sqlite import SQLiteStore

T0 = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)


@pytest.fixture
def book(store: SQLiteStore) -> CheckStateBook:
    return CheckStateBook(store)


def test_a_pair_never_attempted_has_an_empty_state(book):
    state = book.get("acme", "US")
    assert state.last_attempt_at is None and state.last_success_at is None and state.last_failure_at is None
    assert not state.in_flight(T0) and not state.failed


def test_begin_marks_the_check_in_flight_and_success_clears_it(book):
    book.begin("acme", "US", "run-1", now=T0)
    state = book.get("acme", "US")
    assert state.in_flight(T0 + timedelta(minutes=1)) and state.last_attempt_at == T0
    # A worker that died never clears its marker: the lease ends it.
    assert not state.in_flight(T0 + CHECK_LEASE + timedelta(seconds=1))
    book.succeed("acme", "US", "run-1", now=T0 + timedelta(seconds=30))
    state = book.get("acme", "US")
    assert not state.in_flight(T0 + timedelta(minutes=1)) and not state.failed
    assert state.last_success_at == T0 + timedelta(seconds=30)


def test_a_failure_keeps_its_reason_until_a_later_success(book):
    book.begin("acme", "US", "r1", now=T0)
    book.fail("acme", "US", "r1", "Amazon refused the report request.", now=T0)
    state = book.get("acme", "US")
    assert state.failed and state.failure_reason == "Amazon refused the report request."
    assert not state.in_flight(T0)
    book.begin("acme", "US", "r2", now=T0 + timedelta(hours=6))
    book.succeed("acme", "US", "r2", now=T0 + timedelta(hours=6))
    assert not book.get("acme", "US").failed


def test_an_older_run_finishing_does_not_clear_a_newer_runs_marker(book):
    book.begin("acme", "US", "old", now=T0)
    book.begin("acme", "US", "new", now=T0 + timedelta(minutes=2))
    book.succeed("acme", "US", "old", now=T0 + timedelta(minutes=3))
    state = book.get("acme", "US")
    assert state.in_flight(T0 + timedelta(minutes=4)) and state.running_run_id == "new"
    assert state.last_success_at == T0 + timedelta(minutes=3)


def test_every_change_is_audited_and_written_conditionally(book, store):
    book.begin("acme", "US", "r1", now=T0)
    book.fail("acme", "US", "r1", "no answer", now=T0 + timedelta(seconds=1))
    item = store.get("HEALTHCHECK#acme#US", "STATE")
    assert item is not None and item.version == 2  # created, then one compare-and-swap update
    assert [e.action for e in book.audit("acme", "US")] == ["check_started", "check_failed"]


def test_tracking_records_success_failure_and_pending(book):
    with book.tracking("acme", "US", "r1", now=lambda: T0) as track:
        track.finished(ok=True)
    assert book.get("acme", "US").last_success_at == T0

    with pytest.raises(RuntimeError), book.tracking("acme", "CA", "r1", now=lambda: T0):
        raise RuntimeError("boom")
    state = book.get("acme", "CA")
    assert state.failed and state.failure_reason and "boom" not in state.failure_reason  # never raw exception text

    with pytest.raises(ReportPending), book.tracking("globex", "UK", "r1", now=lambda: T0):
        raise ReportPending("rep-1", "IN_QUEUE")
    state = book.get("globex", "UK")
    assert state.in_flight(T0 + timedelta(minutes=1)) and not state.failed  # Amazon still building it

    with book.tracking("globex", "DE", "r1", now=lambda: T0) as track:
        track.finished(ok=False, reason="The report had no data for DE.")
    assert book.get("globex", "DE").failure_reason == "The report had no data for DE."


def test_stale_is_twice_the_schedule_and_the_schedule_matches_serverless_yml(monkeypatch):
    from pathlib import Path

    text = (Path(__file__).resolve().parents[3] / "serverless.yml").read_text()
    block = text.split("healthSchedule:", 1)[1].split("\n  health", 1)[0]
    assert f"rate({int(schedule_interval().total_seconds() // 3600)} hours)" in block
    assert stale_after() == 2 * schedule_interval()
    monkeypatch.setenv("SELLERBOT_HEALTH_CHECK_HOURS", "12")
    assert stale_after() == timedelta(hours=24)
