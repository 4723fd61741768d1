"""What `/health` says per account × marketplace: healthy, at risk, red flags open, not checked yet,
checking now, stale and failed, never "no open red flags" about a pair whose metrics were never checked."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from bot.views.health import PairState, state_blocks, summary_blocks, summary_text
from handlers.health.alerts import AlertBook
from handlers.health.evaluate import MetricValue, RedFlag
from infra.store.sqlite import SQLiteStore

NOW = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)


def _flag(severity: str = "critical", metric: str = "orderDefectRate.mfn") -> RedFlag:
    return RedFlag(
        flag_id=f"acme#US#{metric}",
        account="acme",
        marketplace="US",
        metric=metric,
        label="Order defect rate",
        severity=severity,
        value=0.02,
        target=0.01,
        condition="LESS_THAN",
        message="Order defect rate 2.00 % vs target < 1.00 %",
        meaning="m",
        next_step="n",
    )


def _alert(severity: str = "critical"):
    store = SQLiteStore(":memory:")
    book = AlertBook(store)
    book.open(_flag(severity), channel="C0ACMEUS", now=NOW - timedelta(hours=1))
    return book.list_for("acme", "US")


def _state(**kw) -> PairState:
    base = {"account": "acme", "marketplace": "US", "channel": "C0ACMEUS", "as_of": NOW}
    return PairState(**{**base, **kw})


def _text(blocks) -> str:
    return json.dumps(blocks, ensure_ascii=False)


CHECKED = NOW - timedelta(hours=2)
OK = {"lateShipmentRate": MetricValue(value=0.01, target=0.04, condition="LESS_THAN", status="GOOD")}


def test_each_condition_is_named():
    assert _state(last_success_at=CHECKED, account_status="NORMAL", metrics=OK).condition == "healthy"
    assert _state(last_success_at=CHECKED, alerts=_alert("warning")).condition == "at_risk"
    assert _state(last_success_at=CHECKED, trends=["Late shipment rate moved…"]).condition == "at_risk"
    assert _state(last_success_at=CHECKED, alerts=_alert("critical")).condition == "red_flags"
    assert _state().condition == "not_checked"
    assert _state(checking=True).condition == "checking"
    assert _state(last_success_at=NOW - timedelta(hours=13)).condition == "stale"
    failed = _state(last_success_at=CHECKED, last_failure_at=NOW - timedelta(minutes=5), failure_reason="Nope.")
    assert failed.condition == "failed"


def test_never_checked_is_never_no_open_red_flags():
    for state in (_state(), _state(checking=True), _state(last_failure_at=NOW, failure_reason="Amazon refused.")):
        text = _text(state_blocks(state, now=NOW)) + state.headline()
        assert "no open red flags" not in text.lower(), text
        assert "healthy" not in text.lower()
    summary = _text(summary_blocks([_state(), _state(marketplace="CA", checking=True)]))
    assert "no open red flags" not in summary.lower()


def test_a_failed_check_shows_its_reason_and_never_healthy():
    state = _state(
        last_success_at=CHECKED,
        account_status="NORMAL",
        metrics=OK,
        last_failure_at=NOW - timedelta(minutes=5),
        failure_reason="Amazon refused the request (403): re-authorize the app for this account.",
    )
    text = _text(state_blocks(state, now=NOW))
    assert "Last check failed" in text and "re-authorize the app" in text
    assert "healthy" not in state.headline().lower()
    assert "1 failed" in summary_text([state])


def test_times_are_in_the_marketplace_local_time():
    state = _state(last_success_at=datetime(2026, 12, 1, 17, 0, tzinfo=UTC), metrics=OK, account_status="NORMAL")
    assert "2026-12-01 09:00 PST" in _text(state_blocks(state, now=NOW))
    de = _state(marketplace="DE", last_success_at=datetime(2026, 12, 1, 17, 0, tzinfo=UTC))
    assert "2026-12-01 18:00 CET" in _text(state_blocks(de, now=NOW))


def test_stale_names_when_the_last_successful_check_was():
    state = _state(last_success_at=NOW - timedelta(days=2), metrics=OK, account_status="NORMAL")
    text = _text(state_blocks(state, now=NOW))
    assert "Stale" in text and "2 days" in text and "healthy" not in state.headline().lower()


def test_summary_counts_every_condition_and_says_all_clear_only_when_every_pair_is_healthy():
    states = [
        _state(last_success_at=CHECKED, alerts=_alert("critical")),
        _state(marketplace="CA", last_success_at=CHECKED, account_status="NORMAL"),
        _state(account="globex", marketplace="UK"),
        _state(account="globex", marketplace="DE", checking=True),
        _state(account="initech", marketplace="US", last_success_at=NOW - timedelta(days=3)),
        _state(account="umbrella", marketplace="US", last_failure_at=NOW, failure_reason="No answer."),
        _state(account="hooli", marketplace="US", last_success_at=CHECKED, alerts=_alert("warning")),
    ]
    text = _text(summary_blocks(states))
    for words in ("1 red flags open", "1 at risk", "1 failed", "1 stale", "1 not checked yet", "1 checking now"):
        assert words in text, words
    assert "1 healthy" in text
    assert "No open red flags on any" not in text
    healthy = [_state(last_success_at=CHECKED, account_status="NORMAL")]
    assert "No open red flags on any" in _text(summary_blocks(healthy))
    assert summary_text(states).startswith("Account health: 7 account × marketplace pairs")
