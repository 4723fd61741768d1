"""Health workers with real SQS (moto server over HTTP), the fake SP-API and the fake Slack over HTTP.

Messages are sent to and received from real queues; the Lambda events are built from
what SQS returned, so receive counts and message ids are SQS's own.
"""

from __future__ import annotations

import itertools
import json
import uuid
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from bot.jobs import health_queue
from bot.jobs.health_checks import HealthDeps
from bot.local.lambda_emulation import LocalContext
from bot.slack_client import build_web_client
from bot.workers import health_check, health_escalation, health_notifications, health_schedule
from handlers.health.alerts import AlertBook
from handlers.health.check_state import CheckStateBook
from handlers.health.spapi_adapter import ReportsGateway
from handlers.health.subscriptions import record_subscription
from infra.accounts import AccountConfig, AccountsConfig, MarketplaceConfig, load_accounts
from infra.fakes.slack_api import FakeSlack
from infra.fakes.sp_api import FakeSpApi
from infra.fakes.sp_api.data import SandboxData
from infra.secrets import EnvCredentials
from infra.spapi.factory import SpApiFactory, clear_token_cache
from infra.spapi.limiter import RateLimiter
from infra.spapi.retry import RetryPolicy
from infra.store.sqlite import SQLiteStore
from tests.support.aws import REGION, aws_client, moto_server, sqs_queue
from tests.support.health import account_status_changed_example, eventbridge, health_deps, notification_example

ACCOUNTS = load_accounts()


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC).timestamp()

    def __call__(self) -> float:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw).total_seconds()


class NoData(SandboxData):
    """Amazon answers CANCELLED when there is no data: that is not an all-clear either."""

    def seller_performance_report(self, account_id: str, marketplace_ids: list[str]) -> dict[str, Any] | None:
        return None


class WrongSchemaData(SandboxData):
    """The sandbox, but its performance report is some other JSON document (a wrong report type)."""

    def seller_performance_report(self, account_id: str, marketplace_ids: list[str]) -> dict[str, Any] | None:
        return {"reportSpecification": {"reportType": "GET_FLAT_FILE_OPEN_LISTINGS_DATA"}, "rows": []}


@pytest.fixture(autouse=True)
def _tokens():
    clear_token_cache()
    yield
    clear_token_cache()


@pytest.fixture
def slack(fake_slack):  # tests/conftest.py's fake Slack; `store` comes from there too
    return fake_slack


def _deps(fake: FakeSpApi, slack: FakeSlack, store: SQLiteStore, clock: Any = None) -> HealthDeps:
    return health_deps(fake, slack, store, clock or Clock())


@pytest.fixture
def spapi():
    with FakeSpApi(report_polls=2) as fake:
        yield fake


@pytest.fixture
def deps(spapi, slack, store):
    return _deps(spapi, slack, store)


def _receive(sqs: Any, queue_url: str, n: int) -> list[dict]:
    got: list[dict] = []
    for _ in range(10):
        if len(got) >= n:
            break
        resp = sqs.receive_message(
            QueueUrl=queue_url,
            MaxNumberOfMessages=10,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
            WaitTimeSeconds=1,
        )
        got += resp.get("Messages", [])
    return got


def _event(messages: list[dict], arn: str = "arn:aws:sqs:us-east-1:123456789012:health") -> dict:
    return {
        "Records": [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": {k: str(v) for k, v in m.get("Attributes", {}).items()},
                "messageAttributes": {},
                "md5OfBody": m["MD5OfBody"],
                "eventSource": "aws:sqs",
                "eventSourceARN": arn,
                "awsRegion": REGION,
            }
            for m in messages
        ]
    }


def _send_jobs(sqs: Any, queue_url: str, *jobs: health_queue.HealthCheckJob) -> list[dict]:
    for job in jobs:
        sqs.send_message(QueueUrl=queue_url, MessageBody=job.model_dump_json())
    return _receive(sqs, queue_url, len(jobs))


def _alerts(slack: FakeSlack, channel: str) -> list[dict]:
    """Alert messages (they carry the buttons): replies in the pair's digest thread."""
    return [
        m for m in slack.messages.get(channel, []) if any(b.get("type") == "actions" for b in m.get("blocks") or [])
    ]


