"""The bot's own status: version, schedules, queues, errors and throttles, health-check coverage.

`StatusReader.read()` assembles a `Status` from the store (heartbeats, check states) and two ports
(queue depths, metric sums). Every figure that cannot be read is None with an `unknown` reason next
to it, never 0: a seller team reads a zero as "nothing wrong". `CachedStatus` keeps the result for a
minute per process, so repeated `/sellerbot status` calls cost one set of reads.

The tables below name what is watched. tests/contract/test_ops_status.py holds them equal to
serverless.yml (schedules and their rates, functions, queues).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Literal, Protocol

from pydantic import BaseModel

from handlers.health.check_state import CheckStateBook, schedule_interval, stale_after
from handlers.ops.heartbeat import Heartbeat, last_runs
from infra.accounts import AccountsConfig
from infra.clock import as_utc
from infra.ops_status import MetricQuery, QueueDepth, Unreadable
from infra.store.base import Store

CACHE_SECONDS = 60.0
WINDOW = timedelta(hours=24)
NAMESPACE = "Sellerbot"  # the custom metrics' namespace (issue 20 item 1)
SPAPI_THROTTLES = "SpApiThrottles"
PAIRS_LISTED = 10  # stale or failed pairs named in the status; the counts cover all


class ScheduleSpec(BaseModel):
    name: str  # the scheduled function in serverless.yml
    what: str
    rate: str  # the EventBridge expression, as in serverless.yml
    interval: timedelta


def schedules() -> tuple[ScheduleSpec, ...]:
    """The four EventBridge schedules; the health-check interval follows SELLERBOT_HEALTH_CHECK_HOURS."""
    health = schedule_interval()
    hours = health.total_seconds() / 3600
    return (
        ScheduleSpec(
            name="healthSchedule",
            what="health checks (fan-out)",
            rate=f"rate({hours:g} hour{'s' if hours != 1 else ''})",
            interval=health,
        ),
        ScheduleSpec(
            name="healthEscalation",
            what="alert escalation",
            rate="rate(15 minutes)",
            interval=timedelta(minutes=15),
        ),
        ScheduleSpec(name="promoExpiry", what="promo expiry", rate="rate(15 minutes)", interval=timedelta(minutes=15)),
        ScheduleSpec(
            name="reviewSweepDispatch", what="review sweep", rate="cron(0 14 * * ? *)", interval=timedelta(days=1)
        ),
        ScheduleSpec(name="lwaRotation", what="LWA secret rotation", rate="rate(7 days)", interval=timedelta(days=7)),
        ScheduleSpec(
            name="affiliatesDigest", what="affiliates digest", rate="cron(0 10 * * ? *)", interval=timedelta(days=1)
        ),
    )


class QueueSpec(BaseModel):
    name: str  # the queue's resource in serverless.yml
    kind: Literal["work", "dlq", "failure"]
    url_env: str  # where the function finds its URL


QUEUES: tuple[QueueSpec, ...] = (
    QueueSpec(name="HealthCheckQueue", kind="work", url_env="SELLERBOT_HEALTH_CHECK_QUEUE_URL"),
    QueueSpec(name="HealthCheckDLQ", kind="dlq", url_env="SELLERBOT_HEALTH_CHECK_DLQ_URL"),
    QueueSpec(name="ReviewSweepQueue", kind="work", url_env="SELLERBOT_REVIEW_SWEEP_QUEUE_URL"),
    QueueSpec(name="ReviewSweepDLQ", kind="dlq", url_env="SELLERBOT_REVIEW_SWEEP_DLQ_URL"),
    QueueSpec(name="HealthNotificationsQueue", kind="work", url_env="SELLERBOT_HEALTH_NOTIFICATIONS_QUEUE_URL"),
    QueueSpec(name="HealthNotificationsDLQ", kind="dlq", url_env="SELLERBOT_HEALTH_NOTIFICATIONS_DLQ_URL"),
    QueueSpec(name="AppNotificationsQueue", kind="work", url_env="SELLERBOT_APP_NOTIFICATIONS_QUEUE_URL"),
    QueueSpec(name="AppNotificationsDLQ", kind="dlq", url_env="SELLERBOT_APP_NOTIFICATIONS_DLQ_URL"),
    # The lazy listeners' Lambda failure destination: not a DLQ (nothing to redrive), but it must stay empty.
    QueueSpec(name="LazyFailureQueue", kind="failure", url_env="SELLERBOT_LAZY_FAILURE_QUEUE_URL"),
)

# The stack's functions (serverless.yml `functions:`; "ops" is the alarm function of issue 20 item 3).
FUNCTIONS: tuple[str, ...] = (
    "slack",
    "charts",
    "reviewSweepDispatch",
    "reviewSweep",
    "healthSchedule",
    "healthCheck",
    "healthNotifications",
    "healthEscalation",
    "promoExpiry",
    "ops",
    "amazonCallback",
    "lwaRotation",
    "appNotifications",
    "affiliatesDigest",
)


# ---- ports ---------------------------------------------------------------------------------------------------
class QueueDepths(Protocol):
    def depth(self, queue_url: str) -> QueueDepth:
        """The queue's approximate counts; raises Unreadable(reason)."""
        ...


