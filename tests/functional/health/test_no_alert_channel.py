"""A pair without an alert channel (an account just connected from Slack, not configured yet; issue 21).

The scheduled health check still runs and records the pair's check state (so /health and /sellerbot accounts
show it) and opens its alerts, but posts nothing to Slack and does not fail; it logs that once. When an admin
sets the channel, the next check posts the digest and the alerts that were never posted, in its thread.
The fake SP-API and the fake Slack run over HTTP.
"""

from __future__ import annotations

import json
import logging
import time

import pytest

from bot.jobs.health_checks import HealthDeps, run_account_check
from bot.local.lambda_emulation import LocalContext
from bot.workers import health_notifications
from handlers.health.alerts import AlertBook
from handlers.health.check_state import CheckStateBook
from handlers.health.digest import DigestBook
from infra.accounts import AccountsConfig, load_accounts
from infra.fakes.slack_api import FakeSlack
from infra.fakes.sp_api import FakeSpApi
from infra.fakes.sp_api.data import HealthSeed, SandboxData
from infra.spapi.factory import clear_token_cache
from tests.security.notification_support import ACME_SELLER, account_status, sqs_event
from tests.support.health import health_deps

US = "ATVPDKIKX0DER"


@pytest.fixture(autouse=True)
def _tokens():
    clear_token_cache()
    yield
    clear_token_cache()


@pytest.fixture
def data():
    seeded = SandboxData.build()
    seeded.health[("acme", "US")] = HealthSeed(healthy=False, spelling="schema")
    return seeded


@pytest.fixture
def spapi(data):
    with FakeSpApi(data, report_polls=0) as fake:
        yield fake


def _acme_channels(channel: str) -> AccountsConfig:
    """The demo accounts, acme's US and CA alert channels set to `channel` ("" as a Slack connect leaves it)."""
    accounts = load_accounts()
    acme = accounts.get("acme")
    assert acme is not None
    markets = [m.model_copy(update={"alert_channel": channel}) for m in acme.marketplaces]
    others = [a for a in accounts.accounts if a.account_id != "acme"]
    return accounts.model_copy(update={"accounts": [acme.model_copy(update={"marketplaces": markets}), *others]})


def _deps(spapi: FakeSpApi, slack: FakeSlack, store, channel: str) -> HealthDeps:
    return health_deps(spapi, slack, store, accounts=_acme_channels(channel))


def _posts(slack: FakeSlack, since: int = 0) -> list:
    return [c for c in slack.since(since) if c.method == "chat.postMessage"]


def test_a_check_without_a_channel_records_its_state_posts_nothing_and_logs_once(spapi, fake_slack, store, caplog):
    deps = _deps(spapi, fake_slack, store, "")
    with caplog.at_level(logging.INFO):
        runs = run_account_check(deps, "acme", ["US", "CA"], run_id="r1", deadline=time.time() + 60)
    assert [r.outcome.status for r in runs] and all(r.outcome.status != "unreadable" for r in runs)
    assert _posts(fake_slack) == []  # no digest, no alert, nothing to an empty channel
    for code in ("US", "CA"):
        state = CheckStateBook(store).get("acme", code)
        assert state.last_success_at is not None and not state.failed  # /health shows the check
        assert DigestBook(store).get("acme", code) is None
    assert AlertBook(store).list_for("acme", "US")  # the red flags are open, waiting for a channel
    told = [r.getMessage() for r in caplog.records if "no alert channel" in r.getMessage()]
    assert len(told) == 2 and all("/sellerbot accounts" in m for m in told)  # once per pair in the run


def test_alerts_opened_without_a_channel_are_posted_once_it_is_configured(spapi, fake_slack, store):
    run_account_check(_deps(spapi, fake_slack, store, ""), "acme", ["US"], run_id="r1", deadline=time.time() + 60)
    opened = AlertBook(store).list_for("acme", "US")
    assert opened and _posts(fake_slack) == []

    configured = _deps(spapi, fake_slack, store, "C0ACMENEW")
    run_account_check(configured, "acme", ["US"], run_id="r2", deadline=time.time() + 60)
    posts = _posts(fake_slack)
    assert posts and all(c.params["channel"] == "C0ACMENEW" for c in posts)
    [digest] = [c for c in posts if not c.params.get("thread_ts")]
    replies = [c for c in posts if c.params.get("thread_ts")]
    digest_ts = DigestBook(store).get("acme", "US").ts  # type: ignore[union-attr]
    assert replies and all(c.params["thread_ts"] == digest_ts for c in replies)
    alerts = [c for c in replies if "health_ack" in json.dumps(c.params.get("blocks"))]
    assert len(alerts) == len(opened)  # each alert opened while there was no channel, posted once
    assert all(a.message_ts for a in AlertBook(store).list_for("acme", "US"))
    seen = fake_slack.last_seq()
    run_account_check(configured, "acme", ["US"], run_id="r3", deadline=time.time() + 60)
    assert [c for c in _posts(fake_slack, seen) if "health_ack" in json.dumps(c.params.get("blocks"))] == []
    assert digest.params["channel"] == "C0ACMENEW"


def test_a_notification_for_a_pair_without_a_channel_is_acknowledged(spapi, fake_slack, store):
    consumer = health_notifications.make_handler(_deps(spapi, fake_slack, store, ""))
    event = account_status("DEACTIVATED", sellerId=ACME_SELLER, marketplaceId=US)
    assert consumer(sqs_event(json.dumps(event)), LocalContext(30)) == {"batchItemFailures": []}
    assert _posts(fake_slack) == []
    assert any(a.flag.metric == "accountStatus" for a in AlertBook(store).list_for("acme", "US") if a.flag)
