"""One digest per account × marketplace, every flag a reply in its thread (issue 18 items 1, 3, 4).

The check path (`run_check`), the notification consumer and the escalation worker run against the fake
SP-API (its sandbox report, changed between checks) and the fake Slack over HTTP; the assertions are on the
Web API calls the fake Slack recorded.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.jobs.health_checks import HealthDeps, run_check
from bot.local.lambda_emulation import LocalContext
from bot.slack_client import build_web_client
from bot.workers import health_escalation, health_notifications
from handlers.health.alerts import AlertBook
from handlers.health.digest import DigestBook
from handlers.health.spapi_adapter import ReportsGateway
from infra.accounts import load_accounts
from infra.fakes.slack_api import Call, FakeSlack
from infra.fakes.sp_api import FakeSpApi
from infra.fakes.sp_api.data import HealthSeed, SandboxData
from infra.secrets import EnvCredentials
from infra.spapi.factory import SpApiFactory, clear_token_cache
from infra.spapi.limiter import RateLimiter
from infra.spapi.retry import RetryPolicy
from tests.security.notification_support import ACME_SELLER, account_status, sqs_event
from tests.support.health import health_deps

US, CA = "ATVPDKIKX0DER", "A2EUQ1WTGCTBG2"
ODR = "acme#CA#orderDefectRate.mfn"


class Tunable(SandboxData):
    """The sandbox, with acme CA's order defect rate (MFN) set by the test (still a report Amazon could send)."""

    odr: float | None = None

    def seller_performance_report(self, account_id: str, marketplace_ids: list[str]) -> dict[str, Any] | None:
        report = super().seller_performance_report(account_id, marketplace_ids)
        if report is not None and self.odr is not None:
            for entry in report["performanceMetrics"]:
                if entry["marketplaceId"] == CA:
                    entry["orderDefectRate"]["mfn"].update(rate=self.odr, status="GOOD" if self.odr < 0.01 else "BAD")
        return report


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 17, 0, tzinfo=UTC).timestamp()

    def __call__(self) -> float:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw).total_seconds()


@pytest.fixture(autouse=True)
def _tokens():
    clear_token_cache()
    yield
    clear_token_cache()


@pytest.fixture
def data():
    return Tunable.build()


@pytest.fixture
def spapi(data):
    with FakeSpApi(data, report_polls=0) as fake:
        yield fake


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def deps(spapi, fake_slack, store, clock) -> HealthDeps:
    return health_deps(spapi, fake_slack, store, clock, escalation_delay=timedelta(minutes=30))


def _check(deps: HealthDeps, account: str, code: str, run_id: str) -> None:
    # The SP-API client's deadline is on the real clock; the test clock only moves the alerts' time.
    run_check(deps, account, code, run_id=run_id, deadline=time.time() + 60)


def _posts(slack: FakeSlack, channel: str, since: int = 0) -> list[Call]:
    return [c for c in slack.since(since) if c.method == "chat.postMessage" and c.params.get("channel") == channel]


def _top_level(slack: FakeSlack, channel: str, since: int = 0) -> list[Call]:
    return [c for c in _posts(slack, channel, since) if not c.params.get("thread_ts")]


def _updates(slack: FakeSlack, ts: str, since: int = 0) -> list[Call]:
    return [c for c in slack.since(since) if c.method == "chat.update" and c.params.get("ts") == ts]


def _digest_ts(store, account: str, code: str) -> str:
    record = DigestBook(store).get(account, code)
    assert record is not None and record.ts
    return record.ts