class MetricSums(Protocol):
    def sums(
        self, queries: Sequence[MetricQuery], start: datetime, end: datetime, period: int
    ) -> dict[str, float | None]:
        """Each query's sum over [start, end); None for a series CloudWatch could not answer; raises Unreadable."""
        ...


# ---- the status --------------------------------------------------------------------------------------------------
class ScheduleStatus(BaseModel):
    name: str
    what: str
    rate: str
    last_success_at: datetime | None = None
    age_seconds: int | None = None
    late: bool | None = None  # no success within twice the schedule
    unknown: str | None = None


class QueueStatus(BaseModel):
    name: str
    kind: str
    depth: int | None = None  # ApproximateNumberOfMessages
    in_flight: int | None = None
    delayed: int | None = None
    unknown: str | None = None


class FunctionErrors(BaseModel):
    function: str
    errors: int | None = None
    throttles: int | None = None


class ErrorsStatus(BaseModel):
    window_hours: int = 24
    errors: int | None = None  # all functions together
    throttles: int | None = None
    spapi_throttles: int | None = None
    functions: list[FunctionErrors] = []
    unknown: str | None = None


class HealthStatus(BaseModel):
    pairs: int  # accounts x marketplaces configured
    checked: int | None = None  # last check succeeded within the stale limit
    stale: int | None = None  # no success within the stale limit (never checked included)
    failed: int | None = None  # the last finished check failed
    in_flight: int | None = None
    last_success_at: datetime | None = None
    stale_after_hours: float
    stale_pairs: list[str] = []  # "account/MKT", at most PAIRS_LISTED
    failed_pairs: list[str] = []
    unknown: str | None = None


class Status(BaseModel):
    version: str | None = None
    deployed_at: str | None = None
    stage: str
    generated_at: datetime
    schedules: list[ScheduleStatus]
    queues: list[QueueStatus]
    errors_24h: ErrorsStatus
    health: HealthStatus
    unknown: dict[str, str] = {}  # top-level figure -> why it is unknown (version, deployed_at)


class Release(BaseModel):
    """What is deployed: the values, or why each is unknown."""

    version: str | None = None
    deployed_at: str | None = None
    unknown: dict[str, str] = {}


def _metric_id(prefix: str, function: str) -> str:
    return f"{prefix}_{''.join(c if c.isalnum() else '_' for c in function).lower()}"


def read_queue(spec: QueueSpec, queue_urls: Mapping[str, str], queues: QueueDepths | None) -> QueueStatus:
    """One queue's depth (status and doctor), or why it is unknown: never a guessed 0."""
    row = QueueStatus(name=spec.name, kind=spec.kind)
    url = queue_urls.get(spec.url_env)
    if not url:
        row.unknown = f"no queue URL configured ({spec.url_env})"
    elif queues is None:
        row.unknown = "no SQS access configured"
    else:
        try:
            depth = queues.depth(url)
            row.depth, row.in_flight, row.delayed = depth.visible, depth.in_flight, depth.delayed
        except Unreadable as exc:
            row.unknown = exc.reason
    return row


