"""Writes serverless.alarms.yml, the CloudWatch alarms of every function and queue in serverless.yml (issue 20).

The alarms are derived from serverless.yml itself, so a new function or queue gets its alarms by running
`python tools/gen_alarms.py`; tests/contract/test_serverless_template.py fails while the file is stale.
Plain `AWS::CloudWatch::Alarm` resources (no plugin): they package offline with osls and cfn-lint checks them.

Every alarm acts on `OpsAlarmTopic` (ALARM and OK), which the `ops` function turns into Slack messages.
The ops function's own errors also go to `OpsSelfAlarmTopic` (an e-mail subscription): an ops function
that cannot reach Slack cannot report itself there.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
SERVERLESS = ROOT / "serverless.yml"
OUTPUT = ROOT / "serverless.alarms.yml"
PREFIX = "sellerbot-${sls:stage}"
TOPIC = {"Ref": "OpsAlarmTopic"}
SELF_TOPIC = {"Ref": "OpsSelfAlarmTopic"}
OPS_FUNCTION = "ops"
LAZY_FAILURE_QUEUE = "LazyFailureQueue"

# Duration p99 alarms at this share of the timeout. The review sweep runs to its own deadline (the time left
# minus a margin) on purpose, so only a run that reaches the timeout itself alarms.
DURATION_SHARE = {"reviewSweep": 0.98}
DEFAULT_DURATION_SHARE = 0.8
OSLS_DEFAULT_TIMEOUT = 6
# Oldest message age (s) a work queue may hold before its consumer counts as stuck: notifications are
# read within seconds; a health check waits up to ~10 min per report and drains a 6 h round in < 4.7 h;
# a sweep continuation waits behind at most 5 running sweeps of 15 min.
OLDEST_AGE_SECONDS = {
    "HealthNotificationsQueue": 900,
    "HealthCheckQueue": 14400,
    "ReviewSweepQueue": 3600,
    "AppNotificationsQueue": 900,  # a new LWA secret waiting: the old one stops working 7 days after rotation
}
SPAPI_THROTTLES_PER_15_MIN = 20
HEALTH_SCHEDULE_FUNCTION = "healthSchedule"


class _IgnoreTags(yaml.SafeLoader):
    """Reads serverless.yml with its CloudFormation tags (!Ref, !GetAtt, ...) as plain values."""


_IgnoreTags.add_multi_constructor("!", lambda loader, suffix, node: None)


class _NoAliases(yaml.SafeDumper):
    """Writes every repeated value out in full: the file is read by people, not only by osls."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def logical_id(function: str) -> str:
    """osls's logical id of a function's AWS::Lambda::Function."""
    return function[0].upper() + function[1:].replace("-", "Dash").replace("_", "Underscore") + "LambdaFunction"


def kebab(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"-\1", name).lower()


def _alarm(name: str, description: str, metric: dict[str, Any], *, topics: list[Any] | None = None) -> dict[str, Any]:
    actions = topics or [TOPIC]
    return {
        "Type": "AWS::CloudWatch::Alarm",
        "Properties": {
            "AlarmName": f"{PREFIX}-{name}",
            "AlarmDescription": description,
            **metric,
            "AlarmActions": actions,
            "OKActions": actions,
        },
    }


def _sum_at_least_one(namespace: str, metric: str, dimensions: list[dict[str, Any]], period: int) -> dict[str, Any]:
    return {
        "Namespace": namespace,
        "MetricName": metric,
        "Dimensions": dimensions,
        "Statistic": "Sum",
        "Period": period,
        "EvaluationPeriods": 1,
        "Threshold": 1,
        "ComparisonOperator": "GreaterThanOrEqualToThreshold",
        "TreatMissingData": "notBreaching",
    }


def function_alarms(name: str, function: dict[str, Any], default_timeout: int) -> dict[str, dict[str, Any]]:
    fn = {"Name": "FunctionName", "Value": {"Ref": logical_id(name)}}
    timeout = int(function.get("timeout") or default_timeout)
    share = DURATION_SHARE.get(name, DEFAULT_DURATION_SHARE)
    threshold_ms = int(timeout * 1000 * share)
    # The ops function's own failures cannot reach Slack through itself: they also go out by e-mail.
    topics = [TOPIC, SELF_TOPIC] if name == OPS_FUNCTION else None
    stem = logical_id(name).removesuffix("LambdaFunction")
    return {
        f"{stem}ErrorsAlarm": _alarm(
            f"{kebab(name)}-errors",
            f"Function {name} failed (crash or timeout) at least once in 5 minutes.",
            _sum_at_least_one("AWS/Lambda", "Errors", [fn], 300),
            topics=topics,
        ),
        f"{stem}ThrottlesAlarm": _alarm(
            f"{kebab(name)}-throttles",
            f"Function {name} was throttled (concurrency limit) at least once in 5 minutes.",
            _sum_at_least_one("AWS/Lambda", "Throttles", [fn], 300),
        ),
        f"{stem}DurationAlarm": _alarm(
            f"{kebab(name)}-duration-p99",
            f"Function {name}: p99 duration above {threshold_ms} ms ({int(share * 100)} % of its {timeout} s timeout).",
            {
                "Namespace": "AWS/Lambda",
                "MetricName": "Duration",
                "Dimensions": [fn],
                "ExtendedStatistic": "p99",
                "EvaluateLowSampleCountPercentile": "ignore",
                "Period": 300,
                "EvaluationPeriods": 1,
                "Threshold": threshold_ms,
                "ComparisonOperator": "GreaterThanThreshold",
                "TreatMissingData": "notBreaching",
            },
        ),
    }