def test_two_checks_with_a_change_between_keep_one_digest_and_thread_the_flags(deps, data, fake_slack, store):
    # Check 1: acme US is healthy: its digest is the only message, and says so.
    _check(deps, "acme", "US", "r1")
    [digest] = _top_level(fake_slack, "C0ACMEUS")
    assert _posts(fake_slack, "C0ACMEUS") == [digest]
    assert "Acme Outdoor (acme) · US" in digest.params["text"] and "0 red flags · 0 warnings" in digest.params["text"]
    blocks = json.dumps(digest.params["blocks"])
    assert "Account Health Rating" in blocks and "next check 2026-12-01 10:00 PST" in blocks  # local time
    ts = _digest_ts(store, "acme", "US")

    # Amazon's report for acme US turns bad.
    data.health[("acme", "US")] = HealthSeed(healthy=False, spelling="schema")
    seen = fake_slack.last_seq()
    _check(deps, "acme", "US", "r2")
    assert _top_level(fake_slack, "C0ACMEUS", seen) == []  # no new top-level message
    replies = _posts(fake_slack, "C0ACMEUS", seen)
    assert replies and all(c.params["thread_ts"] == ts for c in replies)
    flags = [c for c in replies if "health_ack" in json.dumps(c.params.get("blocks"))]
    assert len(flags) >= 5 and all(c.params["text"].startswith("New · ") for c in flags)
    # One call for the responders, in the thread, broadcast to the channel with the summary line.
    [call] = [c for c in replies if c.params.get("reply_broadcast")]
    assert call.params["text"].startswith("<!subteam^S0ACMEOPS> <@U0ALICE> <@U0BOB> :red_circle: *Acme Outdoor")
    [update] = _updates(fake_slack, ts, seen)
    assert "red flag" in update.params["text"] and "Since the last check:" in update.params["text"]
    assert "new (" in update.params["text"]

    # Check 3, nothing changed: the digest is updated in place, no reply at all.
    seen = fake_slack.last_seq()
    _check(deps, "acme", "US", "r3")
    assert _posts(fake_slack, "C0ACMEUS", seen) == []
    [update] = _updates(fake_slack, ts, seen)
    assert "Since the last check: no change." in update.params["text"]

    # Check 4, healthy again: each flag's resolution is a reply in the same thread.
    data.health[("acme", "US")] = HealthSeed(healthy=True, spelling="schema")
    seen = fake_slack.last_seq()
    _check(deps, "acme", "US", "r4")
    resolved = _posts(fake_slack, "C0ACMEUS", seen)
    assert len(resolved) == len(flags) and all(c.params["thread_ts"] == ts for c in resolved)
    assert all("Resolved" in c.params["text"] for c in resolved)
    assert not any(c.params.get("reply_broadcast") for c in resolved)  # an all-clear calls nobody
    assert "0 red flags" in _updates(fake_slack, ts, seen)[0].params["text"]
    assert len(_top_level(fake_slack, "C0ACMEUS")) == 1
    # The digest's own history is audited.
    assert [e.action for e in DigestBook(store).audit("acme", "US")][:2] == ["claimed", "posted"]


def test_each_pair_has_its_own_digest_and_a_second_worker_never_posts_another(deps, fake_slack, store):
    _check(deps, "acme", "US", "r1")
    _check(deps, "acme", "CA", "r1")
    _check(deps, "acme", "CA", "r1")  # the same job delivered twice
    assert len(_top_level(fake_slack, "C0ACMEUS")) == 1 and len(_top_level(fake_slack, "C0ACMECA")) == 1
    ca = _digest_ts(store, "acme", "CA")
    assert all(c.params["thread_ts"] == ca for c in _posts(fake_slack, "C0ACMECA") if c.params.get("thread_ts"))
    assert len([c for c in _posts(fake_slack, "C0ACMECA") if c.params.get("reply_broadcast")]) == 1


def test_a_digest_claimed_by_a_worker_that_died_is_taken_over_after_the_lease(deps, fake_slack, store, clock):
    from handlers.health.digest import DigestSummary

    book = DigestBook(store)
    summary = DigestSummary(account="acme", marketplace="US")
    assert book.claim("acme", "US", "C0ACMEUS", summary, deps.now()).outcome == "post"  # then it died
    assert book.claim("acme", "US", "C0ACMEUS", summary, deps.now()).outcome == "busy"
    clock.advance(minutes=6)
    _check(deps, "acme", "US", "r1")
    assert len(_top_level(fake_slack, "C0ACMEUS")) == 1
    assert "claim_taken_over" in [e.action for e in book.audit("acme", "US")]


def test_a_push_notification_lands_in_the_digest_thread(deps, fake_slack, store):
    _check(deps, "acme", "US", "r1")
    ts = _digest_ts(store, "acme", "US")
    seen = fake_slack.last_seq()
    consumer = health_notifications.make_handler(deps)
    n = account_status("DEACTIVATED", sellerId=ACME_SELLER, marketplaceId=US)
    assert consumer(sqs_event(json.dumps(n)), LocalContext(30)) == {"batchItemFailures": []}
    assert _top_level(fake_slack, "C0ACMEUS", seen) == []
    replies = _posts(fake_slack, "C0ACMEUS", seen)
    assert replies and all(c.params["thread_ts"] == ts for c in replies)
    assert any("DEACTIVATED" in c.params["text"] for c in replies)
    [update] = _updates(fake_slack, ts, seen)
    assert "ACCOUNT_STATUS_CHANGED" in json.dumps(update.params["blocks"])


def test_a_notification_before_any_check_starts_the_digest(deps, fake_slack, store):
    consumer = health_notifications.make_handler(deps)
    n = account_status("AT_RISK", sellerId=ACME_SELLER, marketplaceId=CA)
    assert consumer(sqs_event(json.dumps(n)), LocalContext(30)) == {"batchItemFailures": []}
    [digest] = _top_level(fake_slack, "C0ACMECA")
    assert "Not checked yet." in digest.params["text"]
    assert all(c.params.get("thread_ts") == digest.params.get("ts") or c is digest for c in [digest])
    ts = _digest_ts(store, "acme", "CA")
    assert all(c.params["thread_ts"] == ts for c in _posts(fake_slack, "C0ACMECA") if c is not digest)


