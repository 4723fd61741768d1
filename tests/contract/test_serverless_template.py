"""The CloudFormation that `make package` generates (osls) keeps the production wiring promises.

`make test` packages before pytest runs, so the template is the one CI linted. Run alone
(`pytest tests/contract`), the test is skipped until `make package` has produced it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

TEMPLATE = Path(__file__).resolve().parents[2] / ".serverless" / "cloudformation-template-update-stack.json"


@pytest.fixture(scope="module")
def resources() -> dict[str, Any]:
    if not TEMPLATE.exists():
        pytest.skip("no packaged template: run `make package` first")
    return json.loads(TEMPLATE.read_text())["Resources"]


def _of_type(resources: dict[str, Any], kind: str) -> dict[str, Any]:
    return {name: r for name, r in resources.items() if r["Type"] == kind}


def _function(resources: dict[str, Any], handler: str) -> tuple[str, dict[str, Any]]:
    found = [
        (n, r) for n, r in _of_type(resources, "AWS::Lambda::Function").items() if r["Properties"]["Handler"] == handler
    ]
    assert found, f"no Lambda function with handler {handler}"
    return found[0]


def _ref_name(value: Any) -> str:
    """The logical id behind {"Fn::GetAtt": [X, "Arn"]} or {"Ref": X}."""
    if "Fn::GetAtt" in value:
        return value["Fn::GetAtt"][0]
    return value["Ref"]


def test_every_sqs_consumer_reports_partial_batch_failures(resources):
    mappings = _of_type(resources, "AWS::Lambda::EventSourceMapping")
    assert mappings
    for name, mapping in mappings.items():
        assert mapping["Properties"].get("FunctionResponseTypes") == ["ReportBatchItemFailures"], name


def test_every_consumed_queue_has_a_dead_letter_queue(resources):
    queues = _of_type(resources, "AWS::SQS::Queue")
    for name, mapping in _of_type(resources, "AWS::Lambda::EventSourceMapping").items():
        queue = queues[_ref_name(mapping["Properties"]["EventSourceArn"])]
        redrive = queue["Properties"].get("RedrivePolicy")
        assert redrive and _ref_name(redrive["deadLetterTargetArn"]) in queues, name
        assert 1 <= int(redrive["maxReceiveCount"]) <= 10


def test_review_sweep_is_scheduled_daily_and_fanned_out_through_sqs(resources):
    dispatch, _ = _function(resources, "bot/workers/review_sweep.dispatch")
    rules = [
        r
        for r in _of_type(resources, "AWS::Events::Rule").values()
        if any(dispatch in json.dumps(t) for t in r["Properties"].get("Targets", []))
    ]
    assert rules and rules[0]["Properties"]["ScheduleExpression"].startswith("cron(")
    worker, fn = _function(resources, "bot/workers/review_sweep.handler")
    mapping = next(
        m
        for m in _of_type(resources, "AWS::Lambda::EventSourceMapping").values()
        if worker in json.dumps(m["Properties"]["FunctionName"])
    )
    queue = resources[_ref_name(mapping["Properties"]["EventSourceArn"])]
    # A sweep must never be redelivered to a second worker while the first still runs.
    assert int(queue["Properties"]["VisibilityTimeout"]) > int(fn["Properties"]["Timeout"])


def test_slack_function_can_reinvoke_itself_for_lazy_listeners(resources):
    policy = json.dumps(resources["SlackIamRoleLambdaExecution"]["Properties"]["Policies"])
    # Bolt's lazy runner only invokes; lambda:GetFunction was granted without need (issue 14).
    assert "lambda:InvokeFunction" in policy and "lambda:GetFunction" not in policy
    # It invokes the ARN it was called through, which is the `snapstart` alias: `function:NAME:*`.
    assert ":function:sellerbot-ci-slack:*" in policy  # `make package` builds stage ci


def _alias_arn(function: str) -> dict[str, Any]:
    return {"Fn::Join": [":", [{"Fn::GetAtt": [function, "Arn"]}, "snapstart"]]}


def test_slack_function_has_snapstart_behind_the_snapstart_alias(resources):
    """Issue 16: SnapStart restores only published versions, so everything calls the `snapstart` alias."""
    slack, fn = _function(resources, "bot/lambda_handler.handler")
    assert fn["Properties"]["SnapStart"] == {"ApplyOn": "PublishedVersions"}
    aliases = [
        r
        for r in _of_type(resources, "AWS::Lambda::Alias").values()
        if r["Properties"]["FunctionName"] == {"Ref": slack}
    ]
    assert [a["Properties"]["Name"] for a in aliases] == ["snapstart"]
    version = resources[aliases[0]["Properties"]["FunctionVersion"]["Fn::GetAtt"][0]]
    assert version["Type"] == "AWS::Lambda::Version" and version["Properties"]["FunctionName"] == {"Ref": slack}
    # versionFunction: false: superseded versions (each with a billed snapshot cache) are deleted.
    assert "DeletionPolicy" not in version
    # Slack's HTTP requests, their permission, and the async (lazy listener) invoke config use the alias.
    integrations = [
        r["Properties"]
        for r in _of_type(resources, "AWS::ApiGatewayV2::Integration").values()
        if slack in json.dumps(r["Properties"]["IntegrationUri"])
    ]
    assert integrations and all(i["IntegrationUri"] == _alias_arn(slack) for i in integrations)
    permissions = [
        r["Properties"]
        for r in _of_type(resources, "AWS::Lambda::Permission").values()
        if slack in json.dumps(r["Properties"]["FunctionName"])
    ]
    assert permissions and all(p["FunctionName"] == _alias_arn(slack) for p in permissions)
    configs = [
        r["Properties"]
        for r in _of_type(resources, "AWS::Lambda::EventInvokeConfig").values()
        if r["Properties"]["FunctionName"] == {"Ref": slack}
    ]
    assert [c["Qualifier"] for c in configs] == ["snapstart"]
    assert _ref_name(configs[0]["DestinationConfig"]["OnFailure"]["Destination"]) == "LazyFailureQueue"


def test_only_the_slack_function_publishes_versions(resources):
    versions = [r["Properties"]["FunctionName"] for r in _of_type(resources, "AWS::Lambda::Version").values()]
    slack, _ = _function(resources, "bot/lambda_handler.handler")
    assert versions == [{"Ref": slack}]


def test_every_function_runs_python_3_12_or_later(resources):
    # SnapStart needs python3.12+ (cfn-lint E2530); one runtime for all, as the artifacts are built for it.
    for name, fn in _of_type(resources, "AWS::Lambda::Function").items():
        runtime = fn["Properties"]["Runtime"]
        assert runtime.startswith("python3.") and int(runtime.removeprefix("python3.")) >= 12, name


def test_only_the_charts_function_ships_the_chart_stack(resources):
    """The full artifact (matplotlib) is the charts function's; every other function gets the lean one."""
    charts, _ = _function(resources, "bot/workers/charts.handler")
    for name, fn in _of_type(resources, "AWS::Lambda::Function").items():
        artifact = fn["Properties"]["Code"]["S3Key"].rsplit("/", 1)[-1]
        assert artifact == ("sellerbot-charts.zip" if name == charts else "sellerbot.zip"), name


