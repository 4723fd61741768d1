"""The ops function's pieces (issue 20): reading alarm notifications, what each one does to the ops
message, mutes, the lazy listeners' failure records, hostile text, and failing loudly without Slack."""

from __future__ import annotations

import json
from typing import Any

import pytest
from slack_sdk.errors import SlackApiError

from bot.views import ops as views
from handlers.ops.alarm_book import AlarmBook, AlarmRecord, plan
from handlers.ops.alarms import AlarmNotification, NotAnAlarm, parse_sns_event
from handlers.ops.lazy_failures import parse_failure
from infra.store.sqlite import SQLiteStore

# AWS's own example of an alarm delivered through SNS to Lambda (aws/aws-lambda-go,
# events/testdata/cloudwatch-alarm-sns-payload-single-metric.json): the Message string as published.
AWS_EXAMPLE_MESSAGE = (
    '{"AlarmName": "EXAMPLE","AlarmDescription": "EXAMPLE","AWSAccountId": "123456789012","NewStateValue": "ALARM",'
    '"NewStateReason": "Threshold Crossed: 1 out of the last 1 datapoints [1234.0 (06/03/15 17:43:27)] was greater '
    'than the threshold (0.0) (minimum 1 datapoint for OK -> ALARM transition).","StateChangeTime": '
    '"2015-06-03T17:43:27.123+0000","Region": "EXAMPLE","AlarmArn": "arn:aws:cloudwatch:REGION:ACCOUNT_NUMBER:alarm:'
    'EXAMPLE","OldStateValue": "INSUFFICIENT_DATA","Trigger": {"MetricName": "NetworkOut","Namespace": "AWS/EC2",'
    '"StatisticType": "Statistic","Statistic": "AVERAGE","Unit": "Bytes","Dimensions": [{"value": "TestInstance",'
    '"name": "InstanceId"}],"Period": 60,"EvaluationPeriods": 1,"ComparisonOperator": "GreaterThanThreshold",'
    '"Threshold": 0.0,"TreatMissingData": "- TreatMissingData:                    missing",'
    '"EvaluateLowSampleCountPercentile": ""}}'
)
NOW = 1_800_000_000.0


def _event(message: str) -> dict[str, Any]:
    return {"Records": [{"EventSource": "aws:sns", "Sns": {"Type": "Notification", "Message": message}}]}


def _alarm(name: str = "sellerbot-ci-dlq-review-sweep-dlq", state: str = "ALARM", **over: Any) -> AlarmNotification:
    body = json.loads(AWS_EXAMPLE_MESSAGE)
    body.update(AlarmName=name, NewStateValue=state, AlarmArn=f"arn:aws:cloudwatch:us-east-1:1:alarm:{name}")
    body["Trigger"].update(
        Namespace="AWS/SQS",
        MetricName="ApproximateNumberOfMessagesVisible",
        Statistic="MAXIMUM",
        Dimensions=[{"value": "sellerbot-ci-ReviewSweepDLQ-1", "name": "QueueName"}],
    )
    body.update(over)
    return AlarmNotification.model_validate(body)


def test_aws_example_notification_is_read_with_threshold_current_value_and_links():
    (alarm,) = parse_sns_event(_event(AWS_EXAMPLE_MESSAGE))
    assert (alarm.name, alarm.state, alarm.kind) == ("EXAMPLE", "ALARM", "other")
    assert alarm.trigger.rule == "Average > 0 over 60 s"
    assert alarm.current_value == "1234"
    assert alarm.trigger.dimension("InstanceId") == "TestInstance"
    # The example's ARN has no real region: the link falls back to us-east-1 rather than trusting it.
    assert alarm.metric_url.startswith("https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1")
    assert "~'AWS*2fEC2~'NetworkOut~'InstanceId~'TestInstance" in alarm.metric_url


def test_a_record_that_is_no_alarm_fails_the_invocation_loudly():
    with pytest.raises(NotAnAlarm):
        parse_sns_event(_event("not json"))


def test_kinds_follow_the_generated_alarm_names():
    assert _alarm().kind == "dlq" and _alarm().queue_name == "sellerbot-ci-ReviewSweepDLQ-1"
    assert _alarm("sellerbot-ci-lazy-failures").kind == "lazy_failures"
    assert _alarm("sellerbot-ci-slack-errors").kind == "other"


def test_plan_posts_once_per_episode_updates_in_place_and_stays_quiet_while_muted():
    alarm, ok = _alarm(), _alarm(state="OK")
    posted = AlarmRecord(name=alarm.name, channel="C0OPS", ts="1.1", state="ALARM", version=2)
    assert plan(None, alarm, NOW) == "post"
    assert plan(None, ok, NOW) == "ignore"  # an OK for an alarm never shown is not news
    assert plan(posted, alarm, NOW) == "update"  # SNS's duplicate delivery
    assert plan(posted, ok, NOW) == "update"
    back_ok = posted.model_copy(update={"state": "OK"})
    assert plan(back_ok, alarm, NOW) == "post"  # a new episode: a new message
    muted = back_ok.model_copy(update={"muted_until": NOW + 10, "muted_by": "U0ADMIN"})
    assert plan(muted, alarm, NOW) == "update_silently"
    assert plan(muted, alarm, NOW + 11) == "post"  # the mute ended by itself


