"""One contract, every backend: SQLiteStore and DynamoDBStore (moto server) behave the same."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from infra.store.base import ConditionFailed, Item, Put, Store, StoreUnavailable, Update
from infra.store.dynamodb import DynamoDBStore, make_client, table_definition
from infra.store.factory import build_store
from infra.store.sqlite import SQLiteStore
from tests.support.aws import REGION

# Far in the future so a real TTL sweeper would never touch test items.
START = 4_000_000_000
PAGE_SIZE = 3  # DynamoDB pages of 3 items make every query below span several pages


class FakeClock:
    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(params=["sqlite", "dynamodb"])
def backend(request: pytest.FixtureRequest, clock: FakeClock) -> Iterator[Store]:
    if request.param == "sqlite":
        store = SQLiteStore(":memory:", clock=clock)
        yield store
        store.close()
    else:
        client, table_name = request.getfixturevalue("dynamodb_table")
        yield DynamoDBStore(table_name, client=client, clock=clock, page_size=PAGE_SIZE)


def item(sk: str, pk: str = "TENANT#T1", version: int = 1, expires_at: int | None = None, **data: Any) -> Item:
    return Item(pk=pk, sk=sk, data=data, version=version, expires_at=expires_at)


def test_backends_satisfy_the_protocol(backend: Store) -> None:
    assert isinstance(backend, Store)


# -- put_if_absent / get ----------------------------------------------------


def test_put_if_absent_creates_once(backend: Store) -> None:
    assert backend.put_if_absent(item("A", n=1)) is True
    assert backend.put_if_absent(item("A", n=2)) is False
    assert backend.get("TENANT#T1", "A") == item("A", n=1)


def test_get_absent_is_none(backend: Store) -> None:
    assert backend.get("TENANT#T1", "missing") is None


def test_data_round_trips_exactly(backend: Store) -> None:
    data = {"price": 19.99, "ratio": 0.1, "nested": {"list": [1, "two", None, True]}, "text": "價格 ✓"}
    backend.put_if_absent(Item(pk="P", sk="S", data=data))
    assert backend.get("P", "S").data == data  # type: ignore[union-attr]


# -- update (compare-and-swap) ------------------------------------------------


def test_update_with_right_version_bumps_it(backend: Store) -> None:
    backend.put_if_absent(item("A", n=1))
    updated = backend.update("TENANT#T1", "A", {"n": 2}, expected_version=1)
    assert updated == item("A", version=2, n=2)
    assert backend.get("TENANT#T1", "A") == updated


def test_update_with_wrong_version_changes_nothing(backend: Store) -> None:
    backend.put_if_absent(item("A", n=1))
    with pytest.raises(ConditionFailed) as failed:
        backend.update("TENANT#T1", "A", {"n": 2}, expected_version=7)
    assert (failed.value.pk, failed.value.sk, failed.value.reason) == ("TENANT#T1", "A", "version mismatch")
    assert backend.get("TENANT#T1", "A") == item("A", n=1)


def test_update_of_absent_item_fails(backend: Store) -> None:
    with pytest.raises(ConditionFailed) as failed:
        backend.update("TENANT#T1", "nope", {"n": 1}, expected_version=1)
    assert failed.value.reason == "item absent"
    assert backend.get("TENANT#T1", "nope") is None


def test_update_sets_and_clears_expiry(backend: Store, clock: FakeClock) -> None:
    backend.put_if_absent(item("A"))
    backend.update("TENANT#T1", "A", {}, expected_version=1, expires_at=START + 10)
    assert backend.get("TENANT#T1", "A").expires_at == START + 10  # type: ignore[union-attr]
    backend.update("TENANT#T1", "A", {}, expected_version=2)
    clock.now = START + 100
    assert backend.get("TENANT#T1", "A") == item("A", version=3)


# -- expiry -------------------------------------------------------------------


def test_expired_items_are_invisible(backend: Store, clock: FakeClock) -> None:
    backend.put_if_absent(item("A", expires_at=START + 10))
    backend.put_if_absent(item("B"))
    assert backend.get("TENANT#T1", "A") is not None
    clock.now = START + 10  # expiry is inclusive: at expires_at the item is gone
    assert backend.get("TENANT#T1", "A") is None
    assert [i.sk for i in backend.query("TENANT#T1")] == ["B"]


def test_expired_item_can_be_overwritten_but_not_updated(backend: Store, clock: FakeClock) -> None:
    backend.put_if_absent(item("A", expires_at=START + 10, n=1))
    clock.now = START + 11
    with pytest.raises(ConditionFailed) as failed:
        backend.update("TENANT#T1", "A", {"n": 2}, expected_version=1)
    assert failed.value.reason == "item absent"
    assert backend.put_if_absent(item("A", n=3)) is True
    assert backend.get("TENANT#T1", "A") == item("A", n=3)


# -- delete -------------------------------------------------------------------


def test_delete(backend: Store) -> None:
    assert backend.delete("TENANT#T1", "A") is False
    backend.put_if_absent(item("A"))
    assert backend.delete("TENANT#T1", "A") is True
    assert backend.get("TENANT#T1", "A") is None


def test_delete_with_expected_version(backend: Store) -> None:
    backend.put_if_absent(item("A"))
    with pytest.raises(ConditionFailed):
        backend.delete("TENANT#T1", "A", expected_version=2)
    assert backend.get("TENANT#T1", "A") is not None
    assert backend.delete("TENANT#T1", "A", expected_version=1) is True
    with pytest.raises(ConditionFailed) as failed:
        backend.delete("TENANT#T1", "A", expected_version=1)
    assert failed.value.reason == "item absent"


def test_delete_of_expired_item_reports_nothing_live(backend: Store, clock: FakeClock) -> None:
    backend.put_if_absent(item("A", expires_at=START + 10))
    backend.put_if_absent(item("B", expires_at=START + 10))
    clock.now = START + 10
    with pytest.raises(ConditionFailed):
        backend.delete("TENANT#T1", "A", expected_version=1)
    assert backend.delete("TENANT#T1", "B") is False


# -- query --------------------------------------------------------------------


def _seed_orders(backend: Store) -> None:
    for n in range(10):
        backend.put_if_absent(item(f"ORDER#{n:02d}", n=n))
    backend.put_if_absent(item("PROMO#1"))
    backend.put_if_absent(item("ORDER#99", pk="TENANT#OTHER"))


def test_query_by_prefix_in_sk_order(backend: Store) -> None:
    _seed_orders(backend)
    assert [i.sk for i in backend.query("TENANT#T1", prefix="ORDER#")] == [f"ORDER#{n:02d}" for n in range(10)]
    assert [i.sk for i in backend.query("TENANT#T1", prefix="PROMO#")] == ["PROMO#1"]
    assert len(backend.query("TENANT#T1")) == 11
    assert backend.query("TENANT#T1", prefix="NOPE") == []
    assert backend.query("TENANT#NOBODY") == []


def test_query_descending_with_limit(backend: Store) -> None:
    _seed_orders(backend)
    newest = backend.query("TENANT#T1", prefix="ORDER#", descending=True, limit=4)
    assert [i.sk for i in newest] == ["ORDER#09", "ORDER#08", "ORDER#07", "ORDER#06"]
    assert [i.sk for i in backend.query("TENANT#T1", prefix="ORDER#", limit=2)] == ["ORDER#00", "ORDER#01"]


def test_query_limit_counts_live_items_only(backend: Store, clock: FakeClock) -> None:
    # The first five (two DynamoDB pages) expire, so the limit must reach past them.
    for n in range(10):
        backend.put_if_absent(item(f"E#{n:02d}", expires_at=START + 10 if n < 5 else None))
    clock.now = START + 10
    assert [i.sk for i in backend.query("TENANT#T1", prefix="E#", limit=3)] == ["E#05", "E#06", "E#07"]
    assert len(backend.query("TENANT#T1", prefix="E#")) == 5


def test_query_prefix_is_literal(backend: Store) -> None:
    backend.put_if_absent(item("50%_off"))
    backend.put_if_absent(item("500_off"))
    assert [i.sk for i in backend.query("TENANT#T1", prefix="50%")] == ["50%_off"]


def test_dynamodb_query_follows_pagination(dynamodb_table: tuple[Any, str], clock: FakeClock) -> None:
    client, table_name = dynamodb_table
    store = DynamoDBStore(table_name, client=client, clock=clock, page_size=PAGE_SIZE)
    for n in range(10):
        store.put_if_absent(item(f"ORDER#{n:02d}"))
    pages: list[int] = []
    # A botocore event hook observes the calls without replacing them.
    client.meta.events.register("after-call.dynamodb.Query", lambda **kw: pages.append(len(kw["parsed"]["Items"])))
    assert len(store.query("TENANT#T1", prefix="ORDER#")) == 10
    assert len(pages) >= 4 and max(pages) <= PAGE_SIZE


# -- transact -----------------------------------------------------------------


def test_transact_applies_all_steps(backend: Store) -> None:
    backend.put_if_absent(item("B", n=1))
    backend.transact([Put(item=item("A", n=1)), Update(pk="TENANT#T1", sk="B", data={"n": 2}, expected_version=1)])
    assert backend.get("TENANT#T1", "A") == item("A", n=1)
    assert backend.get("TENANT#T1", "B") == item("B", version=2, n=2)


def test_transact_is_all_or_nothing_on_stale_version(backend: Store) -> None:
    backend.put_if_absent(item("B", n=1))
    steps = [
        Put(item=item("A", n=1)),
        Update(pk="TENANT#T1", sk="B", data={"n": 2}, expected_version=5),
        Put(item=item("C")),
    ]
    with pytest.raises(ConditionFailed) as failed:
        backend.transact(steps)
    assert (failed.value.pk, failed.value.sk) == ("TENANT#T1", "B")
    assert backend.get("TENANT#T1", "A") is None
    assert backend.get("TENANT#T1", "C") is None
    assert backend.get("TENANT#T1", "B") == item("B", n=1)


def test_transact_put_on_live_item_fails_and_names_it(backend: Store, clock: FakeClock) -> None:
    backend.put_if_absent(item("EXISTS"))
    backend.put_if_absent(item("OLD", expires_at=START + 1, n=0))
    clock.now = START + 1
    with pytest.raises(ConditionFailed) as failed:
        backend.transact([Put(item=item("OLD", n=1)), Put(item=item("EXISTS", n=1))])
    assert (failed.value.sk, failed.value.reason) == ("EXISTS", "item exists")
    assert backend.get("TENANT#T1", "OLD") is None
    # The expired item alone is overwritable inside a transaction too.
    backend.transact([Put(item=item("OLD", n=1))])
    assert backend.get("TENANT#T1", "OLD") == item("OLD", n=1)


def test_transact_of_nothing_is_a_no_op(backend: Store) -> None:
    backend.transact([])


# -- concurrency --------------------------------------------------------------


def test_concurrent_compare_and_swap_has_one_winner_per_version(backend: Store) -> None:
    threads, rounds = 10, 3
    backend.put_if_absent(item("COUNTER", n=0))
    for version in range(1, rounds + 1):
        read_done = threading.Barrier(threads)
        winners: list[int] = []
        losers: list[str] = []
        lock = threading.Lock()

        def contend(
            worker: int,
            read_done: threading.Barrier = read_done,
            winners: list[int] = winners,
            losers: list[str] = losers,
            lock: threading.Lock = lock,
        ) -> None:
            current = backend.get("TENANT#T1", "COUNTER")
            read_done.wait()  # everyone holds the same version before anyone writes
            try:
                backend.update(
                    "TENANT#T1",
                    "COUNTER",
                    {"n": current.data["n"] + 1, "by": worker},  # type: ignore[union-attr]
                    expected_version=current.version,
                )  # type: ignore[union-attr]
            except ConditionFailed as exc:
                with lock:
                    losers.append(exc.reason)
            else:
                with lock:
                    winners.append(worker)

        pool = [threading.Thread(target=contend, args=(w,)) for w in range(threads)]
        for t in pool:
            t.start()
        for t in pool:
            t.join()
        assert len(winners) == 1, f"version {version}: winners {winners}"
        assert losers == ["version mismatch"] * (threads - 1)
        final = backend.get("TENANT#T1", "COUNTER")
        assert final is not None and final.version == version + 1
        assert final.data == {"n": version, "by": winners[0]}


# -- DynamoDB specifics -------------------------------------------------------


class _ThrottlingHandler(BaseHTTPRequestHandler):
    """Answers every DynamoDB call the way an overloaded table does."""

    requests_seen = 0

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        type(self).requests_seen += 1
        body = json.dumps(
            {"__type": "com.amazonaws.dynamodb.v20120810#ThrottlingException", "message": "Rate exceeded"}
        ).encode()
        self.send_response(400)
        self.send_header("Content-Type", "application/x-amz-json-1.0")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def throttling_endpoint() -> Iterator[tuple[str, type[_ThrottlingHandler]]]:
    handler = type("Handler", (_ThrottlingHandler,), {"requests_seen": 0})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", handler
    server.shutdown()
    server.server_close()


def test_throttled_dynamodb_raises_store_unavailable_after_retries(throttling_endpoint) -> None:
    endpoint, handler = throttling_endpoint
    # One retry keeps the test quick; the store's own client makes five (checked below).
    store = DynamoDBStore("t-table", client=make_client(endpoint_url=endpoint, region_name=REGION, max_retries=1))
    with pytest.raises(StoreUnavailable, match=r"t-table.*retry later"):
        store.get("P", "S")
    assert handler.requests_seen == 2  # botocore retried the throttle once before giving up
    with pytest.raises(StoreUnavailable):
        store.put_if_absent(item("A"))
    with pytest.raises(StoreUnavailable):
        store.query("P")


def test_dynamodb_client_is_lazy_and_uses_standard_retries() -> None:
    store = DynamoDBStore("t-table", endpoint_url="http://127.0.0.1:9", region_name=REGION)
    assert store._client is None  # constructing a store makes no client (cheap cold start)
    config = store.client.meta.config
    # botocore stores Config(max_attempts=5) as 5 retries after the first call.
    assert config.retries == {"mode": "standard", "total_max_attempts": 6}
    assert store.client.meta.endpoint_url == "http://127.0.0.1:9"


def test_table_definition_shape() -> None:
    definition = table_definition("sellerbot")
    assert definition["BillingMode"] == "PAY_PER_REQUEST"
    assert {k["AttributeName"]: k["KeyType"] for k in definition["KeySchema"]} == {"pk": "HASH", "sk": "RANGE"}


def test_ensure_table_enables_ttl_and_is_idempotent(dynamodb_table: tuple[Any, str]) -> None:
    from infra.store.dynamodb import ensure_table

    client, table_name = dynamodb_table
    ensure_table(client, table_name)
    ttl = client.describe_time_to_live(TableName=table_name)["TimeToLiveDescription"]
    assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires_at"}


# -- factory ------------------------------------------------------------------


def test_build_store_from_urls(tmp_path) -> None:
    memory = build_store("sqlite://:memory:")
    assert isinstance(memory, SQLiteStore)
    on_disk = build_store(f"sqlite://{tmp_path}/bot.db")
    assert isinstance(on_disk, SQLiteStore) and (tmp_path / "bot.db").exists()
    dynamo = build_store("dynamodb://sellerbot-prod?endpoint=http://127.0.0.1:8000&region=eu-west-1")
    assert isinstance(dynamo, DynamoDBStore) and dynamo.table_name == "sellerbot-prod"
    assert dynamo._client is None
    assert dynamo.client.meta.region_name == "eu-west-1"
    assert isinstance(build_store("dynamodb://sellerbot"), DynamoDBStore)


def test_build_store_against_moto(moto_server: str, dynamodb_table: tuple[Any, str]) -> None:
    _, table_name = dynamodb_table
    store = build_store(f"dynamodb://{table_name}?endpoint={moto_server}&region={REGION}")
    assert store.put_if_absent(item("A")) is True
    assert store.get("TENANT#T1", "A") == item("A")


@pytest.mark.parametrize(
    ("url", "complaint"),
    [
        ("postgres://db", "unknown store URL"),
        ("sqlite://relative.db", "absolute file path"),
        ("sqlite://", "absolute file path"),
        ("dynamodb://", "valid table name"),
        ("dynamodb://x", "valid table name"),
        ("dynamodb://table/extra", "valid table name"),
        ("dynamodb://table?endpint=http://x", "unknown parameter"),
        ("dynamodb://table?region=", "non-empty value for 'region'"),
        ("dynamodb://table?endpoint=localhost:8000", "must be an http"),
    ],
)
def test_build_store_rejects_bad_urls(url: str, complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint):
        build_store(url)