class StatusReader:
    """Reads every figure once. Each part fails on its own: one unknown never hides the others."""

    def __init__(
        self,
        *,
        store: Store,
        accounts: AccountsConfig,
        stage: str,
        service: str,
        release: Release,
        queue_urls: Mapping[str, str],
        queues: QueueDepths | None,
        metrics: MetricSums | None,
        no_metrics_reason: str = "no CloudWatch access configured",
        now: Callable[[], datetime],
    ) -> None:
        self.store, self.accounts, self.stage, self.service = store, accounts, stage, service
        self.release, self.queue_urls, self.queues, self.metrics = release, queue_urls, queues, metrics
        self.no_metrics_reason, self.now = no_metrics_reason, now

    def read(self) -> Status:
        now = as_utc(self.now())
        return Status(
            version=self.release.version,
            deployed_at=self.release.deployed_at,
            stage=self.stage,
            generated_at=now,
            schedules=self.schedules(now),
            queues=[self.queue(spec) for spec in QUEUES],
            errors_24h=self.errors(now),
            health=self.health(now),
            unknown=dict(self.release.unknown),
        )

    def schedules(self, now: datetime) -> list[ScheduleStatus]:
        specs = schedules()
        try:
            beats: dict[str, Heartbeat] | None = last_runs(self.store)
            reason = None
        except Exception as exc:
            beats, reason = None, f"store unreadable: {type(exc).__name__}"
        out = []
        for spec in specs:
            row = ScheduleStatus(name=spec.name, what=spec.what, rate=spec.rate)
            if beats is None:
                row.unknown = reason
            elif spec.name not in beats:
                row.late = True  # known: no successful run was ever recorded
            else:
                done = as_utc(beats[spec.name].finished_at)
                age = now - done
                row.last_success_at, row.age_seconds = done, max(0, int(age.total_seconds()))
                row.late = age > 2 * spec.interval
            out.append(row)
        return out

    def queue(self, spec: QueueSpec) -> QueueStatus:
        return read_queue(spec, self.queue_urls, self.queues)

    def errors(self, now: datetime) -> ErrorsStatus:
        rows = [FunctionErrors(function=f) for f in FUNCTIONS]
        out = ErrorsStatus(functions=rows)
        if self.metrics is None:
            out.unknown = self.no_metrics_reason
            return out
        queries = []
        for f in FUNCTIONS:
            name = {"FunctionName": f"{self.service}-{self.stage}-{f}"}
            queries.append(MetricQuery(id=_metric_id("e", f), namespace="AWS/Lambda", name="Errors", dimensions=name))
            queries.append(
                MetricQuery(id=_metric_id("t", f), namespace="AWS/Lambda", name="Throttles", dimensions=name)
            )
        queries.append(
            MetricQuery(
                id="spapi_throttles",
                namespace=NAMESPACE,
                name=SPAPI_THROTTLES,
                dimensions={"service": self.service, "stage": self.stage},
            )
        )
        try:
            sums = self.metrics.sums(queries, now - WINDOW, now, int(WINDOW.total_seconds()))
        except Unreadable as exc:
            out.unknown = exc.reason
            return out

        def count(qid: str) -> int | None:
            value = sums.get(qid)
            return None if value is None else round(value)

        for row in rows:
            row.errors, row.throttles = count(_metric_id("e", row.function)), count(_metric_id("t", row.function))
        errors, throttles = [r.errors for r in rows], [r.throttles for r in rows]
        # A total is known only when every part is: a missing series would make it look smaller than it is.
        out.errors = None if None in errors else sum(e for e in errors if e is not None)
        out.throttles = None if None in throttles else sum(t for t in throttles if t is not None)
        out.spapi_throttles = count("spapi_throttles")
        if out.errors is None or out.throttles is None or out.spapi_throttles is None:
            out.unknown = "CloudWatch answered some series with an error"
        return out

    def health(self, now: datetime) -> HealthStatus:
        pairs = self.accounts.pairs()
        limit = stale_after()
        out = HealthStatus(pairs=len(pairs), stale_after_hours=limit.total_seconds() / 3600)
        book = CheckStateBook(self.store)
        checked = stale = failed = in_flight = 0
        latest: datetime | None = None
        try:
            for account, marketplace in pairs:
                state = book.get(account.account_id, marketplace.code)
                label = f"{account.account_id}/{marketplace.code}"
                done = as_utc(state.last_success_at) if state.last_success_at else None
                if done is not None and now - done <= limit:
                    checked += 1
                else:
                    stale += 1
                    if len(out.stale_pairs) < PAIRS_LISTED:
                        out.stale_pairs.append(label)
                if state.failed:
                    failed += 1
                    if len(out.failed_pairs) < PAIRS_LISTED:
                        out.failed_pairs.append(label)
                in_flight += state.in_flight(now)
                if done is not None and (latest is None or done > latest):
                    latest = done
        except Exception as exc:
            out.stale_pairs, out.failed_pairs = [], []
            out.unknown = f"store unreadable: {type(exc).__name__}"
            return out
        out.checked, out.stale, out.failed, out.in_flight, out.last_success_at = (
            checked,
            stale,
            failed,
            in_flight,
            latest,
        )
        return out


class CachedStatus:
    """`read()` at most once a minute per process (figures a minute old are fine for a status view)."""

    def __init__(self, reader: Callable[[], Status], clock: Callable[[], float], ttl: float = CACHE_SECONDS) -> None:
        self.reader, self.clock, self.ttl = reader, clock, ttl
        self._lock = threading.Lock()
        self._hit: tuple[float, Status] | None = None

    def get(self) -> Status:
        with self._lock:
            now = self.clock()
            if self._hit is None or now - self._hit[0] >= self.ttl or now < self._hit[0]:
                self._hit = (now, self.reader())
            return self._hit[1]