def test_charts_function_is_invoked_by_the_slack_function_and_never_retried(resources):
    charts, fn = _function(resources, "bot/workers/charts.handler")
    assert int(fn["Properties"]["Timeout"]) >= 30 and int(fn["Properties"]["MemorySize"]) >= 1024
    # A failure is told to the user by the function itself; Lambda must not retry it into a queue.
    configs = [
        r["Properties"]
        for r in _of_type(resources, "AWS::Lambda::EventInvokeConfig").values()
        if r["Properties"]["FunctionName"] == {"Ref": charts}
    ]
    assert len(configs) == 1 and configs[0]["MaximumRetryAttempts"] == 0
    assert not configs[0].get("DestinationConfig")
    _, slack = _function(resources, "bot/lambda_handler.handler")
    assert slack["Properties"]["Environment"]["Variables"]["SELLERBOT_CHARTS_FUNCTION"] == {"Ref": charts}


def test_store_table_has_ttl_and_no_wildcard_dynamodb_actions(resources):
    table = next(iter(_of_type(resources, "AWS::DynamoDB::Table").values()))
    assert table["Properties"]["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}
    policies = [r["Properties"]["Policies"] for r in _of_type(resources, "AWS::IAM::Role").values()]
    policy = json.dumps(policies)
    assert "dynamodb:" in policy and "dynamodb:*" not in policy and '"Action": "*"' not in policy


@pytest.mark.parametrize(
    "handler, schedule",
    [
        ("bot/workers/review_sweep.dispatch", "cron(0 14 * * ? *)"),
        ("bot/workers/health_schedule.dispatch", "rate(6 hours)"),
        ("bot/workers/health_escalation.handler", "rate(15 minutes)"),
        ("bot/workers/promo_expiry.handler", "rate(15 minutes)"),
    ],
)
def test_scheduled_workers(resources, handler, schedule):
    function, _ = _function(resources, handler)
    expressions = [
        r["Properties"].get("ScheduleExpression")
        for r in _of_type(resources, "AWS::Events::Rule").values()
        if function in json.dumps(r["Properties"].get("Targets", []))
    ]
    assert expressions == [schedule]


def test_listings_issues_arrive_through_eventbridge(resources):
    function, _ = _function(resources, "bot/workers/health_notifications.handler")
    patterns = [
        r["Properties"].get("EventPattern")
        for r in _of_type(resources, "AWS::Events::Rule").values()
        if function in json.dumps(r["Properties"].get("Targets", []))
    ]
    assert {
        "source": [{"prefix": "aws.partner/sellingpartnerapi.amazon.com/"}],
        "detail-type": ["LISTINGS_ITEM_ISSUES_CHANGE"],
    } in patterns


# ---- Alarms (issue 20) ---------------------------------------------------------------------------------------


def _alarms(resources: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {n: r["Properties"] for n, r in _of_type(resources, "AWS::CloudWatch::Alarm").items()}


def _alarmed(
    alarms: dict[str, dict[str, Any]], namespace: str, metric: str, dimension_ref: str
) -> list[dict[str, Any]]:
    return [
        a
        for a in alarms.values()
        if a.get("Namespace") == namespace
        and a.get("MetricName") == metric
        and any(_ref_name(d["Value"]) == dimension_ref for d in a.get("Dimensions", []) if isinstance(d["Value"], dict))
    ]


def test_the_generated_alarms_file_is_up_to_date():
    """serverless.alarms.yml is written by tools/gen_alarms.py from serverless.yml: a new function or queue
    without a regenerated file fails here (no template needed)."""
    import importlib.util

    path = Path(__file__).resolve().parents[2] / "tools" / "gen_alarms.py"
    spec = importlib.util.spec_from_file_location("gen_alarms", path)
    assert spec and spec.loader
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    assert gen.OUTPUT.read_text() == gen.render(), "serverless.alarms.yml is stale: run `python tools/gen_alarms.py`"


def test_every_function_alarms_on_errors_throttles_and_duration_near_its_timeout(resources):
    alarms = _alarms(resources)
    functions = _of_type(resources, "AWS::Lambda::Function")
    assert len(functions) >= 9
    for name, fn in functions.items():
        for metric in ("Errors", "Throttles"):
            found = _alarmed(alarms, "AWS/Lambda", metric, name)
            assert len(found) == 1 and found[0]["Threshold"] == 1, (name, metric)
            assert found[0]["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
        (duration,) = _alarmed(alarms, "AWS/Lambda", "Duration", name)
        timeout_ms = int(fn["Properties"]["Timeout"]) * 1000
        assert duration["ExtendedStatistic"] == "p99"
        assert 0.75 * timeout_ms <= duration["Threshold"] < timeout_ms, name


def _dead_letter_queues(resources: dict[str, Any]) -> set[str]:
    queues = _of_type(resources, "AWS::SQS::Queue")
    targets = {
        _ref_name(q["Properties"]["RedrivePolicy"]["deadLetterTargetArn"])
        for q in queues.values()
        if "RedrivePolicy" in q["Properties"]
    }
    failure_destinations = {
        _ref_name(c["Properties"]["DestinationConfig"]["OnFailure"]["Destination"])
        for c in _of_type(resources, "AWS::Lambda::EventInvokeConfig").values()
        if "OnFailure" in c["Properties"].get("DestinationConfig", {})
    }
    return targets | (failure_destinations & set(queues))


def test_every_dead_letter_queue_alarms_as_soon_as_it_holds_a_message(resources):
    alarms = _alarms(resources)
    dead_letter = _dead_letter_queues(resources)
    assert {"ReviewSweepDLQ", "HealthCheckDLQ", "HealthNotificationsDLQ", "LazyFailureQueue"} <= dead_letter
    for queue in dead_letter:
        (depth,) = _alarmed(alarms, "AWS/SQS", "ApproximateNumberOfMessagesVisible", queue)
        assert depth["Statistic"] == "Maximum" and depth["Threshold"] == 0, queue
        assert depth["ComparisonOperator"] == "GreaterThanThreshold"


def test_every_work_queue_alarms_on_its_oldest_message(resources):
    alarms = _alarms(resources)
    work = [n for n, q in _of_type(resources, "AWS::SQS::Queue").items() if "RedrivePolicy" in q["Properties"]]
    assert len(work) == 4  # review sweep, health checks, health notifications, app notifications (issue 21)
    for queue in work:
        (age,) = _alarmed(alarms, "AWS/SQS", "ApproximateAgeOfOldestMessage", queue)
        assert age["Threshold"] > 0 and age["ComparisonOperator"] == "GreaterThanThreshold", queue


def test_sp_api_throttles_and_the_health_check_dead_mans_switch(resources):
    alarms = {a["MetricName"]: a for a in _alarms(resources).values() if a.get("Namespace") == "Sellerbot"}
    dimensions = [{"Name": "service", "Value": "sellerbot"}, {"Name": "stage", "Value": "ci"}]
    throttles = alarms["SpApiThrottles"]
    assert throttles["Dimensions"] == dimensions and throttles["Statistic"] == "Sum"
    silent = alarms["HealthChecksSucceeded"]
    assert silent["Dimensions"] == dimensions
    assert (silent["Statistic"], silent["Threshold"], silent["ComparisonOperator"]) == ("Sum", 1, "LessThanThreshold")
    # A schedule that stopped emits nothing at all: missing data must breach.
    assert silent["TreatMissingData"] == "breaching"
    # Twice the schedule (rate(6 hours)), every period of the window empty.
    rule = next(
        r["Properties"]["ScheduleExpression"]
        for r in _of_type(resources, "AWS::Events::Rule").values()
        if "HealthScheduleLambdaFunction" in json.dumps(r["Properties"].get("Targets", []))
    )
    assert rule == "rate(6 hours)"
    assert silent["Period"] * silent["EvaluationPeriods"] == 2 * 6 * 3600
    assert silent["DatapointsToAlarm"] == silent["EvaluationPeriods"]


def test_every_alarm_acts_on_the_ops_topic_which_the_ops_function_reads(resources):
    alarms = _alarms(resources)
    assert len(alarms) >= 9 * 3 + 4 + 3 + 2
    topic = {"Ref": "OpsAlarmTopic"}
    for name, alarm in alarms.items():
        assert topic in alarm["AlarmActions"] and topic in alarm["OKActions"], name
    assert resources["OpsAlarmTopic"]["Type"] == "AWS::SNS::Topic"
    ops, _ = _function(resources, "bot/workers/ops_alarms.handler")
    subscriptions = [
        s["Properties"]
        for s in _of_type(resources, "AWS::SNS::Subscription").values()
        if s["Properties"]["TopicArn"] == topic
    ]
    assert [s["Protocol"] for s in subscriptions] == ["lambda"] and ops in json.dumps(subscriptions[0]["Endpoint"])


def test_the_ops_functions_own_errors_also_go_out_by_email(resources):
    (errors,) = _alarmed(_alarms(resources), "AWS/Lambda", "Errors", "OpsLambdaFunction")
    assert {"Ref": "OpsSelfAlarmTopic"} in errors["AlarmActions"]
    emails = [
        s["Properties"]
        for s in _of_type(resources, "AWS::SNS::Subscription").values()
        if s["Properties"]["TopicArn"] == {"Ref": "OpsSelfAlarmTopic"}
    ]
    assert [e["Protocol"] for e in emails] == ["email"] and "@" in emails[0]["Endpoint"]


def test_only_dead_letter_queues_of_sqs_queues_can_be_redriven_and_only_by_the_slack_function(resources):
    """Redrive runs in the slack function (the button's lazy listener); the lazy failures' queue is a Lambda
    destination, which StartMessageMoveTask cannot take as a source."""
    slack = json.dumps(resources["SlackIamRoleLambdaExecution"]["Properties"]["Policies"])
    statements = json.loads(slack)[0]["PolicyDocument"]["Statement"]
    movers = [s for s in statements if "sqs:StartMessageMoveTask" in s["Action"]]
    assert len(movers) == 1
    assert {_ref_name(r) for r in movers[0]["Resource"]} == {
        "ReviewSweepDLQ",
        "HealthCheckDLQ",
        "HealthNotificationsDLQ",
    }
    senders = {_ref_name(r) for s in statements if "sqs:SendMessage" in s["Action"] for r in s["Resource"]}
    assert {"ReviewSweepQueue", "HealthCheckQueue", "HealthNotificationsQueue"} <= senders
    ops = json.dumps(resources["OpsIamRoleLambdaExecution"]["Properties"]["Policies"])
    assert "sqs:StartMessageMoveTask" not in ops and "sqs:ReceiveMessage" in ops and "LazyFailureQueue" in ops
