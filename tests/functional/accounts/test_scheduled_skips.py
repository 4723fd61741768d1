"""Scheduled work and a refused or disconnected account (issue 21 item 4): the dispatchers leave it out (a log
line per run, no error), a job queued before the refusal is dropped without failing its record (no DLQ message),
and the renewal reminder rides on the promo-expiry schedule, told once."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from slack_sdk import WebClient

from bot import runtime
from bot.jobs.review_sweeps import SweepJob
from bot.local.lambda_emulation import LocalContext
from bot.workers import health_schedule, promo_expiry, review_sweep
from handlers.accounts import AccountRegistry, ConnectedSeller, ConnectionState
from handlers.ops.heartbeat import last_runs
from infra.accounts import load_accounts
from infra.store.factory import build_store
from tests.functional.health.test_workers import deps, slack, spapi  # the health workers' fixtures
from tests.support.aws import moto_server, sqs_queue

WHEN = datetime(2026, 12, 6, 6, 0, tzinfo=UTC)


def test_dispatchers_skip_refused_and_disconnected_accounts(sqs_queue, moto_server, monkeypatch, tmp_path, caplog):
    caplog.set_level(logging.INFO)
    sqs, queue_url = sqs_queue
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("SELLERBOT_STORE_URL", url)
    monkeypatch.setenv("SELLERBOT_AWS_ENDPOINT_URL", moto_server)
    monkeypatch.setenv("SELLERBOT_HEALTH_CHECK_QUEUE_URL", queue_url)
    monkeypatch.setenv("SELLERBOT_REVIEW_SWEEP_QUEUE_URL", queue_url)
    monkeypatch.setenv(health_schedule.SPREAD_ENV, "0")
    registry = runtime.current_registry()  # seeds the demo accounts into this store
    registry.set_connection("acme", ConnectionState.TOKEN_REFUSED, reason="test", actor="test")
    health_schedule.dispatch({"time": "2026-12-06T06:00:00Z"}, LocalContext())
    review_sweep.dispatch({}, LocalContext())
    beats = last_runs(build_store(url))
    globex = load_accounts().get("globex")
    assert beats["healthSchedule"].counts == {"enqueued": 1}
    assert beats["reviewSweepDispatch"].counts == {"enqueued": len(globex.marketplaces)}
    bodies = [
        json.loads(m["Body"]) for m in sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10)["Messages"]
    ]
    assert all(b["account"] == "globex" for b in bodies)
    skips = [r for r in caplog.records if "skipping acme (token_refused)" in r.getMessage()]
    assert len(skips) == 2 and all(r.levelno == logging.INFO for r in skips)  # one per dispatcher run
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_sweep_queued_before_the_refusal_is_dropped_not_failed(store):
    registry = AccountRegistry(store)
    registry.import_config(load_accounts(), actor="test")
    registry.set_connection("acme", ConnectionState.DISCONNECTED, reason="test", actor="test")

    class NoAmazon:
        def __getattr__(self, name):
            raise AssertionError(f"Amazon was called ({name}) for a disconnected account")

    report = review_sweep.run_job(
        SweepJob(account="acme", marketplace="US", channel=""),
        store=store,
        spapi=NoAmazon(),
        accounts=registry.snapshot(),
        slack=None,
        clock=WHEN.timestamp,
        deadline=WHEN.timestamp() + 60,
    )
    assert report.status == "done" and report.counts.model_dump() == type(report.counts)().model_dump()


def test_renewal_reminder_tells_the_admins_once_30_days_before(store, fake_slack, monkeypatch):
    granted = WHEN - timedelta(days=340)
    registry = AccountRegistry(store, clock=granted.timestamp)
    seller = ConnectedSeller(
        selling_partner_id="A1INITECH", region="EU", marketplace_ids=["A1PA6795UKMFR9"], team_id="T", user_id="U0A"
    )
    registry.connect(seller.model_copy(update={"name": "Initech"}), actor="U0ADMIN")
    slack = WebClient(token=fake_slack.token, base_url=fake_slack.base_url)
    deps = SimpleNamespace(
        store=store,
        accounts=registry.snapshot(),
        registry=AccountRegistry(store, clock=WHEN.timestamp),
        admins=SimpleNamespace(named=lambda: ["U0ADMIN"]),
        slack=slack,
        clock=WHEN.timestamp,
    )
    monkeypatch.setattr(runtime, "current", lambda: SimpleNamespace(deps=deps))
    promo_expiry.handler({}, LocalContext())
    promo_expiry.handler({}, LocalContext())  # told once
    [post] = [c.params for c in fake_slack.calls if c.method == "chat.postMessage"]
    assert post["channel"] == "U0ADMIN"
    assert "authorization of *Initech* (`initech`) ends on 2026-12-31 (25 days)" in post["text"]
    assert "accounts_reconnect" in json.dumps(post["blocks"])


def test_a_health_check_queued_before_the_refusal_is_dropped_not_failed(deps, spapi, slack, store, sqs_queue):
    from bot.jobs import health_queue
    from bot.workers import health_check
    from tests.functional.health.test_workers import _event, _send_jobs

    registry = AccountRegistry(store)
    registry.import_config(load_accounts(), actor="test")
    registry.set_connection("acme", ConnectionState.TOKEN_REFUSED, reason="test", actor="test")
    sqs, queue_url = sqs_queue
    job = health_queue.HealthCheckJob(account="acme", marketplaces=["US", "CA"], run_id="r")
    [message] = _send_jobs(sqs, queue_url, job)
    assert health_check.make_handler(deps)(_event([message]), LocalContext(60)) == {"batchItemFailures": []}
    assert not spapi.reports  # no createReport for a refused account