def _digests(slack: FakeSlack, channel: str) -> list[dict]:
    return [m for m in slack.messages.get(channel, []) if not m.get("thread_ts")]


# ---- schedule ----------------------------------------------------------------------------------------------------


def test_schedule_fans_out_one_message_per_account_carrying_its_marketplaces(sqs_queue, moto_server, monkeypatch):
    sqs, queue_url = sqs_queue
    monkeypatch.setenv(health_queue.QUEUE_URL_ENV, queue_url)
    monkeypatch.setenv("SELLERBOT_AWS_ENDPOINT_URL", moto_server)
    monkeypatch.setenv(health_schedule.SPREAD_ENV, "0")  # every message visible at once
    result = health_schedule.dispatch(
        {"time": "2026-11-25T06:00:00Z", "detail-type": "Scheduled Event"}, LocalContext()
    )
    accounts = len(ACCOUNTS.accounts)
    assert result == {"enqueued": accounts} and accounts == 2 and len(ACCOUNTS.pairs()) == 4
    # One message per seller x region: one createReport covers all of its marketplaces.
    jobs = [health_queue.HealthCheckJob.model_validate_json(m["Body"]) for m in _receive(sqs, queue_url, 2)]
    assert sorted((j.account, j.codes()) for j in jobs) == [("acme", ["US", "CA"]), ("globex", ["UK", "DE"])]
    assert {j.run_id for j in jobs} == {"sched-2026-11-25T06:00Z"}


def test_fan_out_plan_for_hundreds_of_accounts_spreads_sellers_one_create_report_each():
    accounts = AccountsConfig(
        accounts=[
            AccountConfig(
                account_id=f"seller-{i:03d}",
                name=f"S{i}",
                seller_id=f"A{i:012d}",
                marketplaces=[MarketplaceConfig(code=c, alert_channel=f"C{i}") for c in ("US", "CA", "MX")],
            )
            for i in range(300)
        ]
    )
    planned = health_queue.plan(accounts.pairs(), run_id="r", spread_seconds=600)
    # One message (one createReport) per seller, covering its 3 marketplaces.
    assert len(planned) == 300 == len({j.account for j, _ in planned})
    assert all(j.codes() == ["US", "CA", "MX"] for j, _ in planned)
    assert all(0 <= delay < 600 for _, delay in planned)
    # Spread: no more than a handful of sellers start in the same second.
    starts = [delay for _, delay in planned]
    assert max(starts.count(s) for s in set(starts)) <= 5


def test_a_job_names_either_one_marketplace_or_a_list():
    legacy = health_queue.HealthCheckJob.model_validate_json('{"account": "acme", "marketplace": "CA", "run_id": "r"}')
    assert legacy.codes() == ["CA"]
    for body in (
        '{"account": "acme", "run_id": "r"}',
        '{"account": "acme", "marketplace": "CA", "marketplaces": ["US"], "run_id": "r"}',
        '{"account": "acme", "marketplaces": ["us"], "run_id": "r"}',
        '{"account": "acme", "marketplaces": [], "run_id": "r"}',
    ):
        with pytest.raises(ValueError):
            health_queue.HealthCheckJob.model_validate_json(body)
    new = health_queue.HealthCheckJob(account="acme", marketplaces=["US", "CA"], run_id="r")
    assert 'marketplace"' not in new.model_dump_json()  # no null per-pair field in the new shape


# ---- check worker -----------------------------------------------------------------------------------------------


def test_check_worker_posts_each_red_flag_once_when_the_message_is_delivered_twice(deps, spapi, slack, sqs_queue):
    sqs, queue_url = sqs_queue
    job = health_queue.HealthCheckJob(account="acme", marketplace="CA", run_id="sched-2026-11-25T06:00Z")
    [message] = _send_jobs(sqs, queue_url, job)
    handler = health_check.make_handler(deps)
    assert handler(_event([message]), LocalContext(60)) == {"batchItemFailures": []}
    first = _alerts(slack, "C0ACMECA")
    assert len(first) == 13 and len({m["text"] for m in first}) == 13
    assert any("Order defect rate (MFN) 1.42 % vs target &lt; 1.00 %" in m["text"] for m in first)  # mrkdwn-escaped
    # Every alert remembers its message, for threading resolutions and for the buttons.
    book = AlertBook(deps.store)
    assert all(a.message_ts for a in book.list_for("acme", "CA"))

    # At-least-once delivery: the very same message again (and the healthy pair alongside it).
    [again] = _send_jobs(sqs, queue_url, job)
    assert handler(_event([again, message]), LocalContext(60)) == {"batchItemFailures": []}
    assert len(_alerts(slack, "C0ACMECA")) == 13
    # The redelivery resumed the run's report instead of requesting another one.
    assert spapi.stats.requests["createReport"] == 1


