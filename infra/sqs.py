"""SQS fan-out shared by the scheduled workers: SendMessageBatch in chunks of 10, refused entries
retried once, then a loud failure (EventBridge retries the whole scheduled run)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

BATCH_LIMIT = 10  # SendMessageBatch takes at most 10 entries


def sqs_client(endpoint_url: str | None = None) -> Any:
    """A boto3 SQS client (untyped library), created when a worker sends: importing this module needs no region."""
    import boto3  # only the scheduled workers send; the modules that import this one load without it

    return boto3.client("sqs", endpoint_url=endpoint_url or os.environ.get("SELLERBOT_AWS_ENDPOINT_URL") or None)


def send_batches(messages: Sequence[tuple[BaseModel, int]], queue_url: str, *, what: str, sqs: Any = None) -> int:
    """Send each (message, delay seconds); returns how many were sent."""
    sqs = sqs or sqs_client()
    for start in range(0, len(messages), BATCH_LIMIT):
        chunk = messages[start : start + BATCH_LIMIT]
        entries = [
            {"Id": str(i), "MessageBody": message.model_dump_json(), "DelaySeconds": delay}
            for i, (message, delay) in enumerate(chunk)
        ]
        failed = sqs.send_message_batch(QueueUrl=queue_url, Entries=entries).get("Failed") or []
        if failed:
            refused = {f["Id"] for f in failed}
            failed = (
                sqs.send_message_batch(QueueUrl=queue_url, Entries=[e for e in entries if e["Id"] in refused]).get(
                    "Failed"
                )
                or []
            )
        if failed:
            raise RuntimeError(f"SQS refused {len(failed)} {what}: " + ", ".join(f.get("Code", "?") for f in failed))
    return len(messages)
