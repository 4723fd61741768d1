"""Amazon Ads connected through the fake Login with Amazon page over HTTP: consent page, Allow, the callback's
exchange at the token route, the credentials written, the profiles discovered and stored; and each refusal, which
stores nothing. Written after handlers/onboarding/ads.py and the fake's /ap/oa (not before them)."""

from __future__ import annotations

import logging
from urllib.parse import parse_qs, urlsplit

import pytest

from handlers.affiliates import profiles
from handlers.onboarding.ads import ADS_SCOPE, AdsRefusal, consent_url
from handlers.onboarding.state import StateProblem, StateRefused
from infra.ads.client import AttributionClient
from infra.fakes.attribution.consent import DENIED_DESCRIPTION
from infra.fakes.attribution.data import DEMO_CLIENT_SECRET
from infra.secrets import EnvCredentials, MissingSecret
from tests.functional.onboarding_ads.conftest import CALLBACK, Env, app_credentials


def _begin(env: Env, account_id: str = "initech") -> str:
    account = env.registry.get(account_id)
    assert account is not None
    return env.flow.begin(team_id="T0DEMO", user_id="U0ADMIN", account=account, channel_id="C0ADMIN")


def _amazon(env: Env, url: str, *, action: str = "allow", account: str = "initech") -> dict[str, str]:
    """Plays the Amazon user: opens the consent page, picks the account, clicks Allow (or Cancel)."""
    page = env.http.get(url)
    assert page.status_code == 200 and "Allow" in page.text, page.text
    q = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    answer = env.http.post(env.fake.base_url + "/ap/oa", data={**q, "account": account, "action": action})
    assert answer.status_code == 302, answer.text
    location = answer.headers["location"]
    assert location.startswith(CALLBACK + "?")
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def _nothing_stored(env: Env) -> None:
    with pytest.raises(MissingSecret):
        EnvCredentials().ads("initech")
    assert profiles.stored(env.store, "initech", "UK") is None


def test_consent_url_is_the_regions_lwa_host_with_the_ads_scope() -> None:
    for region, host in (("NA", "www.amazon.com"), ("EU", "eu.account.amazon.com"), ("FE", "apac.account.amazon.com")):
        url = consent_url(region, client_id="amzn1.application-oa2-client.x", state="s", redirect_uri=CALLBACK)  # type: ignore[arg-type]
        parts = urlsplit(url)
        q = parse_qs(parts.query)
        assert (parts.scheme, parts.netloc, parts.path) == ("https", host, "/ap/oa")
        assert q == {
            "client_id": ["amzn1.application-oa2-client.x"],
            "scope": [ADS_SCOPE],
            "response_type": ["code"],
            "redirect_uri": [CALLBACK],
            "state": ["s"],
        }


def test_an_account_connects_its_ads_and_its_profiles_are_stored(env: Env) -> None:
    url = _begin(env)
    assert urlsplit(url).netloc == urlsplit(env.fake.base_url).netloc
    params = _amazon(env, url)
    assert params["scope"] == ADS_SCOPE and set(params) == {"code", "scope", "state"}
    outcome = env.flow.callback(params, received_at=CALLBACK)
    assert outcome.connected, outcome
    assert (outcome.account_id, outcome.region) == ("initech", "EU")
    assert [(p.marketplace, p.currency) for p in outcome.with_profile] == [("UK", "GBP"), ("DE", "EUR"), ("FR", "EUR")]
    assert outcome.without_profile == [] and outcome.not_attribution == []
    creds = EnvCredentials().ads("initech")
    assert creds.client_id == app_credentials().client_id
    assert env.fake.data.refresh_tokens[creds.refresh_token.get_secret_value()] == "initech"
    stored = profiles.stored(env.store, "initech", "DE")
    assert stored is not None and stored.timezone == "Europe/Paris" and stored.advertiser_ids
    # The stored credentials work on the Ads API (the EU host), as /affiliates will use them.
    client = AttributionClient(creds, "UK", endpoint=env.fake.endpoint, lwa_endpoint=env.fake.base_url)
    assert {p["countryCode"] for p in client.profiles()} == {"GB", "DE", "FR"}
    assert next(r.path for r in env.fake.requests if r.path.endswith("/v2/profiles")) == "/eu/v2/profiles"


def test_a_grant_without_profiles_yet_is_connected_and_says_so(env: Env) -> None:
    env.fake.consent.profiles_visible = False
    outcome = env.flow.callback(_amazon(env, _begin(env)), received_at=CALLBACK)
    assert outcome.connected and outcome.with_profile == []
    assert outcome.without_profile == ["UK", "DE", "FR"] and not outcome.profiles_unread
    EnvCredentials().ads("initech")  # stored all the same: /affiliates discovers the profiles later
    assert profiles.stored(env.store, "initech", "UK") is None