def test_report_still_pending_at_the_deadline_comes_back_soon_and_resumes_the_same_report(slack, store, sqs_queue):
    sqs, queue_url = sqs_queue
    with FakeSpApi(report_polls=3) as fake:
        deps = _deps(fake, slack, store)
        deps.poll_interval = 0.5
        handler = health_check.make_handler(deps, queue_url=queue_url, sqs=sqs, pending_retry_seconds=0)
        job = health_queue.HealthCheckJob(account="acme", marketplace="CA", run_id="slow")
        [message] = _send_jobs(sqs, queue_url, job)
        # 6 s of Lambda time leaves one second of polling: Amazon is still building the report.
        failures = handler(_event([message]), LocalContext(6))["batchItemFailures"]
        assert failures == [{"itemIdentifier": message["MessageId"]}]
        assert _alerts(slack, "C0ACMECA") == []
        [again] = _receive(sqs, queue_url, 1)  # visible again at once (pending_retry_seconds=0)
        assert again["MessageId"] == message["MessageId"] and again["Attributes"]["ApproximateReceiveCount"] == "2"
        assert handler(_event([again]), LocalContext(60)) == {"batchItemFailures": []}
        assert len(_alerts(slack, "C0ACMECA")) == 13
        assert fake.stats.requests["createReport"] == 1


def test_one_report_per_account_is_downloaded_once_and_checked_per_marketplace(deps, spapi, slack, sqs_queue):
    sqs, queue_url = sqs_queue
    job = health_queue.HealthCheckJob(account="acme", marketplaces=["US", "CA"], run_id="sched-2026-11-25T06:00Z")
    [message] = _send_jobs(sqs, queue_url, job)
    handler = health_check.make_handler(deps)
    assert handler(_event([message]), LocalContext(60)) == {"batchItemFailures": []}
    assert spapi.stats.requests["createReport"] == 1 and spapi.stats.requests["getReportDocument"] == 1
    [report] = spapi.reports.values()
    assert sorted(report.marketplace_ids) == sorted(m.marketplace_id for m in ACCOUNTS.get("acme").marketplaces)
    # Each pair keeps its own digest, thread and alerts: the unhealthy CA posts 13, the healthy US none.
    assert len(_digests(slack, "C0ACMEUS")) == 1 and len(_digests(slack, "C0ACMECA")) == 1
    assert _alerts(slack, "C0ACMEUS") == [] and len(_alerts(slack, "C0ACMECA")) == 13
    states = CheckStateBook(deps.store)
    assert states.get("acme", "US").last_success_at and states.get("acme", "CA").last_success_at
    # Redelivered: the same report resumed, nothing posted twice.
    [again] = _send_jobs(sqs, queue_url, job)
    assert handler(_event([again]), LocalContext(60)) == {"batchItemFailures": []}
    assert spapi.stats.requests["createReport"] == 1 and len(_alerts(slack, "C0ACMECA")) == 13


def test_a_pending_account_report_releases_its_message_and_keeps_every_pair_in_flight(slack, store, sqs_queue):
    sqs, queue_url = sqs_queue
    with FakeSpApi(report_polls=3) as fake:
        deps = _deps(fake, slack, store)
        handler = health_check.make_handler(deps, queue_url=queue_url, sqs=sqs, pending_retry_seconds=0, poll_budget=0)
        job = health_queue.HealthCheckJob(account="globex", marketplaces=["UK", "DE"], run_id="slow")
        [message] = _send_jobs(sqs, queue_url, job)
        for _ in range(3):  # poll budget 0: one getReport per delivery, the message released each time
            failures = handler(_event([message]), LocalContext(60))["batchItemFailures"]
            assert failures == [{"itemIdentifier": message["MessageId"]}]
            assert all(CheckStateBook(store).get("globex", c).running_run_id == "slow" for c in ("UK", "DE"))
            [message] = _receive(sqs, queue_url, 1)
        assert handler(_event([message]), LocalContext(60)) == {"batchItemFailures": []}
        assert fake.stats.requests["createReport"] == 1 and fake.stats.requests["getReport"] == 4
        assert len(_digests(slack, "C0GLOBEXUK")) == 1 and len(_digests(slack, "C0GLOBEXDE")) == 1


