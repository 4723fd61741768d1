"""The status assembly with fakes for its ports: every figure it cannot read is unknown with a reason."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from handlers.health.check_state import CheckStateBook
from handlers.ops.heartbeat import record_run
from handlers.ops.status import FUNCTIONS, QUEUES, CachedStatus, Release, StatusReader
from infra.accounts import load_accounts
from infra.ops_status import QueueDepth, Unreadable

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
URLS = {q.url_env: f"https://sqs.test/{q.name}" for q in QUEUES}


class Depths:
    def __init__(self, depths=None, refuse=None):
        self.depths, self.refuse, self.asked = depths or {}, refuse or {}, []

    def depth(self, url):
        self.asked.append(url)
        if url in self.refuse:
            raise Unreadable(self.refuse[url])
        return self.depths.get(url, QueueDepth(visible=0, in_flight=0, delayed=0))


class Sums:
    def __init__(self, values=None, refuse=None):
        self.values, self.refuse, self.calls = values or {}, refuse, []

    def sums(self, queries, start, end, period):
        self.calls.append((list(queries), start, end, period))
        if self.refuse:
            raise Unreadable(self.refuse)
        return {q.id: self.values.get(q.id, 0.0) for q in queries}


class BrokenStore:
    def get(self, pk, sk):
        raise ConnectionError("boom")

    def query(self, pk, **kwargs):
        raise ConnectionError("boom")


def reader(store, *, urls=URLS, queues=None, metrics=None, release=None, **kw):
    return StatusReader(
        store=store,
        accounts=load_accounts(),
        stage="dev",
        service="sellerbot",
        release=release or Release(version="v1", deployed_at="2026-12-01T00:00:00Z"),
        queue_urls=urls,
        queues=queues,
        metrics=metrics,
        now=lambda: NOW,
        **kw,
    )


def test_queue_without_url_is_unknown_with_the_variable_to_set(store):
    status = reader(store, urls={}, queues=Depths()).read()
    for row in status.queues:
        assert row.depth is None
        assert row.unknown.startswith("no queue URL configured (SELLERBOT_")


def test_queue_refused_is_unknown_with_the_refusal_and_the_others_still_read(store):
    dlq = URLS["SELLERBOT_HEALTH_CHECK_DLQ_URL"]
    depths = Depths(
        depths={URLS["SELLERBOT_REVIEW_SWEEP_DLQ_URL"]: QueueDepth(visible=3, in_flight=1, delayed=0)},
        refuse={dlq: "SQS refused: AccessDenied"},
    )
    rows = {q.name: q for q in reader(store, queues=depths).read().queues}
    assert rows["HealthCheckDLQ"].depth is None
    assert rows["HealthCheckDLQ"].unknown == "SQS refused: AccessDenied"
    assert rows["ReviewSweepDLQ"].depth == 3 and rows["ReviewSweepDLQ"].in_flight == 1
    assert rows["HealthCheckQueue"].depth == 0 and rows["HealthCheckQueue"].unknown is None


def test_no_metrics_port_is_unknown_not_zero(store):
    errors = reader(store, metrics=None, no_metrics_reason="local run").read().errors_24h
    assert errors.errors is None and errors.throttles is None and errors.spapi_throttles is None
    assert errors.unknown == "local run"


def test_cloudwatch_refusal_is_unknown_with_the_code(store):
    errors = reader(store, metrics=Sums(refuse="CloudWatch refused: AccessDenied")).read().errors_24h
    assert errors.errors is None and errors.unknown == "CloudWatch refused: AccessDenied"
    assert all(f.errors is None for f in errors.functions)


def test_errors_sum_every_function_over_24_hours(store):
    sums = Sums(values={"e_healthcheck": 3.0, "t_slack": 2.0, "spapi_throttles": 7.0})
    errors = reader(store, metrics=sums).read().errors_24h
    assert (errors.errors, errors.throttles, errors.spapi_throttles, errors.unknown) == (3, 2, 7, None)
    [(queries, start, end, period)] = sums.calls
    assert end - start == timedelta(hours=24) and period == 86400
    names = {q.dimensions.get("FunctionName") for q in queries if q.namespace == "AWS/Lambda"}
    assert names == {f"sellerbot-dev-{f}" for f in FUNCTIONS}
    [custom] = [q for q in queries if q.namespace == "Sellerbot"]
    assert custom.name == "SpApiThrottles" and custom.dimensions == {"service": "sellerbot", "stage": "dev"}


def test_a_series_cloudwatch_could_not_answer_leaves_the_total_unknown(store):
    class Partial(Sums):
        def sums(self, queries, start, end, period):
            out = super().sums(queries, start, end, period)
            out["e_slack"] = None
            return out

    errors = reader(store, metrics=Partial()).read().errors_24h
    assert errors.errors is None  # not the sum of the others: that would look smaller than it is
    assert errors.throttles == 0
    assert errors.unknown


def test_schedules_last_success_age_and_late(store):
    record_run(store, "promoExpiry", NOW - timedelta(minutes=10))
    record_run(store, "healthEscalation", NOW - timedelta(hours=2))
    rows = {s.name: s for s in reader(store).read().schedules}
    assert rows["promoExpiry"].age_seconds == 600 and rows["promoExpiry"].late is False
    assert rows["healthEscalation"].late is True  # > twice 15 min
    assert rows["healthSchedule"].last_success_at is None and rows["healthSchedule"].late is True
    assert {s for s in rows} == {
        "healthSchedule",
        "healthEscalation",
        "promoExpiry",
        "reviewSweepDispatch",
        "lwaRotation",
        "affiliatesDigest",
    }


def test_store_unreadable_makes_schedules_and_health_unknown_not_zero():
    status = reader(BrokenStore()).read()
    assert all(s.unknown == "store unreadable: ConnectionError" and s.late is None for s in status.schedules)
    assert status.health.checked is None and status.health.stale is None
    assert status.health.unknown == "store unreadable: ConnectionError"
    assert status.health.pairs == len(load_accounts().pairs())


def test_health_counts_checked_stale_failed(store):
    book = CheckStateBook(store)
    book.succeed("acme", "US", "r1", now=NOW - timedelta(hours=1))
    book.succeed("acme", "CA", "r1", now=NOW - timedelta(hours=30))
    book.fail("globex", "UK", "r1", "SP-API refused", now=NOW - timedelta(hours=1))
    health = reader(store).read().health
    pairs = len(load_accounts().pairs())
    assert health.pairs == pairs
    assert health.checked == 1
    assert health.stale == pairs - 1
    assert health.failed == 1 and health.failed_pairs == ["globex/UK"]
    assert "acme/CA" in health.stale_pairs
    assert health.last_success_at == NOW - timedelta(hours=1)


def test_release_unknowns_are_carried_with_their_reason(store):
    release = Release(unknown={"version": "SELLERBOT_VERSION is not set", "deployed_at": "not a deploy"})
    status = reader(store, release=release).read()
    assert status.version is None and status.unknown["version"] == "SELLERBOT_VERSION is not set"
    assert status.deployed_at is None and status.unknown["deployed_at"] == "not a deploy"


def test_json_has_the_contract_keys(store):
    data = reader(store).read().model_dump(mode="json")
    assert {"version", "deployed_at", "schedules", "queues", "errors_24h", "health"} <= set(data)


def test_cached_for_a_minute():
    now = [1000.0]
    reads = []

    def read():
        reads.append(now[0])
        return len(reads)

    cache = CachedStatus(read, lambda: now[0])
    assert cache.get() == 1
    now[0] += 59
    assert cache.get() == 1
    now[0] += 1
    assert cache.get() == 2
    assert reads == [1000.0, 1060.0]
