"""The retry policy and limiter over real HTTP: injected faults, budgets, Amazon's rate limits."""

from __future__ import annotations

import subprocess
import sys
import time

import httpx
import pytest
from sp_api.api import Orders, Solicitations
from sp_api.base.exceptions import (
    SellingApiForbiddenException,
    SellingApiNotFoundException,
    SellingApiRequestThrottledException,
)

from infra.fakes.sp_api import FakeSpApi
from infra.spapi import SpApiDeadlineExceeded, SpApiServerError, SpApiUnavailable, explain
from infra.spapi.limiter import RateLimiter
from infra.spapi.rates import DEFAULT_RATES, scaled
from infra.spapi.retry import RetryPolicy
from tests.functional.spapi.conftest import order_of

US = "ATVPDKIKX0DER"


def _get_order(factory, acme, order_id, **kw):
    return factory.call("getOrder", acme, factory.client(Orders, acme, "US").get_order, order_id, **kw)


@pytest.fixture
def order_id(sandbox):
    return order_of(sandbox, "acme", US, "eligible")


def test_throttle_then_success_waits_at_the_header_rate(fake, factory, acme, order_id, slept):
    fake.faults.add("getOrder", "throttle_429", times=1)
    assert _get_order(factory, acme, order_id).payload["AmazonOrderId"] == order_id
    assert fake.stats.requests["getOrder"] == 2 and fake.stats.throttled["getOrder"] == 1
    assert len(slept.waits) == 1 and 2.0 <= slept.waits[0] <= 2.2  # 1 / 0.5 rps (x-amzn-RateLimit-Limit)


def test_empty_500_then_success(fake, factory, acme, order_id, slept):
    fake.faults.add("getOrder", "empty_500", times=2)
    assert _get_order(factory, acme, order_id).payload["AmazonOrderId"] == order_id
    assert fake.stats.requests["getOrder"] == 3 and len(slept.waits) == 2


def test_malformed_json_then_success(fake, factory, acme, order_id):
    fake.faults.add("/orders/v0/orders/", "malformed_json", times=1)
    assert _get_order(factory, acme, order_id).payload["AmazonOrderId"] == order_id


def test_timeout_then_success(fake, make_factory, acme, order_id):
    factory = make_factory(timeout=0.3)  # the fake sleeps 1 s on a timeout fault
    fake.faults.add("getOrder", "timeout", times=1)
    assert _get_order(factory, acme, order_id).payload["AmazonOrderId"] == order_id
    assert fake.stats.requests["getOrder"] == 2


def test_budget_exhaustion_raises_unavailable(fake, make_factory, acme, order_id):
    factory = make_factory(policy=RetryPolicy(base_delay=0.05, max_delay=0.1))
    fake.faults.add("getOrder", "empty_500", times=1000)
    with pytest.raises(SpApiUnavailable) as info:
        _get_order(factory, acme, order_id, deadline=time.time() + 0.5)
    assert isinstance(info.value.last_error, SpApiServerError) and info.value.code == 500
    assert 2 <= fake.stats.requests["getOrder"] <= 6
    assert "temporarily unavailable" in explain(info.value)


def test_throttled_beyond_the_budget_gives_up_without_waiting(fake, factory, acme, order_id, slept):
    fake.faults.add("getOrder", "throttle_429", times=10)
    with pytest.raises(SpApiUnavailable) as info:
        _get_order(factory, acme, order_id, deadline=time.time() + 1.0)  # 1/0.5 rps = 2 s > 1 s left
    assert info.value.code == 429 and fake.stats.requests["getOrder"] == 1 and slept.waits == []
    assert "throttling" in str(info.value)


def test_forbidden_is_not_retried(fake, factory, acme, order_id):
    fake.faults.add("getOrder", "status:403", times=5)
    with pytest.raises(SellingApiForbiddenException):
        _get_order(factory, acme, order_id)
    assert fake.stats.requests["getOrder"] == 1


def test_limiter_refuses_rather_than_sleeping_past_the_deadline(fake, factory, acme):
    client = factory.client(Orders, acme, "US")
    for _ in range(20):  # getOrders burst
        factory.call("getOrders", acme, client.get_orders, CreatedAfter="2020-01-01T00:00:00Z")
    with pytest.raises(SpApiDeadlineExceeded) as info:
        factory.call("getOrders", acme, client.get_orders, CreatedAfter="2020-01-01T00:00:00Z")
    assert fake.stats.requests["getOrders"] == 20 and "nothing was sent" in explain(info.value)


