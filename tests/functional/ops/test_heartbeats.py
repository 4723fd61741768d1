"""Each scheduled worker records its last successful run for the status (handlers/ops/heartbeat.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

from bot import runtime
from bot.jobs.health_checks import HealthDeps
from bot.local.lambda_emulation import LocalContext
from bot.workers import health_escalation, health_schedule, promo_expiry, review_sweep
from handlers.ops.heartbeat import last_runs
from infra.accounts import load_accounts
from infra.store.factory import build_store

WHEN = datetime(2026, 12, 6, 6, 0, tzinfo=UTC)


def test_the_two_dispatchers_record_their_runs(sqs_queue, moto_server, monkeypatch, tmp_path):
    _, queue_url = sqs_queue
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("SELLERBOT_STORE_URL", url)
    monkeypatch.setenv("SELLERBOT_AWS_ENDPOINT_URL", moto_server)
    monkeypatch.setenv("SELLERBOT_HEALTH_CHECK_QUEUE_URL", queue_url)
    monkeypatch.setenv("SELLERBOT_REVIEW_SWEEP_QUEUE_URL", queue_url)
    monkeypatch.setenv(health_schedule.SPREAD_ENV, "0")
    health_schedule.dispatch({"time": "2026-12-06T06:00:00Z"}, LocalContext())
    review_sweep.dispatch({}, LocalContext())
    beats = last_runs(build_store(url))
    pairs = len(load_accounts().pairs())
    assert beats["healthSchedule"].counts == {"enqueued": len(load_accounts().accounts)}  # one per account
    assert beats["reviewSweepDispatch"].counts == {"enqueued": pairs}


def test_escalation_records_its_run_at_its_clock(store, fake_slack):
    from slack_sdk import WebClient

    deps = HealthDeps(
        store=store,
        slack=WebClient(token=fake_slack.token, base_url=fake_slack.base_url),
        accounts=load_accounts(),
        clock=WHEN.timestamp,
    )
    assert health_escalation.make_handler(deps)({}, LocalContext()) == {"due": 0, "posted": 0, "failed": 0}
    beat = last_runs(store)["healthEscalation"]
    assert beat.finished_at == WHEN and beat.counts == {"due": 0, "posted": 0, "failed": 0}


def test_promo_expiry_records_its_run(store, monkeypatch):
    deps = SimpleNamespace(store=store, accounts=load_accounts(), slack=None, clock=WHEN.timestamp)
    monkeypatch.setattr(runtime, "current", lambda: SimpleNamespace(deps=deps))
    counts = promo_expiry.handler({}, LocalContext())
    beat = last_runs(store)["promoExpiry"]
    assert beat.finished_at == WHEN and beat.counts == counts
