"""The thin Attribution client against the fake: credentials, regional hosts, retries, paging."""

from __future__ import annotations

import httpx
import pytest
from pydantic import SecretStr

from infra.ads.client import AttributionClient
from infra.ads.errors import AdsApiError, AdsAuthError, AdsTransportError, NoAdsCredentials
from infra.ads.factory import client_factory_from_env
from infra.fakes.attribution import FakeAttribution, Fault
from infra.fakes.attribution.data import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, demo_refresh_token
from infra.secrets import AdsCredentials, EnvCredentials

from .conftest import ACME_ADV, UK, US

BODY = {
    "reportType": "PERFORMANCE",
    "advertiserIds": ACME_ADV,
    "startDate": "20261101",
    "endDate": "20261130",
    "groupBy": "ADGROUP",
    "metrics": "Click-throughs",
    "count": 100,
}


def creds(account: str = "acme") -> AdsCredentials:
    return AdsCredentials(
        client_id=DEMO_CLIENT_ID,
        client_secret=SecretStr(DEMO_CLIENT_SECRET),
        refresh_token=SecretStr(demo_refresh_token(account)),
    )


def client(
    fake: FakeAttribution, marketplace: str = "US", account: str = "acme", attempts: int = 4
) -> AttributionClient:
    sleeps: list[float] = []
    c = AttributionClient(
        creds(account),
        marketplace,
        endpoint=fake.endpoint,
        lwa_endpoint=fake.base_url,
        timeout=5,
        sleep=sleeps.append,
        attempts=attempts,
    )
    c.sleeps = sleeps  # type: ignore[attr-defined]
    return c


def test_ad_api_env_vars_never_override_the_accounts_credentials(fake: FakeAttribution, monkeypatch) -> None:
    for name, value in {
        "AD_API_CLIENT_ID": "amzn1.application-oa2-client.env",
        "AD_API_CLIENT_SECRET": "env-secret",
        "AD_API_REFRESH_TOKEN": demo_refresh_token("globex"),
        "AD_API_PROFILE_ID": str(UK),
        "AD_API_DEFAULT_MARKETPLACE": "EU",
    }.items():
        monkeypatch.setenv(name, value)
    factory = client_factory_from_env(EnvCredentials(fake.credentials_env()), fake.credentials_env())
    profiles = factory("acme", "US").profiles()
    assert {p["profileId"] for p in profiles} >= {US}  # acme's profiles, on the NA host
    token_calls = [s for s in fake.requests if s.path == "/auth/o2/token"]
    assert token_calls and all(demo_refresh_token("acme").replace("|", "%7C") in s.body for s in token_calls)
    assert all(
        s.headers["amazon-advertising-api-clientid"] == DEMO_CLIENT_ID
        for s in fake.requests
        if s.path != "/auth/o2/token"
    )


def test_marketplace_picks_the_regional_host(fake: FakeAttribution) -> None:
    assert client(fake, "US").host.endswith("/na") and client(fake, "uk", "globex").host.endswith("/eu")
    assert AttributionClient(creds(), "NL").host == "https://advertising-api-eu.amazon.com"
    assert AttributionClient(creds(), "MX").token_url == "https://api.amazon.com/auth/o2/token"
    with pytest.raises(ValueError, match="JP"):
        AttributionClient(creds(), "JP")


def test_token_is_cached_across_calls(fake: FakeAttribution) -> None:
    c = client(fake)
    c.publishers(US)
    c.advertisers(US)
    assert sum(1 for s in fake.requests if s.path == "/auth/o2/token") == 1


def test_bad_refresh_token_is_an_auth_error(fake: FakeAttribution) -> None:
    bad = AdsCredentials(
        client_id=DEMO_CLIENT_ID, client_secret=SecretStr(DEMO_CLIENT_SECRET), refresh_token=SecretStr("Atzr|revoked")
    )
    c = AttributionClient(bad, "US", endpoint=fake.endpoint, lwa_endpoint=fake.base_url)
    with pytest.raises(AdsAuthError) as err:
        c.profiles()
    assert err.value.error == "invalid_grant" and "revoked" not in str(err.value)


