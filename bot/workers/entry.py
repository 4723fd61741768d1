"""Lambda entry points over the process runtime, built once per container, and the SQS batch
processor the health workers share.

A worker's handler is made from the runtime's `Deps` (settings with SSM secrets, the store client,
the Slack client, the SP-API factory) on the first invocation and kept for the container's life.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType

from bot import runtime
from bot.deps import Deps
from bot.logging_setup import lambda_entry
from infra import metrics

# What a worker's Lambda returns: SQS's batchItemFailures, or counts for the logs and the console.
LambdaResult = Mapping[str, Any]
LambdaHandler = Callable[[dict[str, Any], Any], LambdaResult]
H = TypeVar("H", bound=Callable[..., Any])


def instrumented(handler: H) -> H:
    """Every worker's Lambda entry: log lines with cold_start and a correlation id (bot.logging_setup), and the
    invocation's metrics published as one EMF line when it ends (infra.metrics)."""
    return metrics.log_metrics(lambda_entry(handler))


class ContainerEntry:
    """A Lambda handler built by `make_handler(deps)` on first use, then reused."""

    def __init__(self, make_handler: Callable[[Deps], LambdaHandler]) -> None:
        self.make_handler = make_handler
        self.built: LambdaHandler | None = None
        self._accounts: object = None
        self._invoke = instrumented(self._run)

    def __call__(self, event: dict[str, Any], context: Any) -> LambdaResult:
        return self._invoke(event, context)

    def _run(self, event: dict[str, Any], context: Any) -> LambdaResult:
        deps = runtime.current().deps
        # Handlers hold the accounts they were built with; accounts live in the store (issue 21), so a
        # changed snapshot (a new object) rebuilds the handler instead of serving yesterday's accounts.
        accounts = deps.accounts
        if self.built is None or accounts is not self._accounts:
            self.built, self._accounts = self.make_handler(deps), accounts
        return self.built(event, context)


def sqs_batch_processor() -> BatchProcessor:
    """Reports failed records in batchItemFailures (ReportBatchItemFailures), even when all of them failed:
    powertools' default raise for a wholly failed batch would count as a function error (error alarms,
    Lambda backoff)."""
    return BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
