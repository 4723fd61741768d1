"""Faults injected in the fakes surface as a retried success or a clear message, never a silent drop.

SP-API: the fake's fault queue (infra/fakes/sp_api/faults.py), reached through the bot's real
python-amazon-sp-api clients (tests/functional/spapi/test_resilience.py covers the retry policy itself;
here the user-visible outcome through /review and /message is checked). Slack: FakeSlack.add_fault,
reached through the bot's WebClient (bot/slack_client.py). DynamoDB: infra/fakes/dynamodb_faults.py, an
HTTP proxy in front of moto answering ProvisionedThroughputExceededException, reached through boto3's
own retries. SQS: moto queues with a redrive policy; a record that keeps failing ends in the DLQ.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from bench.load_driver import fast_spapi
from bot.local.harness import BotHarness
from infra.fakes.sp_api.data import demo_asin

ASIN = demo_asin()  # a product of acme's in the fake catalog, so the catalog check passes

CREATE = "createProductReviewAndSellerFeedbackSolicitation"


def _order(bot: BotHarness, nth: int, category: str = "eligible") -> str:
    fake = bot.env.fake_spapi
    return [o for o in fake.data.orders[("acme", "ATVPDKIKX0DER")] if o.category == category][nth].order_id


def _review(bot: BotHarness, order_id: str) -> str:
    before = len(bot.replies())
    bot.slash(f"/review {order_id}")
    bot.wait(60)
    replies = bot.replies()[before:]
    assert len(replies) == 1, replies  # never a silent drop, never two answers
    return replies[0]["text"]


def _creates(bot: BotHarness, order_id: str) -> int:
    return sum(1 for r in bot.env.fake_spapi.requests if r.operation == CREATE and order_id in r.path)


@pytest.fixture
def fault_bot(spapi_bot):
    fake = spapi_bot.env.fake_spapi
    from infra.spapi.retry import RetryPolicy

    fake.timeout_fault_seconds = 1.0
    spapi_bot.deps.spapi.timeout = 0.4  # before the first call builds the HTTP client
    spapi_bot.deps.spapi.policy = RetryPolicy(base_delay=0.02, max_delay=0.1)  # same policy, shorter waits
    yield spapi_bot
    fake.faults.clear()


# ---- SP-API -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind, operation",
    [
        ("throttle_429", CREATE),  # a send is retried only when Amazon provably did not take it
        ("empty_500", "getOrder"),
        ("malformed_json", "getOrder"),
        ("timeout", "getOrder"),
        ("status:503", "getSolicitationActionsForOrder"),
    ],
)
def test_spapi_fault_burst_is_retried_to_success(fault_bot, kind, operation):
    order_id = _order(fault_bot, 0)
    fault_bot.env.fake_spapi.faults.add(operation, kind, times=2 if kind != "timeout" else 1)
    assert _review(fault_bot, order_id).startswith("Review request sent")
    assert _creates(fault_bot, order_id) == (3 if operation == CREATE else 1)
    assert fault_bot.env.fake_spapi.faults.pending() == []


@pytest.mark.parametrize(
    "kind, operation, says",
    [
        ("throttle_429", "getSolicitationActionsForOrder", "throttled"),
        # A 5xx on the send itself is unconfirmed, never retried (tests/security/test_send_at_most_once.py).
        ("empty_500", "getSolicitationActionsForOrder", "temporarily unavailable"),
        ("malformed_json", "getOrder", "gave up on getOrder"),
        ("timeout", "getOrder", "gave up on getOrder"),
    ],
)
def test_spapi_fault_storm_gives_a_clear_message_then_a_retry_succeeds_once(fault_bot, kind, operation, says):
    order_id = _order(fault_bot, 1)
    fault_bot.env.fake_spapi.faults.add(operation, kind, times=1000)
    text = _review(fault_bot, order_id)
    assert "failed; nothing was recorded as sent" in text and says in text, text
    fault_bot.env.fake_spapi.faults.clear()
    assert _review(fault_bot, order_id).startswith("Review request sent")  # the failure was not recorded
    assert _review(fault_bot, order_id).startswith("Already requested")
    assert len(fault_bot.env.fake_spapi.solicited) == 1


def test_message_send_during_an_outage_keeps_the_buttons_and_sends_once_later(fault_bot):
    bot, fake = fault_bot, fault_bot.env.fake_spapi
    bot.slash(f"/message {_order(bot, 2)} unexpectedProblem Your parcel is delayed by one day.")
    bot.wait()
    draft = next(e["value"] for b in bot.replies()[-1]["blocks"] if b["type"] == "actions" for e in b["elements"])
    # Throttled throughout: Amazon took nothing, so the draft stays sendable. (A 5xx on the send may have
    # delivered it: that draft is unconfirmed for good, tests/security/test_send_at_most_once.py.)
    fake.faults.add("/messaging/v1/orders/", "throttle_429", times=1000)
    bot.click("reviews_message_send", draft)
    bot.wait(60)
    failed = bot.replies()[-1]
    assert failed["text"].startswith(":x: Not sent") and "Press Send again" in failed["text"]
    assert fake.messages == []
    fake.faults.clear()
    bot.click("reviews_message_send", draft)
    bot.click("reviews_message_send", draft)
    bot.wait()
    assert len(fake.messages) == 1
    assert any("Message sent" in r["text"] for r in bot.replies()[-2:])


# ---- Slack Web API --------------------------------------------------------------------------------


def test_slack_429_with_retry_after_is_waited_out(fake_slack):
    from bot.slack_client import build_web_client

    client = build_web_client(fake_slack.token, fake_slack.base_url)
    fake_slack.add_fault("chat.postMessage", "ratelimited", times=1, retry_after=1)
    assert client.chat_postMessage(channel="C1", text="after the storm")["ok"]
    calls = fake_slack.calls_to("chat.postMessage")
    assert [c.params.get("_fault") for c in calls] == ["ratelimited", None]
    assert calls[1].at - calls[0].at >= 0.95  # Retry-After: 1 honoured (an observation, not a bench)
    assert [m["text"] for m in fake_slack.messages["C1"]] == ["after the storm"]


def test_slack_5xx_is_retried_and_a_storm_fails_loudly(fake_slack, caplog):
    from slack_sdk.errors import SlackApiError

    from bot.slack_client import build_web_client

    client = build_web_client(fake_slack.token, fake_slack.base_url)
    fake_slack.add_fault("chat.update", "status:503", times=2)
    fake_slack.messages["C2"] = [{"ts": "1.0", "text": "before"}]
    assert client.chat_update(channel="C2", ts="1.0", text="delivered")["ok"]
    # A post that Slack may have accepted (5xx) is not retried blindly: that could post it twice (issue 18).
    fake_slack.add_fault("chat.postMessage", "status:503", times=1)
    with pytest.raises(SlackApiError):
        client.chat_postMessage(channel="C2", text="maybe posted")
    assert len(fake_slack.calls_to("chat.postMessage")) == 1
    fake_slack.add_fault("chat.update", "status:500", times=100)
    with pytest.raises(SlackApiError) as info:
        client.chat_update(channel="C2", ts="1.0", text="x")
    assert info.value.response.status_code == 500
    assert len(fake_slack.calls_to("chat.update")) == 3 + 3  # first try + 2 retries, then a clear error


def test_sweep_progress_survives_slack_429_and_reports_through_response_url_when_slack_is_down(fault_bot, caplog):
    bot = fault_bot
    bot.slack.add_fault("chat.postMessage", "ratelimited", times=1, retry_after=1)
    bot.slash("/review sweep --dry-run")
    bot.wait(60)
    [message] = bot.slack.messages["C0DEMO"]
    assert "dry run" in message["text"]  # the 429 was waited out, the progress message arrived
    bot.slack.add_fault("chat.postMessage", "status:503", times=100)
    bot.slash("/review sweep --dry-run --marketplace CA")
    bot.wait(60)
    assert len(bot.slack.messages["C0DEMO"]) == 1  # Slack down: no progress message...
    assert "Sweep" in bot.replies()[-1]["text"]  # ...but the summary still reached the user
    assert any("sweep progress update failed" in r.getMessage() for r in caplog.records)


# ---- DynamoDB ------------------------------------------------------------------------------------


@pytest.fixture
def ddb_proxy(moto_server, dynamodb_table):
    from infra.fakes.dynamodb_faults import DynamoDBFaults

    with DynamoDBFaults(moto_server) as proxy:
        yield proxy, dynamodb_table[1]


def _ddb_store(proxy, table: str, retries: int = 5):
    from infra.store.dynamodb import DynamoDBStore, make_client

    return DynamoDBStore(table, make_client(endpoint_url=proxy.base_url, region_name="us-east-1", max_retries=retries))


def test_dynamodb_throttling_is_retried_by_boto3_through_the_whole_bot(ddb_proxy):
    proxy, table = ddb_proxy
    store = _ddb_store(proxy, table)
    from infra.spapi.factory import clear_token_cache

    clear_token_cache()
    with BotHarness(store=store, with_spapi=True) as bot:
        fast_spapi(bot)
        proxy.add("throttle", times=2, operation="PutItem")  # the gate's dedupe claim, then the review claim
        proxy.add("throttle", times=1, operation="TransactWriteItems")
        order_id = _order(bot, 3)
        resp = bot.slash(f"/review {order_id}")
        assert "Checking order" in bot.ack_json(resp)["text"]
        bot.wait(60)
        assert bot.replies()[-1]["text"].startswith("Review request sent")
    assert proxy.pending() == 0 and proxy.faulted["PutItem"] == 2


def test_dynamodb_throttle_storm_is_a_clear_refusal_not_a_silent_drop(ddb_proxy, caplog):
    proxy, table = ddb_proxy
    store = _ddb_store(proxy, table, retries=1)  # a storm longer than the retries, without a long backoff
    with BotHarness(store=store) as bot:
        proxy.add("throttle", times=1000)
        resp = bot.slash("/sellerbot help")
        click = bot.click("reviews_message_send", "0123456789abcdef")
        proxy.clear()
        assert resp["statusCode"] == 200 and "throttled" in bot.ack_json(resp)["text"]
        assert click["statusCode"] == 503  # no ack body to explain it in; nothing ran, nothing was claimed
        assert sum("store unavailable" in r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR) == 2
        assert bot.slack.calls == []
        # Nothing was claimed, so Slack's retry (or the user's second try) goes through.
        again = bot.slash("/sellerbot help")
        assert bot.ack_json(again)["text"].startswith("sellerbot commands")


def test_conditional_writes_have_exactly_one_winner_on_dynamodb(dynamodb_table, moto_server):
    from infra.store.base import ConditionFailed, Item, Update
    from infra.store.dynamodb import DynamoDBStore

    client, table = dynamodb_table
    store = DynamoDBStore(table, client)
    key = f"RACE#{uuid.uuid4().hex}"
    start = threading.Barrier(10)

    def claim(i: int) -> bool:
        start.wait()
        return store.put_if_absent(Item(pk=key, sk="-", data={"by": i}))

    with ThreadPoolExecutor(10) as pool:
        claims = list(pool.map(claim, range(10)))
    assert claims.count(True) == 1
    version = store.get(key, "-").version
    bump = threading.Barrier(10)

    def update(i: int) -> bool:
        bump.wait()
        try:
            store.transact([Update(pk=key, sk="-", data={"by": i, "step": 2}, expected_version=version)])
            return True
        except ConditionFailed:
            return False

    with ThreadPoolExecutor(10) as pool:
        updates = list(pool.map(update, range(10)))
    assert updates.count(True) == 1 and store.get(key, "-").version == version + 1


def test_concurrent_double_reviews_on_dynamodb_make_one_solicitation(dynamodb_table):
    from infra.spapi.factory import clear_token_cache
    from infra.store.dynamodb import DynamoDBStore

    client, table = dynamodb_table
    clear_token_cache()
    with BotHarness(store=DynamoDBStore(table, client), with_spapi=True) as bot:
        fast_spapi(bot)
        order_id = _order(bot, 4)
        with ThreadPoolExecutor(8) as pool:
            acks = list(pool.map(lambda _: bot.slash(f"/review {order_id}"), range(8)))
        assert all("Checking order" in bot.ack_json(a)["text"] for a in acks)
        bot.wait(60)
        texts = [r["text"] for r in bot.replies()]
        assert len(texts) == 8 and sum(t.startswith("Review request sent") for t in texts) == 1
        assert _creates(bot, order_id) == 1


# ---- SQS dead-letter queue -------------------------------------------------------------------------


def _sqs_pair(moto_server, max_receives: int = 2):
    from tests.support.aws import aws_client

    sqs = aws_client("sqs", moto_server)
    name = f"sellerbot-rel-{uuid.uuid4().hex[:8]}"
    dlq_url = sqs.create_queue(QueueName=name + "-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    queue_url = sqs.create_queue(
        QueueName=name,
        Attributes={
            "VisibilityTimeout": "0",
            "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": str(max_receives)}),
        },
    )["QueueUrl"]
    return sqs, queue_url, dlq_url


def _deliver_until_empty(sqs, queue_url: str, handler, rounds: int = 6) -> list[dict]:
    """What Lambda's SQS event source does: receive, invoke, delete what succeeded."""
    from bot.local.lambda_emulation import LocalContext

    answers = []
    for _ in range(rounds):
        got = sqs.receive_message(
            QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=0, AttributeNames=["All"]
        ).get("Messages", [])
        if not got:
            break
        event = {
            "Records": [
                {
                    "messageId": m["MessageId"],
                    "receiptHandle": m["ReceiptHandle"],
                    "body": m["Body"],
                    "attributes": m.get("Attributes", {}),
                    "messageAttributes": {},
                    "md5OfBody": m["MD5OfBody"],
                    "eventSource": "aws:sqs",
                    "eventSourceARN": "arn:aws:sqs:us-east-1:000000000000:q",
                    "awsRegion": "us-east-1",
                }
                for m in got
            ]
        }
        try:
            answer = handler(event, LocalContext())
        except Exception as exc:  # a function error: Lambda logs it and the whole batch is retried
            logging.getLogger("lambda.runtime").error("function error: %s", exc)
            answer = {"batchItemFailures": [{"itemIdentifier": m["MessageId"]} for m in got], "error": str(exc)}
        answers.append(answer)
        failed = {f["itemIdentifier"] for f in answer.get("batchItemFailures", [])}
        for m in got:
            if m["MessageId"] not in failed:
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=m["ReceiptHandle"])
    return answers