def _queue_metric(queue: str, metric: str, statistic: str, threshold: int) -> dict[str, Any]:
    return {
        "Namespace": "AWS/SQS",
        "MetricName": metric,
        "Dimensions": [{"Name": "QueueName", "Value": {"Fn::GetAtt": [queue, "QueueName"]}}],
        "Statistic": statistic,
        "Period": 300,
        "EvaluationPeriods": 1,
        "Threshold": threshold,
        "ComparisonOperator": "GreaterThanThreshold",
        "TreatMissingData": "notBreaching",
    }


def queue_alarms(resources: dict[str, Any]) -> dict[str, dict[str, Any]]:
    alarms: dict[str, dict[str, Any]] = {}
    queues = {n: r for n, r in resources.items() if r.get("Type") == "AWS::SQS::Queue"}
    work = {n: r for n, r in queues.items() if (r.get("Properties") or {}).get("RedrivePolicy")}
    dead_letter = sorted(set(queues) - set(work) - {LAZY_FAILURE_QUEUE})
    for queue in dead_letter:
        # Visible messages, not NumberOfMessagesSent: the redrive policy's moves are not "sent" (SQS guide).
        alarms[f"{queue}DepthAlarm"] = _alarm(
            f"dlq-{kebab(queue)}",
            f"Dead-letter queue {queue} holds messages: work that failed every retry.",
            _queue_metric(queue, "ApproximateNumberOfMessagesVisible", "Maximum", 0),
        )
    if LAZY_FAILURE_QUEUE in queues:
        alarms[f"{LAZY_FAILURE_QUEUE}DepthAlarm"] = _alarm(
            "lazy-failures",
            "A lazy listener of the slack function failed after its retries (Lambda failure destination).",
            _queue_metric(LAZY_FAILURE_QUEUE, "ApproximateNumberOfMessagesVisible", "Maximum", 0),
        )
    for queue in sorted(work):
        seconds = OLDEST_AGE_SECONDS[queue]
        alarms[f"{queue}OldestMessageAlarm"] = _alarm(
            f"oldest-{kebab(queue)}",
            f"Work queue {queue}: its oldest message waits longer than {seconds} s (consumer stuck or too slow).",
            _queue_metric(queue, "ApproximateAgeOfOldestMessage", "Maximum", seconds),
        )
    return alarms


def _schedule_hours(function: dict[str, Any]) -> int:
    for event in function.get("events") or []:
        rate = (event.get("schedule") or {}).get("rate", "")
        found = re.fullmatch(r"rate\((\d+) hours?\)", str(rate))
        if found:
            return int(found.group(1))
    raise ValueError("the health schedule is no longer a rate(N hours): update the dead man's switch")


def custom_metric_alarms(functions: dict[str, Any]) -> dict[str, dict[str, Any]]:
    dimensions = [{"Name": "service", "Value": "sellerbot"}, {"Name": "stage", "Value": "${sls:stage}"}]
    window = 2 * _schedule_hours(functions[HEALTH_SCHEDULE_FUNCTION])
    return {
        "SpApiThrottlesAlarm": _alarm(
            "spapi-throttles",
            f"SP-API answered 429 (throttled) more than {SPAPI_THROTTLES_PER_15_MIN} times in 15 minutes.",
            {
                "Namespace": "Sellerbot",
                "MetricName": "SpApiThrottles",
                "Dimensions": dimensions,
                "Statistic": "Sum",
                "Period": 900,
                "EvaluationPeriods": 1,
                "Threshold": SPAPI_THROTTLES_PER_15_MIN,
                "ComparisonOperator": "GreaterThanThreshold",
                "TreatMissingData": "notBreaching",
            },
        ),
        # A dead man's switch: no data at all (the schedule stopped, the function cannot start) breaches too.
        "HealthChecksSilentAlarm": _alarm(
            "health-checks-silent",
            f"No health check succeeded in {window} h (twice the schedule): checks fail or stopped running.",
            {
                "Namespace": "Sellerbot",
                "MetricName": "HealthChecksSucceeded",
                "Dimensions": dimensions,
                "Statistic": "Sum",
                "Period": 3600,
                "EvaluationPeriods": window,
                "DatapointsToAlarm": window,
                "Threshold": 1,
                "ComparisonOperator": "LessThanThreshold",
                "TreatMissingData": "breaching",
            },
        ),
    }


def build(serverless: dict[str, Any]) -> dict[str, Any]:
    functions = serverless["functions"]
    default_timeout = int(serverless["provider"].get("timeout") or OSLS_DEFAULT_TIMEOUT)
    resources = serverless["resources"]
    # `resources:` is a list: this file's `${file(...)}` include, then the hand-written resources.
    declared = next(r["Resources"] for r in resources if isinstance(r, dict))
    alarms: dict[str, Any] = {}
    for name, function in functions.items():
        alarms.update(function_alarms(name, function, default_timeout))
    alarms.update(queue_alarms(declared))
    alarms.update(custom_metric_alarms(functions))
    return {"Resources": alarms}


def render() -> str:
    serverless = yaml.load(SERVERLESS.read_text(), Loader=_IgnoreTags)
    header = "# Generated by tools/gen_alarms.py from serverless.yml: do not edit, run `python tools/gen_alarms.py`.\n"
    return header + yaml.dump(build(serverless), Dumper=_NoAliases, sort_keys=False, width=120)


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        if OUTPUT.read_text() != text:
            print(f"{OUTPUT.name} is stale: run `python tools/gen_alarms.py`", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