def test_cancel_is_amazons_access_denied_redirect_and_stores_nothing(env: Env) -> None:
    params = _amazon(env, _begin(env), action="cancel")
    assert params["error"] == "access_denied" and params["error_description"] == DENIED_DESCRIPTION
    assert "code" not in params
    outcome = env.flow.callback(params, received_at=CALLBACK)
    assert outcome.refusal == AdsRefusal.DENIED and outcome.record and outcome.record.user_id == "U0ADMIN"
    _nothing_stored(env)
    # The state was used by the refusal: the link works once.
    assert env.flow.callback(params, received_at=CALLBACK).refusal == AdsRefusal.REUSED_STATE


def test_forged_reused_and_expired_states_store_nothing(env: Env) -> None:
    params = _amazon(env, _begin(env))
    claims, signature = params["state"].split(".")
    for state in ("forged", claims + ".AAAA", claims[:-2] + "xx." + signature, "a.b.c"):
        outcome = env.flow.callback({**params, "state": state}, received_at=CALLBACK)
        assert outcome.refusal == AdsRefusal.FORGED_STATE and outcome.status == 403
    _nothing_stored(env)
    expired = _amazon(env, _begin(env, "globex"))
    env.clock.now += 601
    outcome = env.flow.callback(expired, received_at=CALLBACK)
    assert outcome.refusal == AdsRefusal.EXPIRED_STATE and outcome.record and outcome.record.channel_id == "C0ADMIN"
    with pytest.raises(MissingSecret):
        EnvCredentials().ads("globex")
    _nothing_stored(env)


def test_a_state_works_once(env: Env) -> None:
    params = _amazon(env, _begin(env))
    assert env.flow.callback(params, received_at=CALLBACK).connected
    again = env.flow.callback(params, received_at=CALLBACK)
    assert again.refusal == AdsRefusal.REUSED_STATE and again.record and again.record.user_id == "U0ADMIN"


def test_an_sp_api_state_is_refused_here_and_an_ads_state_there(env: Env) -> None:
    spapi_state, _ = env.flow.states.issue(
        team_id="T0DEMO", user_id="U0ADMIN", region="EU", redirect_uri=CALLBACK, account_id="initech"
    )
    params = _amazon(env, _begin(env))
    outcome = env.flow.callback({**params, "state": spapi_state}, received_at=CALLBACK)
    assert outcome.refusal == AdsRefusal.FORGED_STATE
    _nothing_stored(env)
    with pytest.raises(StateRefused) as refused:
        env.flow.states.consume(params["state"])  # the SP-API callback's consume
    assert refused.value.problem == StateProblem.FORGED
    env.flow.states.consume(spapi_state)  # neither was used by the other flow
    assert env.flow.callback(params, received_at=CALLBACK).connected


def test_a_refused_code_stores_nothing(env: Env) -> None:
    params = _amazon(env, _begin(env))
    env.clock.now += 301  # the code's five minutes are over; the state's ten are not
    outcome = env.flow.callback(params, received_at=CALLBACK)
    assert (outcome.refusal, outcome.status) == (AdsRefusal.CODE_REFUSED, 400)
    _nothing_stored(env)


def test_a_refused_app_secret_and_a_wrong_redirect_store_nothing(env: Env) -> None:
    env.flow.app = lambda: app_credentials("wrong-secret")
    outcome = env.flow.callback(_amazon(env, _begin(env)), received_at=CALLBACK)
    assert outcome.refusal == AdsRefusal.APP_REFUSED
    env.flow.app = app_credentials
    outcome = env.flow.callback(_amazon(env, _begin(env)), received_at="https://evil.example/amazon/ads/callback")
    assert outcome.refusal == AdsRefusal.WRONG_REDIRECT
    _nothing_stored(env)


def test_missing_parameters_are_a_400(env: Env) -> None:
    params = _amazon(env, _begin(env))
    for name in ("state", "code"):
        outcome = env.flow.callback({k: v for k, v in params.items() if k != name}, received_at=CALLBACK)
        assert (outcome.refusal, outcome.status) == (AdsRefusal.MISSING_PARAMS, 400)
    _nothing_stored(env)


def test_the_consent_page_refuses_what_lwa_refuses(env: Env) -> None:
    url = _begin(env)
    q = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    base = env.fake.base_url + "/ap/oa"
    unknown = env.http.get(base, params={**q, "client_id": "amzn1.application-oa2-client.other"})
    assert unknown.status_code == 400 and "location" not in unknown.headers
    elsewhere = env.http.get(base, params={**q, "redirect_uri": "https://evil.example/cb"})
    assert elsewhere.status_code == 400 and "location" not in elsewhere.headers
    for field, value, error in (
        ("scope", "profile", "invalid_scope"),
        ("response_type", "token", "unsupported_response_type"),
    ):
        back = env.http.get(base, params={**q, field: value})
        assert back.status_code == 302 and f"error={error}" in back.headers["location"]


def test_no_code_token_or_secret_reaches_a_log_line(env: Env, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    params = _amazon(env, _begin(env))
    env.flow.callback(params, received_at=CALLBACK)
    env.flow.callback(params, received_at=CALLBACK)  # and its refusal
    refresh = EnvCredentials().ads("initech").refresh_token.get_secret_value()
    logged = caplog.text + repr([r.__dict__ for r in caplog.records])
    for secret in (params["code"], refresh, DEMO_CLIENT_SECRET):
        assert secret not in logged