def _dlq_bodies(sqs, dlq_url: str) -> list[str]:
    return [
        m["Body"]
        for m in sqs.receive_message(QueueUrl=dlq_url, MaxNumberOfMessages=10, WaitTimeSeconds=0).get("Messages", [])
    ]


def test_unknown_notification_is_acknowledged_and_a_malformed_one_parked_with_its_reason(moto_server, store, caplog):
    """Retrying cannot fix either, so neither is retried: an unknown type is acknowledged with a log line
    naming its type; a malformed notification is acknowledged and copied to the DLQ with the reason."""
    from bot.jobs.health_checks import HealthDeps
    from bot.workers.health_notifications import make_handler
    from infra.accounts import load_accounts

    sqs, queue_url, dlq_url = _sqs_pair(moto_server)
    unknown = '{"notificationType": "NOT_A_TYPE", "payload": {}}'
    malformed = '{"notificationType": "ACCOUNT_STATUS_CHANGED", "payload": []}'
    for body in (unknown, malformed):
        sqs.send_message(QueueUrl=queue_url, MessageBody=body)
    deps = HealthDeps(store=store, slack=None, accounts=load_accounts(), reports=lambda: None, clock=time.time)
    answers = _deliver_until_empty(sqs, queue_url, make_handler(deps, dlq_url=dlq_url, sqs=sqs))
    assert all(a["batchItemFailures"] == [] for a in answers)  # received once each, never retried
    assert _dlq_bodies(sqs, dlq_url) == [malformed]
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "NOT_A_TYPE" in logged and "ACCOUNT_STATUS_CHANGED" in logged