def test_fake_enforces_amazon_rates(sandbox, make_factory, acme):
    with FakeSpApi(sandbox, enforce_rates=True) as strict:
        env = strict.credentials_env()
        factory = make_factory(env=env)
        client = factory.client(Solicitations, acme, "US")
        client.endpoint = strict.base_url
        order_id = order_of(sandbox, "acme", US, "eligible")
        for _ in range(5):  # burst 5, straight through the library: no limiter in the way
            client.get_solicitation_actions_for_order(order_id, marketplaceIds=US)
        with pytest.raises(SellingApiRequestThrottledException) as info:
            client.get_solicitation_actions_for_order(order_id, marketplaceIds=US)
        assert info.value.amzn_code == "QuotaExceeded" and info.value.headers["x-amzn-RateLimit-Limit"] == "1"
        assert strict.stats.throttled["getSolicitationActionsForOrder"] == 1


def test_limiter_keeps_a_rate_enforcing_fake_from_throttling(sandbox, make_factory, acme):
    rates = scaled(DEFAULT_RATES, 20)  # 20 rps for Solicitations: 5 burst + 10 paced calls take ~0.5 s
    with FakeSpApi(sandbox, enforce_rates=True, rates=rates) as strict:
        # 25% headroom absorbs scheduling jitter on a loaded 2-core CI machine: a request delayed
        # in transit lands closer to the next one than the client paced them.
        factory = make_factory(env=strict.credentials_env(), limiter=RateLimiter(rates, headroom=0.75))
        factory.endpoint_override = strict.base_url
        client = factory.client(Solicitations, acme, "US")
        order_id = order_of(sandbox, "acme", US, "eligible")
        for _ in range(15):
            factory.call(
                "getSolicitationActionsForOrder",
                acme,
                client.get_solicitation_actions_for_order,
                order_id,
                marketplaceIds=US,
            )
        assert strict.stats.requests["getSolicitationActionsForOrder"] == 15 and strict.stats.total_throttled == 0


def test_faults_and_reset_over_http(fake, factory, acme, order_id):
    added = httpx.post(f"{fake.base_url}/_fake/faults", json={"match": "getOrder", "kind": "status:404"})
    assert added.status_code == 200 and added.json() == {"pending": 1}
    with pytest.raises(SellingApiNotFoundException):
        _get_order(factory, acme, order_id)
    bad = httpx.post(f"{fake.base_url}/_fake/faults", json={"match": "getOrder", "kind": "explode"})
    assert bad.status_code == 400 and "Unknown fault kind 'explode'" in bad.json()["errors"][0]["message"]
    assert httpx.get(f"{fake.base_url}/_fake/stats").json()["requests"]["getOrder"] == 1
    assert httpx.post(f"{fake.base_url}/_fake/reset").status_code == 200
    assert fake.stats.requests == {} and fake.faults.pending() == []


def test_every_api_response_carries_request_id_and_rate_limit(fake, factory, acme, order_id):
    resp = _get_order(factory, acme, order_id)
    assert resp.headers["x-amzn-RequestId"] and resp.rate_limit == "0.5"
    unauth = httpx.get(f"{fake.base_url}/orders/v0/orders/{order_id}", headers={"x-amz-access-token": "Atza|bogus"})
    assert unauth.status_code == 403 and unauth.json()["errors"][0]["code"] == "Unauthorized"
    assert unauth.headers["x-amzn-RequestId"]


def test_runs_out_of_process():
    proc = subprocess.Popen(
        [sys.executable, "-m", "infra.fakes.sp_api", "--port", "0"], stdout=subprocess.PIPE, text=True
    )
    try:
        first = proc.stdout.readline()
        base_url = first.split(" listening on ")[1].split(";")[0]
        assert httpx.post(f"{base_url}/_fake/faults", json={"match": "getOrders", "kind": "empty_500"}).json() == {
            "pending": 1
        }
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    helped = subprocess.run([sys.executable, "-m", "infra.fakes.sp_api", "--help"], capture_output=True, text=True)
    assert helped.returncode == 0 and "--enforce-rates" in helped.stdout
