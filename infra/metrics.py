"""Business metrics as CloudWatch Embedded Metric Format (EMF): at most one line per Lambda invocation.

    from infra import metrics
    metrics.count(metrics.COMMANDS_HANDLED)
    metrics.count(metrics.SPAPI_CALLS, detail="createReport")

    @metrics.log_metrics            # on every Lambda entry point: publishes once, when the handler ends
    def handler(event, context): ...

Namespace `Sellerbot`; dimensions `service` (POWERTOOLS_SERVICE_NAME, "sellerbot") and `stage`
(SELLERBOT_STAGE) only. Each namespace + name + dimension set is a billed custom metric, so account ids,
marketplaces, SP-API operations and Slack methods are never dimensions: they go into the line's `detail`
metadata (`{"SpApiThrottles": {"getReport": 2}}`), which CloudWatch keeps in the log event (Logs Insights
reads it) without making a metric of it. The names are a fixed set (METRICS): an unknown name raises.

Counts are summed here and handed to Powertools' Metrics once, at flush: Powertools flushes by itself at
the 100th value of a metric, which a sweep's SP-API calls would reach (a second EMF line). Publishing
happens on Lambda only (AWS_LAMBDA_FUNCTION_NAME set, POWERTOOLS_METRICS_DISABLED not true); elsewhere
(tests, the local server, the CLI) the counts are dropped at flush, and `recording()` lets a test see them.
"""

from __future__ import annotations

import functools
import os
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

NAMESPACE = "Sellerbot"
DEFAULT_SERVICE = "sellerbot"

COMMANDS_HANDLED = "CommandsHandled"  # slash commands acked by the Slack function
SLOW_ACKS = "SlowAcks"  # Slack requests whose ack took more than SLOW_ACK_SECONDS
SPAPI_CALLS = "SpApiCalls"  # SP-API requests sent (each attempt); detail: the operation
SPAPI_THROTTLES = "SpApiThrottles"  # of which Amazon answered 429; detail: the operation
SLACK_API_ERRORS = "SlackApiErrors"  # Slack Web API calls that failed; detail: the method
HEALTH_CHECKS_SUCCEEDED = "HealthChecksSucceeded"  # account × marketplace checks that read the report
HEALTH_CHECKS_FAILED = "HealthChecksFailed"  # checks that ended in an error (retried or given up)
REVIEW_REQUESTS_SENT = "ReviewRequestsSent"  # review solicitations Amazon accepted
REVIEW_REQUESTS_SKIPPED = "ReviewRequestsSkipped"  # orders not solicited (ineligible, already sent, ...)
COMPLIANCE_PASSED = "ComplianceVerdictsPass"  # compliance checks without a violation (ok, warning: detail)
COMPLIANCE_FAILED = "ComplianceVerdictsFail"  # compliance checks with a violation
MESSAGES_PARKED = "MessagesParked"  # messages a worker copied into a dead-letter queue

# Every custom metric the bot emits (the issue allows at most 30; each is billed per month).
METRICS = (
    COMMANDS_HANDLED,
    SLOW_ACKS,
    SPAPI_CALLS,
    SPAPI_THROTTLES,
    SLACK_API_ERRORS,
    HEALTH_CHECKS_SUCCEEDED,
    HEALTH_CHECKS_FAILED,
    REVIEW_REQUESTS_SENT,
    REVIEW_REQUESTS_SKIPPED,
    COMPLIANCE_PASSED,
    COMPLIANCE_FAILED,
    MESSAGES_PARKED,
)
DIMENSIONS = ("service", "stage")
SLOW_ACK_SECONDS = 2.5

F = TypeVar("F", bound=Callable[..., Any])

_lock = threading.Lock()
_counts: Counter[str] = Counter()
_details: defaultdict[str, Counter[str]] = defaultdict(Counter)


@dataclass
class Recorder:
    """What was counted while `recording()` was open (a test double: nothing is printed for it)."""

    counts: Counter[str] = field(default_factory=Counter)
    details: defaultdict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))


_recorders: list[Recorder] = []


def count(name: str, value: int = 1, *, detail: str | None = None) -> None:
    """Add `value` to metric `name` for this invocation; `detail` (an operation, a method) is kept as metadata."""
    if name not in METRICS:
        raise ValueError(f"unknown metric {name!r}: add it to infra.metrics.METRICS (at most 30 in all)")
    with _lock:
        _counts[name] += value
        if detail:
            _details[name][detail] += value
        for recorder in _recorders:
            recorder.counts[name] += value
            if detail:
                recorder.details[name][detail] += value


def count_spapi(operation: str, *, throttled: bool) -> None:
    count(SPAPI_CALLS, detail=operation)
    if throttled:
        count(SPAPI_THROTTLES, detail=operation)


def publishing() -> bool:
    """EMF lines are printed on Lambda only (CloudWatch turns them into metrics from the function's log)."""
    disabled = os.environ.get("POWERTOOLS_METRICS_DISABLED", "").strip().lower() in ("1", "true", "yes", "on")
    return bool(os.environ.get("AWS_LAMBDA_FUNCTION_NAME")) and not disabled


_emf: Any = None


def _powertools_metrics() -> Any:
    """Powertools' EMF writer, built once per container (on Lambda at init: `prepare()`)."""
    global _emf
    if _emf is None:
        from aws_lambda_powertools.metrics import Metrics  # only where lines are printed

        emf = Metrics(namespace=NAMESPACE, service=os.environ.get("POWERTOOLS_SERVICE_NAME") or DEFAULT_SERVICE)
        emf.set_default_dimensions(stage=os.environ.get("SELLERBOT_STAGE") or "local")
        _emf = emf
    return _emf


def prepare() -> None:
    """Import and build the EMF writer now (Lambda's init phase), not in the first request's time."""
    if publishing():
        _powertools_metrics()


def flush() -> None:
    """Print this invocation's counts as one EMF line (on Lambda), then start again from zero."""
    with _lock:
        counts = dict(_counts)
        details = {name: dict(per) for name, per in _details.items()}
        _counts.clear()
        _details.clear()
    if not counts or not publishing():
        return
    emf = _powertools_metrics()
    for name, value in counts.items():
        emf.add_metric(name=name, unit="Count", value=value)
    if details:
        emf.add_metadata(key="detail", value=details)
    emf.flush_metrics()


def log_metrics(handler: F) -> F:
    """Decorate a Lambda entry point: whatever it counted is published once when it returns or raises."""

    @functools.wraps(handler)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return handler(*args, **kwargs)
        finally:
            flush()

    return wrapper  # type: ignore[return-value]


@contextmanager
def recording() -> Iterator[Recorder]:
    """Record every count made inside the block (tests)."""
    recorder = Recorder()
    with _lock:
        _recorders.append(recorder)
    try:
        yield recorder
    finally:
        with _lock:
            _recorders.remove(recorder)
