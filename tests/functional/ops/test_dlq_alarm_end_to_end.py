"""Issue 20 item 6: a DLQ alarm end to end.

A message parked in a dead-letter queue (moto SQS over HTTP, by its redrive policy) -> the alarm
notification as SNS delivers it to Lambda -> the ops message in the fake Slack -> Redrive refused to a
non-admin (ephemeral, audited), done by an admin -> the queue drained into its source -> the OK
notification updates the same message.

The SNS event has the shape of AWS's own example of a CloudWatch alarm delivered through SNS to Lambda,
aws/aws-lambda-go `events/testdata/cloudwatch-alarm-sns-payload-single-metric.json` (commit 3eecfa8):
`Records[].Sns.Message` is the alarm as a JSON string, `Region` its long name, dimensions lower-case.
StartMessageMoveTask comes from the stand-in in move_tasks.py (moto has none), checked against botocore.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from bot.local.harness import BotHarness
from bot.workers import ops_alarms
from handlers.ops.alarm_book import AlarmBook
from tests.support.aws import aws_client

OPS = "C0OPS"
ADMIN = "U0DEMOUSER"  # `admins` of the demo accounts file
STRANGER = "U0NOTADMIN"


def sns_event(alarm: dict[str, Any]) -> dict[str, Any]:
    """The SNS -> Lambda event around a CloudWatch alarm, as in AWS's example (values ours)."""
    state = alarm["NewStateValue"]
    return {
        "Records": [
            {
                "EventSource": "aws:sns",
                "EventVersion": "1.0",
                "EventSubscriptionArn": "arn:aws:sns:us-east-1:123456789012:sellerbot-ci-ops-alarms:"
                + str(uuid.uuid4()),
                "Sns": {
                    "Type": "Notification",
                    "MessageId": str(uuid.uuid4()),
                    "TopicArn": "arn:aws:sns:us-east-1:123456789012:sellerbot-ci-ops-alarms",
                    "Subject": f'{state}: "{alarm["AlarmName"]}" in US East (N. Virginia)',
                    "Message": json.dumps(alarm),
                    "Timestamp": "2026-12-06T05:00:00.000Z",
                    "SignatureVersion": "1",
                    "Signature": "EXAMPLE",
                    "SigningCertUrl": "EXAMPLE",
                    "UnsubscribeUrl": "EXAMPLE",
                    "MessageAttributes": {},
                },
            }
        ]
    }


def dlq_alarm(queue: str, state: str, reason: str) -> dict[str, Any]:
    name = "sellerbot-ci-dlq-health-check-dlq"
    return {
        "AlarmName": name,
        "AlarmDescription": "Dead-letter queue HealthCheckDLQ holds messages: work that failed every retry.",
        "AWSAccountId": "123456789012",
        "NewStateValue": state,
        "NewStateReason": reason,
        "StateChangeTime": "2026-12-06T05:00:00.000+0000",
        "Region": "US East (N. Virginia)",
        "AlarmArn": f"arn:aws:cloudwatch:us-east-1:123456789012:alarm:{name}",
        "OldStateValue": "OK" if state == "ALARM" else "ALARM",
        "Trigger": {
            "MetricName": "ApproximateNumberOfMessagesVisible",
            "Namespace": "AWS/SQS",
            "StatisticType": "Statistic",
            "Statistic": "MAXIMUM",
            "Unit": None,
            "Dimensions": [{"value": queue, "name": "QueueName"}],
            "Period": 300,
            "EvaluationPeriods": 1,
            "ComparisonOperator": "GreaterThanThreshold",
            "Threshold": 0.0,
            "TreatMissingData": "notBreaching",
            "EvaluateLowSampleCountPercentile": "",
        },
    }


def _depth(sqs: Any, url: str) -> int:
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])
    return int(attributes["Attributes"]["ApproximateNumberOfMessages"])