def test_posting_is_claimed_once_and_every_change_is_audited():
    store = SQLiteStore(":memory:")
    book, racing, alarm = AlarmBook(store), AlarmBook(store), _alarm()
    racing.get = lambda name: None  # type: ignore[method-assign]  # it read before the first claim was written
    claimed = book.begin_post(alarm, "C0OPS", NOW)
    assert claimed is not None
    assert racing.begin_post(alarm, "C0OPS", NOW) is None  # the concurrent duplicate delivery loses
    book.posted(claimed, "1.1", NOW)
    muted = book.mute(alarm.name, "U0ADMIN", NOW)
    assert muted and muted.muted(NOW) and not muted.muted(NOW + 24 * 3600)
    assert [e.action for e in book.audit_trail()] == ["alarm_posting", "alarm_posted", "alarm_muted"]


LAZY_RECORD = {
    "version": "1.0",
    "timestamp": "2026-12-06T05:00:00.000Z",
    "requestContext": {
        "requestId": "c2ad1b5f",
        "functionArn": "arn:aws:lambda:us-east-1:1:function:sellerbot-ci-slack:snapstart",
        "condition": "RetriesExhausted",
        "approximateInvokeCount": 3,
    },
    "requestPayload": {
        "headers": {"x-slack-bolt-lazy-function-name": "run_health_check"},
        "body": "token=x&text=<!channel>",
    },
    "responseContext": {"statusCode": 200, "executedVersion": "3", "functionError": "Unhandled"},
    "responsePayload": {"errorMessage": "buyer jane@example.com", "errorType": "StoreUnavailable", "stackTrace": []},
}


def test_the_lazy_failure_alarm_says_which_listener_failed_and_why_without_redrive():
    failure = parse_failure(json.dumps(LAZY_RECORD))
    assert failure and (failure.listener, failure.condition, failure.error_type) == (
        "run_health_check",
        "RetriesExhausted",
        "StoreUnavailable",
    )
    assert parse_failure("{}") is None and parse_failure("nope") is None
    message = views.alarm_message(_alarm("sellerbot-ci-lazy-failures"), None, NOW, [failure])
    shown = json.dumps(message)
    assert "run_health_check" in shown and "failed 3 times" in shown and "StoreUnavailable" in shown
    # The user's request and the error message (which may quote it) stay out of the channel.
    assert "jane@example.com" not in shown and "token=x" not in shown
    buttons = [e["action_id"] for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert buttons == [views.MUTE]


@pytest.mark.parametrize("evil", ["<!channel>", "<https://evil.example|amazon.com>"])
def test_alarm_text_cannot_inject_mentions_or_links(evil):
    alarm = _alarm(
        AlarmDescription=evil,
        NewStateReason=f"Threshold Crossed {evil}",
        AlarmArn=f"arn:aws:cloudwatch:{evil}:1:alarm:x",
    )
    alarm.trigger.dimensions[0].value = evil
    shown = json.dumps(views.alarm_message(alarm, None, NOW))
    assert evil not in shown and "&lt;" in shown
    assert "https://evil.example" not in shown.split("&lt;", 1)[0]


class _RevokedSlack:
    def chat_postMessage(self, **kwargs: Any) -> Any:
        raise SlackApiError("token_revoked", {"ok": False, "error": "token_revoked"})


def test_without_slack_the_ops_function_fails_so_its_own_errors_alarm_fires():
    from types import SimpleNamespace

    from bot.settings import Settings
    from bot.workers import ops_alarms

    deps = SimpleNamespace(
        settings=Settings(ops_channel="C0OPS"), store=SQLiteStore(":memory:"), slack=_RevokedSlack(), clock=lambda: NOW
    )
    with pytest.raises(SlackApiError):
        ops_alarms.make_handler(deps)(_event(_alarm().model_dump_json(by_alias=True)), None)  # type: ignore[arg-type]
    no_channel = SimpleNamespace(**{**vars(deps), "settings": Settings()})
    with pytest.raises(ops_alarms.OpsChannelMissing):
        ops_alarms.make_handler(no_channel)(_event(_alarm().model_dump_json(by_alias=True)), None)  # type: ignore[arg-type]


def test_the_registered_action_ids_are_the_buttons_drawn():
    from bot.listeners import ops

    assert ops.ACTION_IDS == views.ACTION_IDS