def test_escalation_is_a_reply_in_the_thread_and_a_snooze_that_ends_brings_the_flag_back(
    deps, fake_slack, store, clock
):
    _check(deps, "acme", "CA", "r1")
    ts = _digest_ts(store, "acme", "CA")
    book = AlertBook(store)
    assert book.snooze(ODR, "U0ALICE", hours=2, now=deps.now()).applied
    escalate = health_escalation.make_handler(deps)

    clock.advance(minutes=31)
    seen = fake_slack.last_seq()
    escalate({}, LocalContext())
    reposts = _posts(fake_slack, "C0ACMECA", seen)
    assert reposts and all(c.params["thread_ts"] == ts and "still unacknowledged" in c.params["text"] for c in reposts)
    assert not any("Order defect rate (MFN)" in c.params["text"] for c in reposts)  # snoozed: not escalated

    # The snooze ends: the flag comes back in the thread, once, and escalation resumes from the end.
    clock.advance(hours=1, minutes=30)  # 2 h 01 min after the snooze
    seen = fake_slack.last_seq()
    escalate({}, LocalContext())
    [back] = [c for c in _posts(fake_slack, "C0ACMECA", seen) if "Snooze by" in c.params["text"]]
    assert back.params["thread_ts"] == ts and "<@U0ALICE> ended" in back.params["text"]
    assert "health_ack" in json.dumps(back.params["blocks"])
    seen = fake_slack.last_seq()
    escalate({}, LocalContext())
    assert _posts(fake_slack, "C0ACMECA", seen) == []  # announced once
    clock.advance(minutes=31)
    escalate({}, LocalContext())
    assert any("still unacknowledged" in c.params["text"] for c in _posts(fake_slack, "C0ACMECA", seen))


def test_a_flag_that_worsens_during_its_snooze_returns_at_once(deps, data, fake_slack, store, clock):
    _check(deps, "acme", "CA", "r1")
    ts = _digest_ts(store, "acme", "CA")
    book = AlertBook(store)
    assert book.snooze(ODR, "U0BOB", hours=24, now=deps.now()).applied

    data.odr = 0.019  # was 1.42 %: further from the target of 1 %
    clock.advance(hours=1)
    seen = fake_slack.last_seq()
    _check(deps, "acme", "CA", "r2")
    [worse] = _posts(fake_slack, "C0ACMECA", seen)
    assert worse.params["thread_ts"] == ts and worse.params["text"].startswith("Worse · ")
    assert "got worse during its snooze" in json.dumps(worse.params["blocks"])
    record = book.get(ODR)
    assert record is not None and not record.is_snoozed(deps.now()) and record.flag.value == 0.019
    assert "worsened_during_snooze" in [e.action for e in book.audit(ODR)]
    assert "1 back (Order defect rate (MFN))" in _updates(fake_slack, ts, seen)[0].params["text"]

    # Escalation counts from the end of the snooze, not from before it.
    clock.advance(minutes=31)
    seen = fake_slack.last_seq()
    health_escalation.make_handler(deps)({}, LocalContext())
    assert any(
        "still unacknowledged" in c.params["text"] and "Order defect rate (MFN)" in json.dumps(c.params["blocks"])
        for c in _posts(fake_slack, "C0ACMECA", seen)
    )


def test_a_flag_that_crosses_a_threshold_calls_the_responders_once(deps, data, fake_slack, store):
    # The account's own, stricter target (0.5 %) makes 0.8 % a warning; Amazon's (1 %) makes 1.42 % critical.
    accounts = deps.accounts.model_copy(deep=True)
    acme = accounts.get("acme")
    ca = acme.marketplace("CA") if acme else None
    assert ca is not None
    ca.thresholds = {"orderDefectRate": 0.005}
    deps.accounts = accounts
    data.odr = 0.008
    _check(deps, "acme", "CA", "r1")
    ts = _digest_ts(store, "acme", "CA")
    record = AlertBook(store).get(ODR)
    assert record is not None and record.severity == "warning"

    data.odr = 0.0142
    seen = fake_slack.last_seq()
    _check(deps, "acme", "CA", "r2")
    replies = _posts(fake_slack, "C0ACMECA", seen)
    [now_critical] = [c for c in replies if c.params["text"].startswith("Now critical · ")]
    assert "Order defect rate (MFN)" in now_critical.params["text"] and now_critical.params["thread_ts"] == ts
    [call] = [c for c in replies if c.params.get("reply_broadcast")]
    assert call.params["thread_ts"] == ts and "Needs a responder: Order defect rate (MFN)." in call.params["text"]

    seen = fake_slack.last_seq()
    _check(deps, "acme", "CA", "r3")  # still critical, no worse: nothing to say, nobody called again
    assert _posts(fake_slack, "C0ACMECA", seen) == []
