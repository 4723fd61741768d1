"""Alert lifecycle in the Store: open once per episode, ack/snooze/assign once, escalate once, resolve in thread."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from bot.views import kit
from bot.views.health import action_text, escalation_text, resolution_text
from handlers.health.alerts import AlertBook
from handlers.health.evaluate import RedFlag, evaluate_report
from handlers.health.report import parse_report
from handlers.health.snapshots import Snapshot, SnapshotStore
from infra.store.sqlite import SQLiteStore
from tests.support.health import NOW, encode, healthy_report


def flag(metric: str = "orderDefectRate.mfn", severity: str = "critical") -> RedFlag:
    f = evaluate_report(parse_report(encode(healthy_report(orderDefectRate=0.02))), account="acme").flags[0]
    return f.model_copy(update={"metric": metric, "flag_id": f"acme#US#{metric}", "severity": severity})


@pytest.fixture
def book(store) -> AlertBook:
    return AlertBook(store, escalation_delay=timedelta(minutes=30), clock=lambda: NOW)


def test_same_flag_twice_alerts_once(book):
    first = book.open(flag(), channel="C1", owner_group="S1")
    second = book.open(flag(), channel="C1", owner_group="S1")
    assert (first.outcome, first.should_post) == ("opened", True)
    assert (second.outcome, second.should_post) == ("already_open", False)
    assert [a.action for a in book.audit(flag().flag_id)] == ["opened"]


def test_ten_concurrent_openers_alert_once(tmp_path):
    store = SQLiteStore(str(tmp_path / "h.db"))
    book = AlertBook(store, clock=lambda: NOW)
    results, barrier = [], threading.Barrier(10)

    def worker():
        barrier.wait()
        results.append(book.open(flag(), channel="C1").outcome)

    threads = [threading.Thread(target=worker) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["already_open"] * 9 + ["opened"]
    assert len(store.query("ALERT#acme#US", prefix="EPISODE#")) == 1


def test_resolve_posts_in_thread_and_reopen_alerts_again(book):
    opened = book.open(flag(), channel="C1")
    book.record_post(flag().flag_id, "C1", "111.222", episode=opened.alert.episode)
    book.record_post(flag().flag_id, "C1", "999.999", episode=opened.alert.episode)  # retried post: first wins
    res = book.resolve(flag().flag_id, now=NOW + timedelta(hours=3))
    assert res.outcome == "resolved" and res.post is not None
    assert (res.post.channel, res.post.thread_ts) == ("C1", "111.222")
    text = resolution_text(res.post.resolution)
    assert "Resolved" in text and "3 h" in text
    assert book.resolve(flag().flag_id).outcome == "not_open"  # twice: once
    again = book.open(flag(), channel="C1", now=NOW + timedelta(days=1))
    assert (again.outcome, again.alert.episode, again.alert.message_ts) == ("reopened", 2, None)
    assert book.open(flag(), channel="C1").outcome == "already_open"
    actions = [a.action for a in book.audit(flag().flag_id)]
    assert actions == ["opened", "posted", "resolved", "reopened"]


def test_acknowledge_once_and_stale_buttons(book):
    fid = flag().flag_id
    assert book.acknowledge(fid, "U1").outcome == "not_found"
    ep = book.open(flag()).alert.episode
    first = book.acknowledge(fid, "U1", episode=ep)
    second = book.acknowledge(fid, "U2", episode=ep)
    assert first.applied and first.alert.acknowledged_by == "U1"
    assert second.outcome == "unchanged" and "U1" in action_text(second)
    book.resolve(fid)
    assert book.acknowledge(fid, "U1", episode=ep).outcome == "resolved"
    book.open(flag())
    assert book.acknowledge(fid, "U1", episode=ep).outcome == "stale"  # old message's button
    audit = [a for a in book.audit(fid) if a.action == "acknowledged"]
    assert len(audit) == 1 and audit[0].by == "U1" and audit[0].at == NOW


def test_snooze_24h_once(book):
    fid = flag().flag_id
    book.open(flag())
    s = book.snooze(fid, "U1")
    assert s.applied and s.alert.snoozed_until == NOW + timedelta(hours=24)
    assert book.snooze(fid, "U2").outcome == "unchanged"
    later = book.snooze(fid, "U2", now=NOW + timedelta(hours=25))
    assert later.applied and later.alert.snoozed_until == NOW + timedelta(hours=49)
    detail = [a.detail for a in book.audit(fid) if a.action == "snoozed"]
    assert len(detail) == 2 and detail[0]["until"].startswith("2026-11-25T09:00")


def test_assign_to_me(book):
    fid = flag().flag_id
    book.open(flag())
    assert book.assign(fid, "U1").applied
    assert book.assign(fid, "U1").outcome == "unchanged"
    assert book.assign(fid, "U2").alert.assignee == "U2"
    assert [(a.by, a.detail["to"]) for a in book.audit(fid) if a.action == "assigned"] == [("U1", "U1"), ("U2", "U2")]


def test_escalation_once_after_delay(book):
    opened = book.open(flag(), channel="C1", owner_group="S0OPS")
    book.open(flag("lateShipmentRate", "warning"), channel="C1", owner_group="S0OPS")
    assert book.due_escalations(NOW + timedelta(minutes=29)) == []
    due = book.due_escalations(NOW + timedelta(minutes=31))
    assert [e.alert.flag_id for e in due] == [opened.alert.flag_id]  # warnings never escalate
    mention = kit.group_mention(due[0].alert.owner_group)
    assert mention == "<!subteam^S0OPS>" and escalation_text(due[0]).startswith("<!subteam^S0OPS>")
    assert book.due_escalations(NOW + timedelta(hours=5)) == []  # marked once
    assert [a.action for a in book.audit(opened.alert.flag_id)] == ["opened", "escalated"]


def test_concurrent_escalation_runs_mark_once(tmp_path):
    book = AlertBook(SQLiteStore(str(tmp_path / "e.db")), escalation_delay=timedelta(minutes=1), clock=lambda: NOW)
    for i in range(5):
        book.open(flag(f"m{i}"), owner_group="S1")
    got, barrier = [], threading.Barrier(8)

    def worker():
        barrier.wait()
        got.extend(e.alert.flag_id for e in book.due_escalations(NOW + timedelta(minutes=5)))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(got) == [f"acme#US#m{i}" for i in range(5)]


def test_no_escalation_when_acknowledged_assigned_or_snoozed(book):
    for metric in ("a", "b", "c", "d"):
        book.open(flag(metric))
    book.acknowledge("acme#US#a", "U1")
    book.assign("acme#US#b", "U1")
    book.snooze("acme#US#c", "U1")  # until NOW + 24 h
    book.resolve("acme#US#d")
    assert book.due_escalations(NOW + timedelta(hours=2)) == []
    assert book.due_escalations(NOW + timedelta(hours=24, minutes=20)) == []  # snooze over, delay not
    assert [e.alert.flag_id for e in book.due_escalations(NOW + timedelta(hours=24, minutes=31))] == ["acme#US#c"]


def test_reopened_critical_escalates_again(book):
    book.open(flag())
    assert len(book.due_escalations(NOW + timedelta(hours=1))) == 1
    book.resolve(flag().flag_id, now=NOW + timedelta(hours=2))
    book.open(flag(), now=NOW + timedelta(hours=3))
    due = book.due_escalations(NOW + timedelta(hours=4))
    assert len(due) == 1 and due[0].alert.episode == 2


def test_snapshots_last_and_90_days(store):
    snaps = SnapshotStore(store)
    ev = evaluate_report(parse_report(encode(healthy_report())), account="acme")
    for days_ago in (100, 60, 1):
        assert snaps.save(
            Snapshot(
                account="acme",
                marketplace="US",
                taken_at=NOW - timedelta(days=days_ago),
                account_status="NORMAL",
                metrics=ev.metrics["US"],
                flags=[],
            )
        )
    assert not snaps.save(
        Snapshot(
            account="acme",
            marketplace="US",
            taken_at=NOW - timedelta(days=1),
            account_status="NORMAL",
            metrics={},
            flags=[],
        )
    )  # retry: written once
    assert snaps.last("acme", "US").taken_at == NOW - timedelta(days=1)
    assert snaps.last("acme", "US", before=NOW - timedelta(days=1)).taken_at == NOW - timedelta(days=60)
    assert [s.taken_at for s in snaps.history("acme", "US", now=NOW)] == [
        NOW - timedelta(days=60),
        NOW - timedelta(days=1),
    ]
    assert snaps.last("acme", "CA") is None
    item = store.query("HEALTH#acme#US", prefix="SNAP#")[0]
    assert item.sk.startswith("SNAP#20") and item.expires_at is not None


def test_warning_that_turns_critical_posts_once_more_and_escalates_from_then(book):
    warn = book.open(flag(severity="warning"), owner_group="S1")
    assert warn.outcome == "opened" and book.due_escalations(NOW + timedelta(hours=3)) == []
    later = NOW + timedelta(hours=6)
    up = book.open(flag(severity="critical"), now=later)
    assert (up.outcome, up.should_post, up.alert.episode, up.alert.severity) == ("upgraded", True, 1, "critical")
    assert book.open(flag(severity="critical"), now=later).outcome == "already_open"
    assert book.due_escalations(later + timedelta(minutes=29)) == []
    assert len(book.due_escalations(later + timedelta(minutes=31))) == 1
    assert [a.action for a in book.audit(flag().flag_id)] == ["opened", "severity_raised", "escalated"]