def test_an_account_job_skips_a_marketplace_removed_since_it_was_queued(deps, spapi, slack, sqs_queue):
    sqs, queue_url = sqs_queue
    job = health_queue.HealthCheckJob(account="acme", marketplaces=["US", "JP"], run_id="r")
    [message] = _send_jobs(sqs, queue_url, job)
    assert health_check.make_handler(deps)(_event([message]), LocalContext(60)) == {"batchItemFailures": []}
    [report] = spapi.reports.values()
    assert report.marketplace_ids == [ACCOUNTS.get("acme").marketplace("US").marketplace_id]
    assert len(_digests(slack, "C0ACMEUS")) == 1


def _sqs_records(*bodies: dict) -> dict:
    """Notifications as Amazon's SQS workflow delivers them (the body is the notification)."""
    return {
        "Records": [
            {
                "messageId": f"n{i}",
                "receiptHandle": f"r{i}",
                "body": json.dumps(body),
                "attributes": {"ApproximateReceiveCount": "1"},
                "messageAttributes": {},
                "md5OfBody": "",
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:notifications",
                "awsRegion": REGION,
            }
            for i, body in enumerate(bodies)
        ]
    }


def _report_finished(report_id: str, seller_id: str, status: str = "DONE") -> dict:
    """Amazon's REPORT_PROCESSING_FINISHED example (schemas/notifications), naming our report and seller."""
    n = notification_example("ReportProcessingFinishedNotification.json")
    n["payload"]["reportProcessingFinishedNotification"].update(
        sellerId=seller_id, reportId=report_id, reportType="GET_V2_SELLER_PERFORMANCE_REPORT", processingStatus=status
    )
    return n


def test_report_processing_finished_finishes_the_pending_check_and_the_re_poll_only_acknowledges(
    slack, store, sqs_queue
):
    sqs, queue_url = sqs_queue
    with FakeSpApi(report_polls=1) as fake:
        deps = _deps(fake, slack, store)
        check = health_check.make_handler(deps, queue_url=queue_url, sqs=sqs, pending_retry_seconds=0, poll_budget=0)
        notifications = health_notifications.make_handler(deps)
        job = health_queue.HealthCheckJob(account="acme", marketplaces=["US", "CA"], run_id="notified")
        [message] = _send_jobs(sqs, queue_url, job)
        assert check(_event([message]), LocalContext(60))["batchItemFailures"] == [
            {"itemIdentifier": message["MessageId"]}
        ]
        [report_id] = fake.reports
        # Another seller naming our report id is not ours to act on.
        other = _report_finished(report_id, ACCOUNTS.get("globex").seller_id)
        assert notifications(_sqs_records(other), LocalContext(30)) == {"batchItemFailures": []}
        assert _digests(slack, "C0ACMEUS") == []
        finished = _report_finished(report_id, ACCOUNTS.get("acme").seller_id)
        assert notifications(_sqs_records(finished), LocalContext(30)) == {"batchItemFailures": []}
        assert len(_digests(slack, "C0ACMEUS")) == 1 and len(_alerts(slack, "C0ACMECA")) == 13
        assert all(CheckStateBook(store).get("acme", c).last_success_at for c in ("US", "CA"))
        # The delayed re-poll (the fallback for a lost notification) finds the run done: no second download.
        [again] = _receive(sqs, queue_url, 1)
        assert check(_event([again]), LocalContext(60)) == {"batchItemFailures": []}
        # The same notification delivered twice posts nothing twice either.
        assert notifications(_sqs_records(finished), LocalContext(30)) == {"batchItemFailures": []}
        assert fake.stats.requests["getReportDocument"] == 1 and fake.stats.requests["createReport"] == 1
        assert len(_alerts(slack, "C0ACMECA")) == 13