@pytest.fixture(autouse=True)
def fresh_ops_entry():
    """The Lambda entry keeps the handler it built for its container: each test is a new container."""
    ops_alarms.handler.built = None
    yield
    ops_alarms.handler.built = None


@pytest.fixture
def queues(sqs_with_move_tasks):
    endpoint, _ = sqs_with_move_tasks
    sqs = aws_client("sqs", endpoint)
    suffix = uuid.uuid4().hex[:8]
    dlq = sqs.create_queue(QueueName=f"sellerbot-ci-HealthCheckDLQ-{suffix}")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    source = sqs.create_queue(
        QueueName=f"sellerbot-ci-HealthCheckQueue-{suffix}",
        Attributes={"RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "1"})},
    )["QueueUrl"]
    return sqs, source, dlq


def _park_one(sqs: Any, source: str, dlq: str) -> None:
    """A check that failed every retry: received maxReceiveCount times, then SQS moves it to the DLQ."""
    sqs.send_message(QueueUrl=source, MessageBody=json.dumps({"account": "acme", "marketplace": "US"}))
    for _ in range(3):
        sqs.receive_message(QueueUrl=source, VisibilityTimeout=0, MaxNumberOfMessages=1)
        if _depth(sqs, dlq):
            break
    assert _depth(sqs, dlq) == 1 and _depth(sqs, source) == 0


def _texts(message: dict[str, Any]) -> str:
    return json.dumps(message.get("blocks") or []) + str(message.get("text") or "")


def _buttons(message: dict[str, Any]) -> list[str]:
    blocks = message.get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    return [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]


def test_a_parked_message_is_alarmed_redriven_by_an_admin_and_the_ok_updates_the_message(queues, sqs_with_move_tasks):
    sqs, source, dlq = queues
    endpoint, stand_in = sqs_with_move_tasks
    dlq_name = dlq.rsplit("/", 1)[-1]
    _park_one(sqs, source, dlq)

    env = {"SELLERBOT_AWS_ENDPOINT_URL": endpoint, "SELLERBOT_OPS_CHANNEL": OPS}
    with BotHarness(env=env) as bot:
        alarm = dlq_alarm(
            dlq_name,
            "ALARM",
            "Threshold Crossed: 1 out of the last 1 datapoints [1.0 (06/12/26 04:55:00)] was greater than the "
            "threshold (0.0) (minimum 1 datapoint for OK -> ALARM transition).",
        )
        # The ALARM notification, as SNS invokes the ops function.
        assert ops_alarms.handler(sns_event(alarm), None) == {"post": 1}
        (post,) = [c.params for c in bot.slack.calls_to("chat.postMessage") if c.params.get("channel") == OPS]
        shown = _texts(post)
        assert "sellerbot-ci-dlq-health-check-dlq" in shown and "Maximum &gt; 0 over 300 s" in shown
        assert "*Current value:* 1 " in shown and "#metricsV2:graph=" in shown and "QueueName" in shown
        assert _buttons(post) == ["ops_redrive", "ops_mute_24h"]
        record = AlarmBook(bot.store).get(alarm["AlarmName"])
        assert record is not None and record.channel == OPS and record.ts
        ts = record.ts
        # SNS delivers at least once: the same notification again changes the message, posts nothing new.
        ops_alarms.handler(sns_event(alarm), None)
        assert len([c for c in bot.slack.calls_to("chat.postMessage") if c.params.get("channel") == OPS]) == 1

        # A non-admin is refused, ephemerally, and the press is audited; nothing moves.
        refused = bot.click("ops_redrive", alarm["AlarmName"], user=STRANGER, channel=OPS, message_ts=ts)
        bot.wait()
        replies = bot.replies()
        assert (
            replies and replies[-1]["response_type"] == "ephemeral" and "Only sellerbot admins" in replies[-1]["text"]
        )
        assert refused["statusCode"] == 200 and _depth(sqs, dlq) == 1
        book = AlarmBook(bot.store)
        assert [(e.by, e.action) for e in book.audit_trail() if e.action.endswith("refused")] == [
            (STRANGER, "redrive_refused")
        ]

        # The admin redrives: the DLQ drains into its source queue, the thread says how many moved.
        bot.click("ops_redrive", alarm["AlarmName"], user=ADMIN, channel=OPS, message_ts=ts)
        bot.wait()
        assert _depth(sqs, dlq) == 0 and _depth(sqs, source) == 1
        assert [op for op, _ in stand_in.answers][:2] == ["StartMessageMoveTask", "ListMessageMoveTasks"]
        thread = [c.params for c in bot.slack.calls_to("chat.postMessage") if c.params.get("thread_ts") == ts]
        assert "started a redrive of about 1 messages" in thread[0]["text"]
        assert "Redrive done: 1 messages moved" in thread[-1]["text"]
        trail = {e.action: e for e in book.audit_trail() if e.by == ADMIN}
        assert trail["redrive_started"].detail["queue"] == dlq_name
        assert trail["redrive_reported"].detail["moved"] == 1

        # The OK notification updates the same message: green, no Redrive any more.
        ok = dlq_alarm(
            dlq_name,
            "OK",
            "Threshold Crossed: 1 out of the last 1 datapoints [0.0 (06/12/26 05:10:00)] was not greater than the "
            "threshold (0.0) (minimum 1 datapoint for ALARM -> OK transition).",
        )
        assert ops_alarms.handler(sns_event(ok), None) == {"update": 1}
        update = bot.slack.calls_to("chat.update")[-1].params
        assert update["channel"] == OPS and update["ts"] == ts
        assert "OK" in _texts(update) and _buttons(update) == ["ops_mute_24h"]


def test_mute_24h_is_admin_only_shown_and_turns_repeats_into_silent_updates(queues, sqs_with_move_tasks):
    _, _, dlq = queues
    endpoint, _ = sqs_with_move_tasks
    name = dlq.rsplit("/", 1)[-1]
    firing = dlq_alarm(name, "ALARM", "Threshold Crossed: 1 out of the last 1 datapoints [2.0 (06/12/26 04:55:00)].")
    ok = dlq_alarm(name, "OK", "Threshold Crossed: 1 out of the last 1 datapoints [0.0 (06/12/26 05:10:00)].")
    with BotHarness(env={"SELLERBOT_AWS_ENDPOINT_URL": endpoint, "SELLERBOT_OPS_CHANNEL": OPS}) as bot:
        ops_alarms.handler(sns_event(firing), None)
        record = AlarmBook(bot.store).get(firing["AlarmName"])
        assert record is not None
        bot.click("ops_mute_24h", firing["AlarmName"], user=STRANGER, channel=OPS, message_ts=record.ts)
        bot.wait()
        assert "Only sellerbot admins" in bot.replies()[-1]["text"]
        bot.click("ops_mute_24h", firing["AlarmName"], user=ADMIN, channel=OPS, message_ts=record.ts)
        bot.wait()
        update = bot.slack.calls_to("chat.update")[-1].params
        assert update["ts"] == record.ts and f"muted by <@{ADMIN}> until" in _texts(update)
        posts = len(bot.slack.calls_to("chat.postMessage"))
        # OK, then the alarm fires again while muted: its message is updated, nothing new is posted.
        assert ops_alarms.handler(sns_event(ok), None) == {"update": 1}
        assert ops_alarms.handler(sns_event(firing), None) == {"update_silently": 1}
        assert len([c for c in bot.slack.calls_to("chat.postMessage") if not c.params.get("thread_ts")]) == posts - 1
        assert bot.slack.calls_to("chat.update")[-1].params["ts"] == record.ts
        actions = [(e.by, e.action) for e in AlarmBook(bot.store).audit_trail() if e.action.startswith("mute")]
        assert actions == [(STRANGER, "mute_refused")]
        assert any(e.action == "alarm_muted" and e.by == ADMIN for e in AlarmBook(bot.store).audit_trail())