def test_failing_sweep_job_lands_in_the_dlq_with_its_reason_logged(moto_server, spapi_bot, caplog):
    from bot.jobs.review_sweeps import SweepJob
    from bot.workers.review_sweep import make_handler
    from handlers.reviews.spapi_adapter import SpApiReviewsAdapter

    bot = spapi_bot
    sqs, queue_url, dlq_url = _sqs_pair(moto_server)
    job = SweepJob(account="acme", marketplace="US", reason="schedule").model_dump_json()
    sqs.send_message(QueueUrl=queue_url, MessageBody=job)
    bot.env.fake_spapi.faults.add("getOrders", "status:403", times=1000)  # the seller revoked the app
    handler = make_handler(
        store=bot.store,
        spapi=SpApiReviewsAdapter(bot.deps.spapi),
        accounts=bot.deps.accounts,
        slack=None,
        enqueue=lambda *a, **k: False,
    )
    answers = _deliver_until_empty(sqs, queue_url, handler)
    assert [len(a["batchItemFailures"]) for a in answers] == [1, 1]
    assert _dlq_bodies(sqs, dlq_url) == [job]
    reasons = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING and "acme/US" in r.getMessage()]
    assert reasons and all("403" in m or "refused" in m for m in reasons), reasons


# ---- Slack faults on the promo and health paths ------------------------------------------------------