def test_429_waits_retry_after_then_succeeds(fake: FakeAttribution) -> None:
    fake.settings.retry_after = "7"
    fake.faults.append(Fault("/attribution/report", "429", times=2))
    c = client(fake)
    rows = [r for page in c.report_pages(US, BODY) for r in page]
    assert rows and c.sleeps == [7.0, 7.0]  # type: ignore[attr-defined]


def test_5xx_backs_off_exponentially_then_succeeds(fake: FakeAttribution) -> None:
    fake.faults.append(Fault("/attribution/publishers", "500", times=2))
    c = client(fake)
    assert c.publishers(US)
    assert c.sleeps == [2.0, 4.0]  # type: ignore[attr-defined]


def test_retries_are_capped(fake: FakeAttribution) -> None:
    fake.faults.append(Fault("/attribution/publishers", "502", times=10))
    c = client(fake, attempts=3)
    with pytest.raises(AdsApiError) as err:
        c.publishers(US)
    assert err.value.status == 502 and len(c.sleeps) == 2  # type: ignore[attr-defined]


def test_retry_after_is_capped(fake: FakeAttribution) -> None:
    fake.settings.retry_after = "3600"
    fake.faults.append(Fault("/attribution/publishers", "429"))
    c = client(fake)
    c.publishers(US)
    assert c.sleeps == [30.0]  # type: ignore[attr-defined]


def test_other_4xx_are_not_retried(fake: FakeAttribution) -> None:
    c = client(fake)
    with pytest.raises(AdsApiError) as err:
        list(c.report_pages(US, {**BODY, "groupBy": "AD_GROUP"}))
    assert err.value.status == 400 and "groupBy" in err.value.details and c.sleeps == []  # type: ignore[attr-defined]
    fake.faults.append(Fault("/attribution/report", "400_message"))
    with pytest.raises(AdsApiError) as err:
        list(c.report_pages(US, BODY))
    assert "not authorized to use Amazon Attribution" in err.value.details


def test_other_region_profile_is_refused(fake: FakeAttribution) -> None:
    with pytest.raises(AdsApiError) as err:
        client(fake, "UK").publishers(US)
    assert err.value.status == 401


@pytest.mark.parametrize("variant", ["absent", "empty", "null", "empty_reports"])
def test_every_last_page_variant_ends_paging(fake: FakeAttribution, variant: str) -> None:
    fake.settings.last_page = variant  # type: ignore[assignment]
    pages = list(client(fake).report_pages(US, BODY))
    everything = list(client(fake).report_pages(US, {**BODY, "count": 5000}))
    assert len(pages) > 1 and [r for p in pages for r in p] == everything[0]


def test_tags_read_both_shapes(fake: FakeAttribution) -> None:
    c = client(fake)
    bare = c.tags(US, macro=False, publisher_ids=["1", "9"], advertiser_ids=[ACME_ADV])
    fake.settings.tag_shape = "wrapped"
    assert c.tags(US, macro=False, publisher_ids=["1", "9"], advertiser_ids=[ACME_ADV]) == bare
    assert set(bare[ACME_ADV]) == {"1", "9"}
    sent = next(s for s in fake.requests if s.path.endswith("nonMacroTemplateTag"))
    assert sent.query["publisherIds"] == ["1", "9"]  # form/explode, as the spec declares


def test_no_answer_is_a_transport_error(fake: FakeAttribution) -> None:
    c = AttributionClient(
        creds(),
        "US",
        endpoint="http://127.0.0.1:9/{region}",
        lwa_endpoint=fake.base_url,
        timeout=1,
        attempts=2,
        sleep=lambda s: None,
    )
    with pytest.raises(AdsTransportError):
        c.profiles()


def test_missing_credentials(fake: FakeAttribution) -> None:
    factory = client_factory_from_env(EnvCredentials({}), {})
    with pytest.raises(NoAdsCredentials, match="SELLERBOT_ADS_ACME_CLIENT_ID"):
        factory("acme", "US")


def test_client_repr_and_errors_hold_no_secrets(fake: FakeAttribution) -> None:
    c = client(fake)
    assert DEMO_CLIENT_SECRET not in repr(c) and "Atzr" not in repr(c)
    assert isinstance(c._http, httpx.Client)
