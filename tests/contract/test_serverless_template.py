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
