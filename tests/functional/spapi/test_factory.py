"""Clients built by the factory talk to the fake over HTTP, LWA included."""

from __future__ import annotations

import pytest
from sp_api.api import Orders

from bot.settings import Settings
from infra.spapi import TokenRefused, explain
from infra.spapi.factory import MarketplaceNotConfigured, build_spapi_factory, clear_token_cache

US = "ATVPDKIKX0DER"


def test_token_step_goes_to_the_fake_and_is_cached(fake, factory, acme):
    for _ in range(2):  # a second client in the same process reuses the cached token
        client = factory.client(Orders, acme, "US")
        factory.call("getOrders", acme, client.get_orders, CreatedAfter="2020-01-01T00:00:00Z")
    assert fake.stats.tokens == {"acme": 1}
    clear_token_cache()
    factory.call("getOrders", acme, factory.client(Orders, acme, "US").get_orders, CreatedAfter="2020-01-01T00:00:00Z")
    assert fake.stats.tokens == {"acme": 2}
    assert {r.account for r in fake.requests if r.operation == "getOrders"} == {"acme"}


def test_clients_for_each_account_and_marketplace(fake, factory, accounts):
    seen = {}
    for account, marketplace in accounts.pairs():
        client = factory.client(Orders, account, marketplace.code)
        assert client.marketplace_id == marketplace.marketplace_id and client.endpoint == fake.base_url
        resp = factory.call("getOrders", account, client.get_orders, CreatedAfter="2020-01-01T00:00:00Z")
        seen[(account.account_id, marketplace.code)] = {o["MarketplaceId"] for o in resp.payload["Orders"]}
        factory.check_access(account, marketplace.code)
    assert seen == {
        ("acme", "US"): {US},
        ("acme", "CA"): {"A2EUQ1WTGCTBG2"},
        ("globex", "UK"): {"A1F83G8C2ARO7P"},
        ("globex", "DE"): {"A1PA6795UKMFR9"},
    }
    assert fake.stats.tokens == {"acme": 1, "globex": 1}


def test_default_marketplace_env_var_cannot_redirect_a_client(fake, factory, acme, monkeypatch):
    monkeypatch.setenv("SP_API_DEFAULT_MARKETPLACE", "DE")
    client = factory.client(Orders, acme, "US")
    resp = factory.call("getOrders", acme, client.get_orders, CreatedAfter="2020-01-01T00:00:00Z")
    assert {o["MarketplaceId"] for o in resp.payload["Orders"]} == {US}


def test_unconfigured_marketplace_is_refused_before_any_request(fake, factory, acme):
    with pytest.raises(MarketplaceNotConfigured, match=r"'acme' has no marketplace 'UK'.*US, CA"):
        factory.client(Orders, acme, "UK")
    assert sum(fake.stats.requests.values()) == 0


def test_wrong_refresh_token_is_explained(fake, make_factory, acme):
    env = {**fake.credentials_env(), "SELLERBOT_REFRESH_TOKEN_ACME": "Atzr|revoked"}
    factory = make_factory(env=env)
    client = factory.client(Orders, acme, "US")
    with pytest.raises(TokenRefused) as info:  # LWA's invalid_grant, typed at the infra boundary (issue 21)
        factory.call("getOrders", acme, client.get_orders, CreatedAfter="2020-01-01T00:00:00Z")
    assert info.value.account_id == "acme" and "reconnects it with /sellerbot connect" in explain(info.value)
    assert fake.stats.requests["lwaToken"] == 1  # a 400 from LWA is not retried


def test_unknown_operation_name_fails_before_sending(fake, factory, acme):
    client = factory.client(Orders, acme, "US")
    with pytest.raises(KeyError, match="Did you mean 'getOrders'"):
        factory.call("GetOrders", acme, client.get_orders)
    assert fake.stats.requests["getOrders"] == 0


def test_build_spapi_factory_from_settings(fake, accounts, monkeypatch):
    for key, value in fake.credentials_env().items():
        monkeypatch.setenv(key, value)
    host_port = fake.base_url.removeprefix("http://")  # SELLERBOT_LWA_ENDPOINT may be host:port or a URL
    settings = Settings(spapi_endpoint=fake.base_url, lwa_endpoint=host_port)
    factory = build_spapi_factory(settings, accounts)
    try:
        for account, marketplace in accounts.pairs():
            factory.check_access(account, marketplace.code)
    finally:
        factory.close()
    assert fake.stats.requests["getMarketplaceParticipations"] == 4
