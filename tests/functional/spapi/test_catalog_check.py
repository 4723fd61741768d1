"""handlers/promo/catalog.py against the fake SP-API over HTTP, through the real python-amazon-sp-api
client: Amazon's Catalog Items 2022-04-01 shapes (the contract fixture checks every request and answer
against the model)."""

from __future__ import annotations

from handlers.promo.catalog import ProductCatalog
from infra.accounts import AccountConfig
from infra.fakes.sp_api import FakeSpApi
from infra.fakes.sp_api.data import OTHER_BRAND, catalog_items, other_brand_items
from infra.fakes.sp_api.replay import SandboxReplay
from infra.secrets import EnvCredentials
from infra.spapi.factory import SpApiFactory
from infra.spapi.limiter import RateLimiter
from infra.spapi.retry import RetryPolicy


def _mine(acme: AccountConfig) -> list[str]:
    return [i.asin for i in catalog_items(acme)]


def test_own_asins_pass_with_their_titles(factory: SpApiFactory, acme: AccountConfig, fake: FakeSpApi) -> None:
    asins = _mine(acme)[:3]
    out = ProductCatalog(factory).check(acme, "US", asins)
    assert out.checked and not out.errors
    assert set(out.titles) == set(asins) and all(t.startswith("Acme") for t in out.titles.values())
    assert fake.stats.requests["searchCatalogItems"] == 1  # one call for up to 20 ASINs


def test_an_unknown_asin_is_named_with_the_marketplace(factory: SpApiFactory, acme: AccountConfig) -> None:
    out = ProductCatalog(factory).check(acme, "US", [_mine(acme)[0], "B0ZZZZZZZZ"])
    assert [e.message for e in out.errors] == [
        "B0ZZZZZZZZ is not in Amazon's catalog in the US marketplace: check the ASIN."
    ]
    assert _mine(acme)[0] in out.titles


def test_an_asin_listed_only_in_another_marketplace_is_unknown_here(factory: SpApiFactory, acme: AccountConfig) -> None:
    us_only = _mine(acme)[-1]  # the fake lists each account's last product in its first marketplace only
    assert not ProductCatalog(factory).check(acme, "US", [us_only]).errors
    errors = ProductCatalog(factory).check(acme, "CA", [us_only]).errors
    assert len(errors) == 1 and us_only in errors[0].message and "CA" in errors[0].message


def test_another_brands_asin_is_refused_naming_both_brands(factory: SpApiFactory, acme: AccountConfig) -> None:
    foreign = other_brand_items()[0].asin
    errors = ProductCatalog(factory).check(acme, "US", [foreign]).errors
    assert len(errors) == 1
    assert foreign in errors[0].message and OTHER_BRAND in errors[0].message and "Acme Outdoor" in errors[0].message


def test_skus_are_not_checked_and_say_so(factory: SpApiFactory, acme: AccountConfig, fake: FakeSpApi) -> None:
    out = ProductCatalog(factory).check(acme, "US", ["ACM-0001"])
    assert out.checked and not out.errors and "SKU" in out.warnings[0].message
    assert fake.stats.requests["searchCatalogItems"] == 0


def test_an_unreachable_catalog_refuses_nothing_and_warns(make_factory, acme: AccountConfig, fake: FakeSpApi) -> None:
    fake.faults.add("searchCatalogItems", "status:503", times=10)
    factory = make_factory(policy=RetryPolicy(max_attempts=2, sleep=lambda s: None))
    asin = _mine(acme)[0]
    out = ProductCatalog(factory).check(acme, "US", [asin])
    assert not out.checked and not out.errors and not out.titles
    assert asin in out.warnings[0].message and "Seller Central" in out.warnings[0].message
    assert "503" in out.warnings[0].message and "Traceback" not in out.warnings[0].message


def test_amazons_canned_sandbox_answer_is_not_taken_as_a_verdict(acme: AccountConfig) -> None:
    """A stand-in that replays Amazon's one sandbox answer (B07N4M94X4, a Samsung TV) whatever is asked
    proves nothing about the ASINs asked for: the request goes on, flagged, rather than being refused."""
    with SandboxReplay() as amazon:
        factory = SpApiFactory(
            EnvCredentials(amazon.credentials_env()),
            RateLimiter(),
            endpoint_override=amazon.base_url,
            lwa_endpoint_override=amazon.base_url,
            timeout=2.0,
            policy=RetryPolicy(max_attempts=1),
        )
        try:
            out = ProductCatalog(factory).check(acme, "US", [_mine(acme)[0]])
        finally:
            factory.close()
    assert not out.checked and not out.errors and "other products" in out.warnings[0].message