def test_with_the_check_queue_the_notification_hands_the_check_to_the_worker_at_once(slack, store, sqs_queue):
    """Deployed, the notifications function holds no Amazon secrets: it queues the check without delay and the
    check worker resumes the same report."""
    sqs, queue_url = sqs_queue
    with FakeSpApi(report_polls=1) as fake:
        deps = _deps(fake, slack, store)
        check = health_check.make_handler(deps, queue_url=queue_url, sqs=sqs, pending_retry_seconds=600, poll_budget=0)
        notifications = health_notifications.make_handler(deps, sqs=sqs, check_queue_url=queue_url)
        job = health_queue.HealthCheckJob(account="globex", marketplaces=["UK", "DE"], run_id="queued")
        [message] = _send_jobs(sqs, queue_url, job)
        assert check(_event([message]), LocalContext(60))["batchItemFailures"]  # pending; back in 10 minutes
        [report_id] = fake.reports
        finished = _report_finished(report_id, ACCOUNTS.get("globex").seller_id)
        assert notifications(_sqs_records(finished), LocalContext(30)) == {"batchItemFailures": []}
        assert fake.stats.requests["getReport"] == 1  # nothing fetched by the notifications function
        [queued] = _receive(sqs, queue_url, 1)
        resumed = health_queue.HealthCheckJob.model_validate_json(queued["Body"])
        assert (resumed.account, resumed.codes(), resumed.run_id, resumed.reason) == (
            "globex",
            ["UK", "DE"],
            "queued",
            "retry",
        )
        assert check(_event([queued]), LocalContext(60)) == {"batchItemFailures": []}
        assert len(_digests(slack, "C0GLOBEXUK")) == 1 and len(_digests(slack, "C0GLOBEXDE")) == 1
        assert fake.stats.requests["createReport"] == 1


@pytest.mark.parametrize("data, reason", [(WrongSchemaData, "accountStatuses"), (NoData, "CANCELLED")])
def test_unreadable_report_posts_report_unreadable_never_all_clear(slack, store, sqs_queue, data, reason):
    sqs, queue_url = sqs_queue
    with FakeSpApi(data.build(), report_polls=0) as fake:
        deps = _deps(fake, slack, store)
        handler = health_check.make_handler(deps)
        for n in range(2):
            job = health_queue.HealthCheckJob(account="globex", marketplace="DE", run_id=f"run-{n}")
            [message] = _send_jobs(sqs, queue_url, job)
            assert handler(_event([message]), LocalContext(60)) == {"batchItemFailures": []}
    [alert] = _alerts(slack, "C0GLOBEXDE")
    assert "Report unreadable — NOT an all-clear" in alert["text"] and reason in alert["text"]
    assert "all clear" not in json.dumps(slack.messages).replace("NOT an all-clear", "")


def test_amazon_refusal_opens_the_unreadable_alert_and_a_readable_report_resolves_it(spapi, slack, store, sqs_queue):
    sqs, queue_url = sqs_queue
    deps = _deps(spapi, slack, store)
    handler = health_check.make_handler(deps)
    spapi.faults.add("createReport", "status:403", times=1)
    [message] = _send_jobs(sqs, queue_url, health_queue.HealthCheckJob(account="acme", marketplace="US", run_id="a"))
    assert handler(_event([message]), LocalContext(60)) == {"batchItemFailures": []}
    [alert] = _alerts(slack, "C0ACMEUS")
    assert "Report unreadable" in alert["text"] and "Amazon refused the report request" in alert["text"]
    # The next readable report resolves it, in the alert's thread.
    [message] = _send_jobs(sqs, queue_url, health_queue.HealthCheckJob(account="acme", marketplace="US", run_id="b"))
    assert handler(_event([message]), LocalContext(60)) == {"batchItemFailures": []}
    [digest] = _digests(slack, "C0ACMEUS")
    [resolution] = [m for m in slack.messages["C0ACMEUS"] if "the report is readable again" in m["text"]]
    assert resolution["thread_ts"] == alert["thread_ts"] == digest["ts"]  # in the pair's digest thread
    original = next(m for m in slack.messages["C0ACMEUS"] if m["ts"] == alert["ts"])
    assert "Resolved" in original["text"] + json.dumps(original["blocks"])
    assert not any(b["type"] == "actions" for b in original["blocks"])  # no buttons on a resolved alert


