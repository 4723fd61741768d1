"""Issue 18 in the store: the digest claimed once, flags that get worse, snoozes that end, presses audited,
and the pace of posting per channel."""

from __future__ import annotations

import threading
from datetime import timedelta

from bot.slack_client import ChannelPacer
from handlers.health.alerts import AlertBook, is_worse
from handlers.health.digest import DigestBook, DigestSummary, next_check
from handlers.health.evaluate import RedFlag, evaluate_report
from handlers.health.report import parse_report
from infra.store.sqlite import SQLiteStore
from tests.support.health import NOW, encode, healthy_report


def flag(value: float = 0.02, severity: str = "critical") -> RedFlag:
    f = evaluate_report(parse_report(encode(healthy_report(orderDefectRate=value))), account="acme").flags[0]
    return f.model_copy(update={"severity": severity})


def test_ten_workers_claim_one_digest(tmp_path):
    store = SQLiteStore(str(tmp_path / "s.db"))
    summary = DigestSummary(account="acme", marketplace="US")
    outcomes: list[str] = []

    def claim() -> None:
        outcomes.append(DigestBook(store).claim("acme", "US", "C1", summary, NOW).outcome)

    threads = [threading.Thread(target=claim) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["busy"] * 9 + ["post"]
    book = DigestBook(store)
    record = book.get("acme", "US")
    assert record is not None
    book.posted(record, "C1", "1.0", NOW)
    assert book.claim("acme", "US", "C1", summary, NOW).outcome == "posted"
    assert [e.action for e in book.audit("acme", "US")] == ["claimed", "posted"]


def test_a_refused_digest_post_releases_the_claim(store):
    book = DigestBook(store)
    summary = DigestSummary(account="acme", marketplace="US")
    claim = book.claim("acme", "US", "C1", summary, NOW)
    book.release(claim.record, NOW)
    assert book.claim("acme", "US", "C1", summary, NOW).outcome == "post"
    assert [e.action for e in book.audit("acme", "US")] == ["claimed", "released", "claim_taken_over"]


def test_next_check_follows_the_schedule():
    assert next_check(NOW.replace(hour=7, minute=5), timedelta(hours=6)) == NOW.replace(hour=12, minute=0, second=0)


def test_worse_means_further_from_the_target():
    assert is_worse(flag(0.03), flag(0.02)) and not is_worse(flag(0.02), flag(0.03))
    assert not is_worse(flag(0.02), flag(0.02))
    above = flag().model_copy(update={"condition": "GREATER_THAN", "value": 0.8})
    assert is_worse(above.model_copy(update={"value": 0.7}), above)
    status = flag().model_copy(update={"value": "AT_RISK"})
    assert is_worse(status.model_copy(update={"value": "DEACTIVATED"}), status)


def test_worse_during_a_snooze_ends_it_and_a_snooze_that_runs_out_is_returned_once(store):
    book = AlertBook(store, clock=lambda: NOW)
    opened = book.open(flag(0.02), now=NOW)
    fid = opened.alert.flag_id
    assert book.snooze(fid, "U1", hours=2, now=NOW).applied
    same = book.open(flag(0.02), now=NOW + timedelta(minutes=5))
    assert same.outcome == "already_open"
    worse = book.open(flag(0.03), now=NOW + timedelta(minutes=10))
    assert worse.outcome == "worsened" and worse.unsnoozed
    assert not worse.alert.is_snoozed(NOW + timedelta(minutes=10))
    # That snooze was ended by the worsening: nothing to announce when its time would have run out.
    assert book.ended_snoozes(NOW + timedelta(hours=3)) == []

    assert book.snooze(fid, "U2", hours=1, now=NOW + timedelta(hours=3)).applied
    assert book.ended_snoozes(NOW + timedelta(hours=3, minutes=30)) == []
    [ended] = book.ended_snoozes(NOW + timedelta(hours=4))
    assert ended.snoozed_by == "U2"
    assert book.ended_snoozes(NOW + timedelta(hours=5)) == []


def test_presses_that_change_nothing_are_audited(store):
    book = AlertBook(store, clock=lambda: NOW)
    fid = book.open(flag(), now=NOW).alert.flag_id
    book.record_press(fid, "U0OUT", "acknowledged", "refused", now=NOW)
    book.record_press(fid, "U0OUT", "acknowledged", "refused", now=NOW)  # same second: both kept
    entries = [(e.by, e.action, e.detail) for e in book.audit(fid)]
    assert entries.count(("U0OUT", "press_refused", {"action": "acknowledged"})) == 2


def test_pacer_keeps_one_post_per_second_per_channel_after_a_burst():
    now = [100.0]
    slept: list[float] = []

    def sleep(s: float) -> None:
        slept.append(round(s, 3))
        now[0] += s

    pacer = ChannelPacer(per_second=1.0, burst=3)
    for _ in range(5):
        pacer.wait("C1", lambda: now[0], sleep)
    pacer.wait("C2", lambda: now[0], sleep)  # another channel has its own pace
    assert slept == [1.05, 1.05]  # one post a second, with a 5 % margin for clock jitter
