"""SQS dead-letter redrive (issue 20): `StartMessageMoveTask` from a DLQ back to its source queue.

The source is what SQS itself knows (`ListDeadLetterSourceQueues`), never a name from a click: a queue
with no source queue (the lazy listeners' failure destination, filled by Lambda) cannot be redriven.
The destination is always passed: HealthNotificationsDLQ also holds EventBridge dead letters, which have
no SQS source of their own. One move task runs per queue at a time (SQS refuses a second).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from infra.sqs import sqs_client

FINISHED = frozenset({"COMPLETED", "CANCELLED", "FAILED"})


class RedriveUnavailable(Exception):
    """The queue cannot be redriven; the message says why and what to do."""


class MoveTask(BaseModel):
    """A move task as ListMessageMoveTasks reports it (botocore's ListMessageMoveTasksResultEntry)."""

    task_handle: str = ""
    status: str = ""
    source_arn: str = ""
    destination_arn: str = ""
    moved: int = 0
    to_move: int | None = None
    failure_reason: str | None = None

    @property
    def finished(self) -> bool:
        return self.status in FINISHED


class RedriveStarted(BaseModel):
    task_handle: str
    dead_letter_queue: str
    source_queue: str
    source_arn: str
    waiting: int


class Redrive:
    def __init__(self, sqs: Any = None, endpoint_url: str | None = None) -> None:
        self.sqs = sqs or sqs_client(endpoint_url)

    def _arn(self, url: str) -> str:
        return str(self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"])

    def start(self, dead_letter_queue: str) -> RedriveStarted:
        dlq_url = self.sqs.get_queue_url(QueueName=dead_letter_queue)["QueueUrl"]
        sources = self.sqs.list_dead_letter_source_queues(QueueUrl=dlq_url).get("queueUrls") or []
        if len(sources) != 1:
            raise RedriveUnavailable(
                f"{dead_letter_queue} is the dead-letter queue of {len(sources)} queues, not of exactly one: "
                "move its messages by hand in the SQS console (Start DLQ redrive)."
            )
        attributes = self.sqs.get_queue_attributes(
            QueueUrl=dlq_url, AttributeNames=["QueueArn", "ApproximateNumberOfMessages"]
        )["Attributes"]
        source_arn = self._arn(sources[0])
        handle = self.sqs.start_message_move_task(SourceArn=attributes["QueueArn"], DestinationArn=source_arn)[
            "TaskHandle"
        ]
        return RedriveStarted(
            task_handle=handle,
            dead_letter_queue=dead_letter_queue,
            source_queue=sources[0].rsplit("/", 1)[-1],
            source_arn=attributes["QueueArn"],
            waiting=int(attributes.get("ApproximateNumberOfMessages", 0)),
        )

    def task(self, source_arn: str, task_handle: str) -> MoveTask | None:
        """The move task's progress. SQS lists the newest task first and gives its TaskHandle only while it
        runs: a finished newest task is ours, as one task runs per queue at a time."""
        for entry in (self.sqs.list_message_move_tasks(SourceArn=source_arn, MaxResults=1).get("Results") or [])[:1]:
            if entry.get("TaskHandle") in (task_handle, None):
                return MoveTask(
                    task_handle=entry.get("TaskHandle") or task_handle,
                    status=entry.get("Status", ""),
                    source_arn=entry.get("SourceArn", ""),
                    destination_arn=entry.get("DestinationArn", ""),
                    moved=int(entry.get("ApproximateNumberOfMessagesMoved") or 0),
                    to_move=entry.get("ApproximateNumberOfMessagesToMove"),
                    failure_reason=entry.get("FailureReason"),
                )
        return None


def peek(queue_url: str, *, sqs: Any = None, endpoint_url: str | None = None, limit: int = 10) -> list[str]:
    """Up to `limit` message bodies, left in the queue (visibility 0): the lazy failures' alarm reads them."""
    sqs = sqs or sqs_client(endpoint_url)
    messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=min(limit, 10), VisibilityTimeout=0)
    return [str(m.get("Body", "")) for m in messages.get("Messages") or []]