def test_transient_failure_fails_only_its_record_and_alerts_on_the_last_attempt(spapi, slack, store, sqs_queue):
    sqs, queue_url = sqs_queue
    deps = _deps(spapi, slack, store)
    handler = health_check.make_handler(deps, max_receives=2)
    messages = _send_jobs(
        sqs,
        queue_url,
        health_queue.HealthCheckJob(account="globex", marketplace="DE", run_id="t"),
        health_queue.HealthCheckJob(account="acme", marketplace="US", run_id="t"),
    )
    bad = next(m for m in messages if '"globex"' in m["Body"])
    good = next(m for m in messages if '"acme"' in m["Body"])

    spapi.faults.add("/reports/", "status:503", times=1000)
    assert handler(_event([bad]), LocalContext(60)) == {"batchItemFailures": [{"itemIdentifier": bad["MessageId"]}]}
    assert _alerts(slack, "C0GLOBEXDE") == []  # not the last attempt: retry quietly
    spapi.faults.clear()

    garbage = {**good, "MessageId": "not-a-job", "Body": "{not json"}
    assert handler(_event([good, garbage]), LocalContext(60)) == {
        "batchItemFailures": [{"itemIdentifier": "not-a-job"}]
    }

    spapi.faults.add("/reports/", "status:503", times=1000)
    bad["Attributes"]["ApproximateReceiveCount"] = "2"  # what SQS reports on the last receive before the DLQ
    assert handler(_event([bad]), LocalContext(60)) == {"batchItemFailures": [{"itemIdentifier": bad["MessageId"]}]}
    [alert] = _alerts(slack, "C0GLOBEXDE")
    assert "Report unreadable" in alert["text"] and "fetching failed on every attempt" in alert["text"]


# ---- notifications ----------------------------------------------------------------------------------------------

# Notifications are Amazon's published examples (schemas/notifications, sp-api.md §2.4) addressed to the demo
# accounts: only the seller, marketplace, ASIN/SKU, statuses and ids are changed.
ACME_SELLER, GLOBEX_SELLER, UK = "A2ACMESELLER01", "A3GLOBEXSELL02", "A1F83G8C2ARO7P"


def _account_status(current: str, subscription: str = "sub-acme") -> dict:
    n = account_status_changed_example()
    n["payload"]["accountStatusChangeNotification"]["currentAccountStatus"] = current
    n["notificationMetadata"].update(subscriptionId=subscription, notificationId=str(uuid.uuid4()))
    return n


def _pricing(asin: str = "B0ACME0001") -> dict:
    n = notification_example("PricingHealthNotification.json")
    n["payload"]["sellerId"] = ACME_SELLER
    n["payload"]["offerChangeTrigger"].update(marketplaceId="ATVPDKIKX0DER", asin=asin)
    n["notificationMetadata"]["notificationId"] = str(uuid.uuid4())
    return n


def _listing_event(severities: list[str], actions: list[str]) -> dict:
    n = notification_example("ListingsItemIssuesChangeNotification_2023-12-13.json")
    n["Payload"].update(
        SellerId=GLOBEX_SELLER,
        MarketplaceId=UK,
        Asin="B0GLOBEX01",
        Sku="GLO-0001",
        Severities=severities,
        EnforcementActions=actions,
    )
    n["NotificationMetadata"]["NotificationId"] = str(uuid.uuid4())
    return eventbridge(n, event_id=str(uuid.uuid4()))


