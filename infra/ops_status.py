"""Cheap AWS reads behind `/sellerbot status`: SQS queue depths and CloudWatch 24 h sums.

boto3 clients are created on first use (importing this module loads no boto3 and needs no region).
A read that fails raises `Unreadable` with a short reason built from AWS's error code, never the
exception's text (it can carry ARNs, request ids and account ids).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pydantic import BaseModel

# GetMetricData takes at most 500 queries a call (API reference, MetricDataQueries).
MAX_QUERIES = 500
DEPTH_ATTRIBUTES = (
    "ApproximateNumberOfMessages",
    "ApproximateNumberOfMessagesNotVisible",
    "ApproximateNumberOfMessagesDelayed",
)


class Unreadable(Exception):
    """A figure could not be read; `reason` says why in a few words (shown as "unknown: <reason>")."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class QueueDepth(BaseModel):
    visible: int  # ApproximateNumberOfMessages: waiting to be received
    in_flight: int  # ApproximateNumberOfMessagesNotVisible: received, not yet deleted
    delayed: int  # ApproximateNumberOfMessagesDelayed: not yet visible (DelaySeconds)


class MetricQuery(BaseModel):
    id: str  # GetMetricData query id: starts with a lower-case letter, then letters, digits, _
    namespace: str
    name: str
    dimensions: dict[str, str]
    stat: str = "Sum"


def refusal(service: str, exc: Exception) -> Unreadable:
    """The reason a botocore failure gives, in words: the AWS error code, or the kind of failure."""
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        code = str((response.get("Error") or {}).get("Code") or "error")
        return Unreadable(f"{service} refused: {code}")
    kind = type(exc).__name__
    if kind in ("NoCredentialsError", "PartialCredentialsError"):
        return Unreadable(f"{service}: no AWS credentials")
    if kind in ("NoRegionError",):
        return Unreadable(f"{service}: no AWS region configured")
    return Unreadable(f"{service} unreachable: {kind}")


class _LazyClient:
    def __init__(self, service: str, endpoint_url: str | None, region: str | None) -> None:
        self.service, self.endpoint_url, self.region = service, endpoint_url, region
        self._client: Any = None
        self._lock = threading.Lock()

    def get(self) -> Any:
        with self._lock:
            if self._client is None:
                import boto3  # only a status view reads queues and metrics
                from botocore.config import Config

                self._client = boto3.client(
                    self.service,
                    endpoint_url=self.endpoint_url or os.environ.get("SELLERBOT_AWS_ENDPOINT_URL") or None,
                    region_name=self.region,
                    # A status view answers in seconds: an unreachable endpoint is "unknown", not a long wait.
                    config=Config(connect_timeout=2, read_timeout=5, retries={"max_attempts": 2, "mode": "standard"}),
                )
            return self._client


class SqsQueueDepths:
    """`GetQueueAttributes` for the three approximate counts of one queue."""

    def __init__(self, endpoint_url: str | None = None, region: str | None = None, client: Any = None) -> None:
        self._client = _LazyClient("sqs", endpoint_url, region)
        self._client._client = client

    def depth(self, queue_url: str) -> QueueDepth:
        try:
            attrs = self._client.get().get_queue_attributes(QueueUrl=queue_url, AttributeNames=list(DEPTH_ATTRIBUTES))[
                "Attributes"
            ]
        except Exception as exc:
            raise refusal("SQS", exc) from exc
        try:
            return QueueDepth(
                visible=int(attrs[DEPTH_ATTRIBUTES[0]]),
                in_flight=int(attrs[DEPTH_ATTRIBUTES[1]]),
                delayed=int(attrs[DEPTH_ATTRIBUTES[2]]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise Unreadable("SQS answered without the queue's message counts") from exc


class CloudWatchSums:
    """One `GetMetricData` call: the sum of each query's datapoints between `start` and `end`.

    A series with no datapoints sums to 0.0: AWS/Lambda and EMF publish nothing for a period without
    invocations or events. A query CloudWatch answers with an error status comes back as None."""

    def __init__(self, endpoint_url: str | None = None, region: str | None = None, client: Any = None) -> None:
        self._client = _LazyClient("cloudwatch", endpoint_url, region)
        self._client._client = client

    def sums(
        self, queries: Sequence[MetricQuery], start: datetime, end: datetime, period: int
    ) -> dict[str, float | None]:
        if len(queries) > MAX_QUERIES:
            raise Unreadable(f"too many metrics for one GetMetricData call ({len(queries)})")
        request = [
            {
                "Id": q.id,
                "MetricStat": {
                    "Metric": {
                        "Namespace": q.namespace,
                        "MetricName": q.name,
                        "Dimensions": [{"Name": k, "Value": v} for k, v in q.dimensions.items()],
                    },
                    "Period": period,
                    "Stat": q.stat,
                },
                "ReturnData": True,
            }
            for q in queries
        ]
        found: dict[str, float | None] = {q.id: None for q in queries}
        token: str | None = None
        try:
            client = self._client.get()
            while True:
                kwargs: dict[str, Any] = {"MetricDataQueries": request, "StartTime": start, "EndTime": end}
                if token:
                    kwargs["NextToken"] = token
                answer = client.get_metric_data(**kwargs)
                for result in answer.get("MetricDataResults") or []:
                    rid = result.get("Id")
                    if rid not in found or result.get("StatusCode") in ("InternalError", "Forbidden"):
                        continue
                    found[rid] = (found[rid] or 0.0) + sum(float(v) for v in result.get("Values") or [])
                token = answer.get("NextToken")
                if not token:
                    break
        except Exception as exc:
            raise refusal("CloudWatch", exc) from exc
        return found
