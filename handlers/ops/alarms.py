"""CloudWatch alarm notifications as SNS delivers them to the ops function (issue 20), read into models.

SNS invokes Lambda with `Records[].Sns.Message`, a JSON string holding the alarm: `AlarmName`,
`NewStateValue` (ALARM / OK / INSUFFICIENT_DATA), `NewStateReason`, `AlarmArn` and a `Trigger` with the
metric, its dimensions (lower-case `name`/`value`), the statistic and the threshold (the shape of AWS's own
example, aws/aws-lambda-go events/testdata/cloudwatch-alarm-sns-payload-single-metric.json). `Region` is
the long name ("US East (N. Virginia)"): the region code comes from the alarm's ARN.

What kind of alarm it is follows the names tools/gen_alarms.py gives: `...-dlq-<queue>` watches a
dead-letter queue (it can be redriven), `...-lazy-failures` the lazy listeners' failure destination (it
cannot: Lambda, not SQS, put the records there).
"""

from __future__ import annotations

import json
import re
from typing import Any, Literal
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict, Field

AlarmKind = Literal["dlq", "lazy_failures", "other"]
AlarmState = Literal["ALARM", "OK", "INSUFFICIENT_DATA"]

_REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-[0-9]")
_DATAPOINT = re.compile(r"\[(-?[0-9.Ee+-]+) \(")
_OPERATORS = {
    "GreaterThanOrEqualToThreshold": ">=",
    "GreaterThanThreshold": ">",
    "LessThanThreshold": "<",
    "LessThanOrEqualToThreshold": "<=",
}


class Dimension(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: str
    value: str


class Trigger(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    metric_name: str = Field("", alias="MetricName")
    namespace: str = Field("", alias="Namespace")
    statistic: str | None = Field(None, alias="Statistic")
    extended_statistic: str | None = Field(None, alias="ExtendedStatistic")
    dimensions: list[Dimension] = Field(default_factory=list, alias="Dimensions")
    period: int = Field(0, alias="Period")
    evaluation_periods: int = Field(1, alias="EvaluationPeriods")
    comparison_operator: str = Field("", alias="ComparisonOperator")
    threshold: float = Field(0.0, alias="Threshold")

    def dimension(self, name: str) -> str | None:
        return next((d.value for d in self.dimensions if d.name == name), None)

    @property
    def stat(self) -> str:
        """CloudWatch's statistic name (SNS writes `SUM`, `MAXIMUM`; the console wants `Sum`, `Maximum`)."""
        if self.extended_statistic:
            return self.extended_statistic
        return (self.statistic or "Sum").capitalize().replace("Samplecount", "SampleCount")

    @property
    def rule(self) -> str:
        """`Maximum > 0 over 300 s`: the threshold as the alarm compares it."""
        op = _OPERATORS.get(self.comparison_operator, self.comparison_operator)
        periods = f" for {self.evaluation_periods} periods" if self.evaluation_periods > 1 else ""
        return f"{self.stat} {op} {_number(self.threshold)} over {self.period} s{periods}"


class AlarmNotification(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    name: str = Field(alias="AlarmName", min_length=1)
    description: str = Field("", alias="AlarmDescription")
    state: AlarmState = Field(alias="NewStateValue")
    old_state: str = Field("", alias="OldStateValue")
    reason: str = Field("", alias="NewStateReason")
    changed_at: str = Field("", alias="StateChangeTime")
    arn: str = Field("", alias="AlarmArn")
    trigger: Trigger = Field(default_factory=Trigger, alias="Trigger")

    @property
    def kind(self) -> AlarmKind:
        if self.name.endswith("-lazy-failures"):
            return "lazy_failures"
        if "-dlq-" in self.name and self.trigger.dimension("QueueName"):
            return "dlq"
        return "other"

    @property
    def queue_name(self) -> str | None:
        return self.trigger.dimension("QueueName")

    @property
    def region(self) -> str:
        """The region code from `arn:aws:cloudwatch:REGION:ACCOUNT:alarm:NAME` (us-east-1 if unreadable)."""
        parts = self.arn.split(":")
        # Only a well-formed code: the region goes into a console URL inside a Slack link.
        return parts[3] if len(parts) > 3 and _REGION.fullmatch(parts[3]) else "us-east-1"

    @property
    def current_value(self) -> str | None:
        """The newest datapoint CloudWatch quotes in the reason (`[1234.0 (06/03/15 17:43:27)]`), if any."""
        found = _DATAPOINT.search(self.reason)
        return _number(float(found.group(1))) if found else None

    @property
    def metric_url(self) -> str:
        """The alarm's metric graphed in the CloudWatch console (its `metricsV2` deep link)."""
        t = self.trigger
        metric: list[str] = [t.namespace, t.metric_name]
        for d in t.dimensions:
            metric += [d.name, d.value]
        graph = {"metrics": [metric], "stat": t.stat, "period": t.period or 300, "region": self.region}
        return (
            f"https://{self.region}.console.aws.amazon.com/cloudwatch/home?region={self.region}"
            f"#metricsV2:graph={_jsurl(graph)}"
        )

    @property
    def alarm_url(self) -> str:
        return (
            f"https://{self.region}.console.aws.amazon.com/cloudwatch/home?region={self.region}"
            f"#alarmsV2:alarm/{quote(self.name, safe='')}"
        )


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _jsurl(value: Any) -> str:
    """The console's URL encoding of a graph (JSURL: `~(key~value)`, `~'string`, others as `*XX`)."""
    if isinstance(value, dict):
        return "~(" + "~".join(f"{_jsurl_text(k)}{_jsurl(v)}" for k, v in value.items()) + ")"
    if isinstance(value, list):
        return "~(" + "".join(_jsurl(v) for v in value) + ")"
    if isinstance(value, bool):
        return "~" + str(value).lower()
    if isinstance(value, int | float):
        return "~" + _number(float(value))
    return "~'" + _jsurl_text(str(value))


def _jsurl_text(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else f"*{ord(c):02x}" for c in text)


class NotAnAlarm(ValueError):
    """An SNS record whose message is not a CloudWatch alarm (a subscription test, another publisher)."""


def parse_sns_event(event: dict[str, Any]) -> list[AlarmNotification]:
    """Every alarm in an SNS event; NotAnAlarm names a record that is not one."""
    alarms = []
    for n, record in enumerate(event.get("Records") or []):
        message = ((record or {}).get("Sns") or {}).get("Message")
        try:
            alarms.append(AlarmNotification.model_validate(json.loads(str(message))))
        except (TypeError, ValueError) as exc:
            raise NotAnAlarm(f"record {n} is not a CloudWatch alarm notification: {type(exc).__name__}") from exc
    return alarms