def test_notification_batch_acknowledges_malformed_and_unknown_records_without_logging_payloads(
    deps, slack, sqs_queue, caplog
):
    sqs, queue_url = sqs_queue
    record_subscription(deps.store, deps.accounts, "sub-acme", "acme", "US", by="test", now=deps.now())
    broken_pricing = _pricing()
    del broken_pricing["payload"]["offerChangeTrigger"]
    unknown = _account_status("AT_RISK")
    unknown["notificationType"] = "FEED_PROCESSING_FINISHED"
    order = notification_example("OrderChangeNotification.json")
    for body in (
        json.dumps(_account_status("AT_RISK")),
        "{not json",
        json.dumps(_pricing()),
        json.dumps(broken_pricing),
        json.dumps(unknown),
        json.dumps(order),
    ):
        sqs.send_message(QueueUrl=queue_url, MessageBody=body)
    messages = _receive(sqs, queue_url, 6)
    handler = health_notifications.make_handler(deps)
    with caplog.at_level("INFO", logger="sellerbot.health_notifications"):
        result = handler(_event(messages), LocalContext(30))
    assert result == {"batchItemFailures": []}  # nothing is retried: a retry cannot fix a bad notification
    texts = [m["text"] for m in _alerts(slack, "C0ACMEUS")]
    assert len(texts) == 2
    assert any("Account status changed NORMAL → AT_RISK" in t for t in texts)
    assert any("BuyBoxDisqualification on ASIN B0ACME0001" in t for t in texts)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "'FEED_PROCESSING_FINISHED' is not handled here; acknowledged" in logged
    assert "ORDER_CHANGE" in logged and "offerChangeTrigger" in logged and "not JSON" in logged
    for buyer_data in ("48110", "903-8868176-2219830", "SellerSKUID1", "8188.72"):
        assert buyer_data not in logged
    # At-least-once delivery: the same batch again posts nothing new.
    assert handler(_event(messages), LocalContext(30)) == {"batchItemFailures": []}
    assert len(_alerts(slack, "C0ACMEUS")) == 2
    # Back to NORMAL resolves the status flag in its thread.
    sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(_account_status("NORMAL")))
    assert handler(_event(_receive(sqs, queue_url, 1)), LocalContext(30)) == {"batchItemFailures": []}
    assert [m for m in slack.messages["C0ACMEUS"] if m.get("thread_ts") and "Resolved" in m["text"]]


def test_malformed_sqs_notification_is_parked_in_the_dlq_with_the_reason(deps, moto_server, sqs_queue):
    sqs, queue_url = sqs_queue
    dlq = sqs.create_queue(QueueName=f"health-dlq-{uuid.uuid4().hex[:8]}")["QueueUrl"]
    broken = _pricing()
    del broken["payload"]["offerChangeTrigger"]["asin"]
    sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(broken))
    [message] = _receive(sqs, queue_url, 1)
    handler = health_notifications.make_handler(deps, dlq_url=dlq, sqs=sqs)
    assert handler(_event([message]), LocalContext(30)) == {"batchItemFailures": []}
    [parked] = _receive(sqs, dlq, 1)
    assert json.loads(parked["Body"]) == broken and "asin" in parked["MessageAttributes"]["reason"]["StringValue"]
    # A DLQ that cannot be written to does not turn the notification into retries either.
    sqs.delete_queue(QueueUrl=dlq)
    failing = health_notifications.make_handler(deps, dlq_url=dlq, sqs=sqs)
    assert failing(_event([message]), LocalContext(30)) == {"batchItemFailures": []}


@pytest.mark.parametrize(
    "schema_file",
    [
        "OrderChangeNotification.json",
        "ReportProcessingFinishedNotification.json",
        "ListingsItemStatusChangeNotification.json",
    ],
)
def test_types_that_open_no_alert_are_acknowledged_in_both_shapes(deps, slack, schema_file):
    handler = health_notifications.make_handler(deps)
    n = notification_example(schema_file)
    out = handler(eventbridge(n), LocalContext(30))
    assert out["status"] == "ignored" and out["posted"] == 0
    body = {
        "Records": [
            {
                "messageId": "m1",
                "receiptHandle": "r1",
                "body": json.dumps(n),
                "attributes": {"ApproximateReceiveCount": "1"},
                "messageAttributes": {},
                "md5OfBody": "",
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:us-east-1:1:q",
                "awsRegion": REGION,
            }
        ]
    }
    assert handler(body, LocalContext(30)) == {"batchItemFailures": []}
    assert not any(_alerts(slack, c) for c in list(slack.messages))


def test_unregistered_subscription_is_a_record_failure_not_a_crash(deps, sqs_queue):
    sqs, queue_url = sqs_queue
    sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(_account_status("AT_RISK", "sub-unknown")))
    [message] = _receive(sqs, queue_url, 1)
    result = health_notifications.make_handler(deps)(_event([message]), LocalContext(30))
    assert result == {"batchItemFailures": [{"itemIdentifier": message["MessageId"]}]}


