"""The status adapters against moto over HTTP: SQS GetQueueAttributes and CloudWatch GetMetricData."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from handlers.ops.status import Release, StatusReader
from infra.accounts import load_accounts
from infra.ops_status import CloudWatchSums, MetricQuery, SqsQueueDepths, Unreadable
from tests.support.aws import REGION, aws_client

UNREACHABLE = "http://127.0.0.1:9"


def test_queue_depths_count_waiting_in_flight_and_delayed(moto_server, sqs_queue):
    client, url = sqs_queue
    for n in range(3):
        client.send_message(QueueUrl=url, MessageBody=f"m{n}")
    client.send_message(QueueUrl=url, MessageBody="later", DelaySeconds=900)
    client.receive_message(QueueUrl=url, MaxNumberOfMessages=1, VisibilityTimeout=600)
    depth = SqsQueueDepths(endpoint_url=moto_server, region=REGION).depth(url)
    assert (depth.visible, depth.in_flight, depth.delayed) == (2, 1, 1)


def test_a_missing_queue_is_refused_with_sqs_code(moto_server, sqs_queue):
    _, url = sqs_queue
    with pytest.raises(Unreadable) as refused:
        SqsQueueDepths(endpoint_url=moto_server, region=REGION).depth(url + "-gone")
    assert refused.value.reason.startswith("SQS refused: ")
    assert "gone" not in refused.value.reason  # the code, not the message (which names the queue)


def test_unreachable_sqs_is_unknown_not_zero():
    with pytest.raises(Unreadable) as refused:
        SqsQueueDepths(endpoint_url=UNREACHABLE, region=REGION).depth(f"{UNREACHABLE}/123/q")
    assert refused.value.reason.startswith("SQS unreachable: ")


def test_get_metric_data_sums_the_last_24_hours(moto_server):
    cloudwatch = aws_client("cloudwatch", moto_server)
    now = datetime.now(UTC).replace(microsecond=0)
    dims = [{"Name": "service", "Value": "sellerbot"}, {"Name": "stage", "Value": "t1"}]
    for minutes_ago, value in ((5, 4.0), (60, 3.0), (60 * 30, 100.0)):  # the last one is outside 24 h
        cloudwatch.put_metric_data(
            Namespace="Sellerbot",
            MetricData=[
                {
                    "MetricName": "SpApiThrottles",
                    "Dimensions": dims,
                    "Value": value,
                    "Timestamp": now - timedelta(minutes=minutes_ago),
                }
            ],
        )
    queries = [
        MetricQuery(
            id="spapi", namespace="Sellerbot", name="SpApiThrottles", dimensions={"service": "sellerbot", "stage": "t1"}
        ),
        MetricQuery(
            id="none",
            namespace="Sellerbot",
            name="SpApiThrottles",
            dimensions={"service": "sellerbot", "stage": "other"},
        ),
    ]
    sums = CloudWatchSums(endpoint_url=moto_server, region=REGION).sums(queries, now - timedelta(hours=24), now, 86400)
    assert sums == {"spapi": 7.0, "none": 0.0}


def test_unreachable_cloudwatch_makes_errors_unknown(store):
    reader = StatusReader(
        store=store,
        accounts=load_accounts(),
        stage="dev",
        service="sellerbot",
        release=Release(version="v1"),
        queue_urls={},
        queues=None,
        metrics=CloudWatchSums(endpoint_url=UNREACHABLE, region=REGION),
        now=lambda: datetime.now(UTC),
    )
    errors = reader.read().errors_24h
    assert errors.errors is None and errors.spapi_throttles is None
    assert errors.unknown.startswith("CloudWatch unreachable: ")


def test_status_reads_queue_depths_from_the_configured_urls(moto_server, sqs_queue, store):
    client, url = sqs_queue
    client.send_message(QueueUrl=url, MessageBody="parked")
    reader = StatusReader(
        store=store,
        accounts=load_accounts(),
        stage="dev",
        service="sellerbot",
        release=Release(version="v1"),
        queue_urls={"SELLERBOT_HEALTH_CHECK_DLQ_URL": url},
        queues=SqsQueueDepths(endpoint_url=moto_server, region=REGION),
        metrics=CloudWatchSums(endpoint_url=moto_server, region=REGION),
        now=lambda: datetime.now(UTC),
    )
    status = reader.read()
    rows = {q.name: q for q in status.queues}
    assert rows["HealthCheckDLQ"].depth == 1 and rows["HealthCheckDLQ"].unknown is None
    assert rows["HealthCheckQueue"].depth is None and "no queue URL configured" in rows["HealthCheckQueue"].unknown
    # Moto answers GetMetricData for the Lambda metrics with empty series: nothing failed, nothing invoked.
    assert status.errors_24h.errors == 0 and status.errors_24h.unknown is None
