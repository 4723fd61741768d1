"""A stand-in for SQS's message move tasks in front of the moto server (moto 5.2 has none).

It answers `StartMessageMoveTask` and `ListMessageMoveTasks` over the same HTTP endpoint boto3 already uses,
in the JSON protocol, with requests and answers checked against botocore's own SQS model
(`botocore/data/sqs/2012-11-05/service-2.json`): a request the real service would refuse as malformed is
refused here, and an answer carries only what that model defines. The move itself is done through moto's
own SQS API (receive from the source, send to the destination, delete), synchronously: the task is
COMPLETED when StartMessageMoveTask returns, which real SQS reaches later (the code under test polls).
"""

from __future__ import annotations

import json
import threading
import uuid
from datetime import UTC, datetime
from typing import Any

import boto3
import botocore.session
from botocore.validate import ParamValidator

from tests.support.aws import REGION

_MODEL = botocore.session.get_session().get_service_model("sqs")
TARGET_PREFIX = "AmazonSQS."
HANDLED = ("StartMessageMoveTask", "ListMessageMoveTasks")


def _check(shape_of: str, operation: str, params: dict[str, Any]) -> list[str]:
    op = _MODEL.operation_model(operation)
    shape = op.input_shape if shape_of == "input" else op.output_shape
    report = ParamValidator().validate(params, shape)
    return [report.generate_report()] if report.has_errors() else []


class MoveTaskStandIn:
    """WSGI middleware: the two operations here, everything else to moto."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.endpoint = ""
        self.tasks: dict[str, list[dict[str, Any]]] = {}  # source ARN -> tasks, newest first
        self.lock = threading.Lock()
        self.answers: list[tuple[str, dict[str, Any]]] = []

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        operation = target.removeprefix(TARGET_PREFIX)
        if not target.startswith(TARGET_PREFIX) or operation not in HANDLED:
            return self.app(environ, start_response)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        params = json.loads(environ["wsgi.input"].read(length) or b"{}")
        errors = _check("input", operation, params)
        if errors:
            return self._reply(
                start_response, 400, {"__type": "com.amazonaws.sqs#InvalidParameterValue", "message": errors[0]}
            )
        with self.lock:
            answer = self._start(params) if operation == "StartMessageMoveTask" else self._list(params)
        assert not _check("output", operation, answer), _check("output", operation, answer)
        self.answers.append((operation, answer))
        return self._reply(start_response, 200, answer)

    @staticmethod
    def _reply(start_response: Any, status: int, body: dict[str, Any]) -> list[bytes]:
        raw = json.dumps(body).encode()
        start_response(
            f"{status} {'OK' if status == 200 else 'Bad Request'}",
            [("Content-Type", "application/x-amz-json-1.0"), ("Content-Length", str(len(raw)))],
        )
        return [raw]

    def _sqs(self) -> Any:
        return boto3.client("sqs", endpoint_url=self.endpoint, region_name=REGION)

    def _url(self, arn: str) -> str:
        return self._sqs().get_queue_url(QueueName=arn.rsplit(":", 1)[-1])["QueueUrl"]

    def _start(self, params: dict[str, Any]) -> dict[str, Any]:
        sqs = self._sqs()
        source, destination = self._url(params["SourceArn"]), self._url(params["DestinationArn"])
        moved = 0
        while True:
            batch = sqs.receive_message(QueueUrl=source, MaxNumberOfMessages=10).get("Messages") or []
            if not batch:
                break
            for message in batch:
                sqs.send_message(QueueUrl=destination, MessageBody=message["Body"])
                sqs.delete_message(QueueUrl=source, ReceiptHandle=message["ReceiptHandle"])
                moved += 1
        handle = uuid.uuid4().hex
        self.tasks.setdefault(params["SourceArn"], []).insert(
            0,
            {
                "Status": "COMPLETED",
                "SourceArn": params["SourceArn"],
                "DestinationArn": params["DestinationArn"],
                "ApproximateNumberOfMessagesMoved": moved,
                "ApproximateNumberOfMessagesToMove": moved,
                "StartedTimestamp": int(datetime.now(UTC).timestamp() * 1000),
            },
        )
        return {"TaskHandle": handle}

    def _list(self, params: dict[str, Any]) -> dict[str, Any]:
        limit = int(params.get("MaxResults") or 1)
        return {"Results": self.tasks.get(params["SourceArn"], [])[:limit]}