def test_eventbridge_listing_issue_alerts_and_malformed_event_is_dead_lettered(deps, slack, moto_server):
    sqs = aws_client("sqs", moto_server)
    dlq = sqs.create_queue(QueueName=f"health-dlq-{uuid.uuid4().hex[:8]}")["QueueUrl"]
    handler = health_notifications.make_handler(deps, dlq_url=dlq, sqs=sqs)
    result = handler(_listing_event(["ERROR"], ["LISTING_SUPPRESSED"]), LocalContext(30))
    assert result["status"] == "applied" and result["posted"] == 1
    [alert] = _alerts(slack, "C0GLOBEXUK")
    assert "Listing GLO-0001 (ASIN B0GLOBEX01): ERROR — LISTING_SUPPRESSED" in alert["text"]
    assert "CRITICAL" in alert["text"]
    assert handler(_listing_event(["ERROR"], ["LISTING_SUPPRESSED"]), LocalContext(30))["posted"] == 0
    assert handler(_listing_event(["NONE"], []), LocalContext(30))["posted"] == 1  # the resolution, threaded
    bad = _listing_event(["ERROR"], [])
    del bad["detail"]["Payload"]["Sku"]
    result = handler(bad, LocalContext(30))
    assert result["status"] == "dead-lettered" and "Sku" in result["reason"]
    [parked] = _receive(sqs, dlq, 1)
    assert json.loads(parked["Body"])["id"] == bad["id"]
    assert "Sku" in parked["MessageAttributes"]["reason"]["StringValue"]
    sqs.delete_queue(QueueUrl=dlq)
    # Without a DLQ: acknowledged and logged, never raised (a raise would make EventBridge retry it).
    assert health_notifications.make_handler(deps)(bad, LocalContext(30))["status"] == "rejected"
    unknown = _listing_event(["ERROR"], [])
    unknown["detail"]["NotificationType"] = unknown["detail-type"] = "LISTINGS_ITEM_MFN_QUANTITY_CHANGE"
    assert handler(unknown, LocalContext(30)) == {
        "status": "ignored",
        "notification_type": "LISTINGS_ITEM_MFN_QUANTITY_CHANGE",
    }


# ---- escalation -------------------------------------------------------------------------------------------------


def test_unacknowledged_critical_alert_is_reposted_with_the_owner_group_once(spapi, slack, store, sqs_queue):
    sqs, queue_url = sqs_queue
    clock = Clock()
    deps = _deps(spapi, slack, store, clock)
    deps.escalation_delay = timedelta(minutes=30)
    [message] = _send_jobs(sqs, queue_url, health_queue.HealthCheckJob(account="acme", marketplace="CA", run_id="e"))
    assert health_check.make_handler(deps)(_event([message]), LocalContext(60)) == {"batchItemFailures": []}
    # Someone acknowledges one critical alert: it must not escalate.
    book = deps.book()
    acked = next(a for a in book.list_for("acme", "CA") if a.metric == "orderDefectRate.mfn")
    assert book.acknowledge(acked.flag_id, "U0ALICE").applied
    criticals = [a for a in book.list_for("acme", "CA") if a.severity == "critical" and a.state == "open"]
    escalate = health_escalation.make_handler(deps)

    clock.advance(minutes=29)
    assert escalate({}, LocalContext())["posted"] == 0
    clock.advance(minutes=2)
    assert escalate({}, LocalContext()) == {"due": len(criticals), "posted": len(criticals), "failed": 0}
    reposts = [m for m in slack.messages["C0ACMECA"] if "still unacknowledged" in m["text"]]
    assert len(reposts) == len(criticals) >= 5
    # In the digest's thread, calling the owner group and the responders.
    [digest] = _digests(slack, "C0ACMECA")
    assert all(m["thread_ts"] == digest["ts"] for m in reposts)
    assert all(m["text"].startswith("<!subteam^S0ACMEOPS> <@U0ALICE> <@U0BOB>") for m in reposts)
    assert all("still unacknowledged after 31 min" in m["text"] for m in reposts)
    assert not any("Order defect rate (MFN)" in m["text"] for m in reposts)
    clock.advance(hours=5)
    assert escalate({}, LocalContext())["due"] == 0  # only once per episode