def test_promo_card_not_postable_is_explained_and_the_request_kept(spapi_bot):
    from datetime import date, timedelta

    from handlers.promo.repository import PromoRepository

    bot = spapi_bot
    bot.slack.add_fault("chat.postMessage", "status:503", times=100)
    start = date.today() + timedelta(days=7)
    bot.slash(
        f"/promo new SLACKDOWN 20% {ASIN} {start}..{start + timedelta(days=20)} --marketplace US",
        user="U0REQUESTER",
    )
    bot.wait(60)
    [reply] = bot.replies()
    assert "is stored and pending approval, but its card could not be posted" in reply["text"]
    assert "/promo show SLACKDOWN" in reply["text"]
    assert PromoRepository(bot.store).get_by_code("acme", "SLACKDOWN").status.value == "pending_approval"


def test_health_alerts_survive_a_slack_429_and_are_posted_once(spapi_bot, monkeypatch):
    monkeypatch.setenv("SELLERBOT_HEALTH_POLL_SECONDS", "0.01")
    bot = spapi_bot
    bot.slack.add_fault("chat.postMessage", "ratelimited", times=2, retry_after=1)
    bot.slash("/health check acme CA")
    bot.slash("/health check acme CA")  # a second user asks at the same time
    bot.wait(60)
    # One digest, the alerts as replies in its thread (issue 18).
    assert len([m for m in bot.slack.messages.get("C0ACMECA", []) if not m.get("thread_ts")]) == 1
    alerts = bot.slack.messages.get("C0ACMECA", [])
    values = [
        e["value"]
        for m in alerts
        for b in (m.get("blocks") or [])
        if b.get("type") == "actions"
        for e in b["elements"]
        if e["action_id"] == "health_ack"
    ]
    assert len(values) >= 5 and len(values) == len(set(values))  # every red flag, each once
    assert [c.params.get("_fault") for c in bot.slack.calls_to("chat.postMessage")].count("ratelimited") == 2
