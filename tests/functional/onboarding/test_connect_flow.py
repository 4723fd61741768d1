"""A seller connected through the fake Seller Central: consent page, Confirm, the callback's exchange, the
registry and the token; and each refusal, which stores nothing (written before flow.py; failed: no module)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from handlers.onboarding.flow import Refusal
from infra.fakes.sp_api.consent import CODE_ERROR, INITECH
from infra.secrets import EnvCredentials, MissingSecret
from tests.functional.onboarding.conftest import CALLBACK, Env


def _consent(env: Env, url: str, seller: str = INITECH.seller_id) -> dict[str, str]:
    """Plays the seller: opens the consent page, picks `seller`, clicks Confirm; the redirect's query."""
    page = env.http.get(url)
    assert page.status_code == 200 and "Confirm" in page.text, page.text
    form = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    confirm = env.http.post(
        env.fake.base_url + "/apps/authorize/confirm",
        data={
            "application_id": form["application_id"],
            "state": form["state"],
            "redirect_uri": form["redirect_uri"],
            "selling_partner_id": seller,
            "action": "confirm",
        },
    )
    assert confirm.status_code == 302
    location = confirm.headers["location"]
    assert location.startswith(CALLBACK + "?")
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def _begin(env: Env, region: str = "EU", account_id: str | None = None, user: str = "U0ADMIN") -> str:
    return env.flow.begin(team_id="T0DEMO", user_id=user, region=region, channel_id="C0ADMIN", account_id=account_id)  # type: ignore[arg-type]


def test_consent_url_names_the_region_host_app_and_beta() -> None:
    from handlers.onboarding.consent import consent_url

    for region, host in (
        ("NA", "sellercentral.amazon.com"),
        ("EU", "sellercentral-europe.amazon.com"),
        ("FE", "sellercentral.amazon.co.jp"),
    ):
        url = consent_url(region, application_id="amzn1.sp.solution.x", state="s", redirect_uri=CALLBACK, draft=True)  # type: ignore[arg-type]
        parts = urlsplit(url)
        q = parse_qs(parts.query)
        assert parts.netloc == host and parts.path == "/apps/authorize/consent"
        assert q["application_id"] == ["amzn1.sp.solution.x"] and q["version"] == ["beta"]
        assert q["redirect_uri"] == [CALLBACK]
    assert "version" not in consent_url("NA", application_id="a", state="s", redirect_uri=CALLBACK, draft=False)


def test_a_new_seller_connects_with_its_marketplaces_and_token(env: Env) -> None:
    params = _consent(env, _begin(env))
    outcome = env.flow.callback(params, received_at=CALLBACK)
    assert outcome.connected and outcome.refusal is None, outcome
    assert (outcome.account_id, outcome.selling_partner_id, outcome.region) == ("initech", INITECH.seller_id, "EU")
    assert outcome.marketplaces == ["UK", "DE", "FR"]  # GB -> UK by id; the Non-Amazon id ignored
    config = env.registry.get("initech")
    assert config is not None and config.seller_id == INITECH.seller_id
    token = EnvCredentials().refresh_token("initech").get_secret_value()
    assert env.fake.data.refresh_tokens[token] == "initech"  # the fake SP-API accepts it


def test_reconnecting_replaces_the_token(env: Env) -> None:
    env.flow.callback(_consent(env, _begin(env)), received_at=CALLBACK)
    first = EnvCredentials().refresh_token("initech").get_secret_value()
    outcome = env.flow.callback(_consent(env, _begin(env, account_id="initech")), received_at=CALLBACK)
    assert outcome.connected and outcome.reconnected
    assert EnvCredentials().refresh_token("initech").get_secret_value() != first


def _nothing_stored(env: Env) -> None:
    assert env.registry.get("initech") is None
    with pytest.raises(MissingSecret):
        EnvCredentials().refresh_token("initech")


def test_forged_and_tampered_states_are_refused_before_the_store(env: Env) -> None:
    params = _consent(env, _begin(env))
    claims, signature = params["state"].split(".")
    for state in ("forged", claims + ".AAAA", claims[:-2] + "xx." + signature, "", "a.b.c"):
        outcome = env.flow.callback({**params, "state": state}, received_at=CALLBACK)
        assert outcome.refusal in (Refusal.FORGED_STATE, Refusal.MISSING_PARAMS) and outcome.status in (400, 403)
    _nothing_stored(env)


def test_a_state_works_once(env: Env) -> None:
    params = _consent(env, _begin(env))
    assert env.flow.callback(params, received_at=CALLBACK).connected
    again = env.flow.callback(params, received_at=CALLBACK)
    assert again.refusal == Refusal.REUSED_STATE and again.record is not None and again.record.user_id == "U0ADMIN"


def test_an_expired_state_is_refused_and_names_who_asked(env: Env) -> None:
    params = _consent(env, _begin(env))
    env.clock.now += 601
    outcome = env.flow.callback(params, received_at=CALLBACK)
    assert outcome.refusal == Refusal.EXPIRED_STATE and outcome.record and outcome.record.channel_id == "C0ADMIN"
    _nothing_stored(env)


def test_missing_parameters_are_a_400(env: Env) -> None:
    params = _consent(env, _begin(env))
    for name in ("state", "selling_partner_id", "spapi_oauth_code"):
        outcome = env.flow.callback({k: v for k, v in params.items() if k != name}, received_at=CALLBACK)
        assert (outcome.refusal, outcome.status) == (Refusal.MISSING_PARAMS, 400)
    _nothing_stored(env)


def test_a_callback_on_another_redirect_is_refused(env: Env) -> None:
    params = _consent(env, _begin(env))
    outcome = env.flow.callback(params, received_at="https://evil.example/amazon/callback")
    assert outcome.refusal == Refusal.WRONG_REDIRECT
    _nothing_stored(env)


def test_a_code_amazon_refuses_stores_nothing(env: Env) -> None:
    params = _consent(env, _begin(env))
    # The code used once (by someone who intercepted it), then the real callback comes.
    used = env.http.post(
        env.fake.base_url + "/auth/o2/token",
        data={
            "grant_type": "authorization_code",
            "code": params["spapi_oauth_code"],
            "client_id": env.fake.data.lwa_app_id,
            "client_secret": env.fake.data.lwa_client_secret,
        },
    )
    assert used.status_code == 200
    env.writer.forget_local()
    env.fake.data.refresh_tokens.clear()
    outcome = env.flow.callback(params, received_at=CALLBACK)
    assert outcome.refusal == Refusal.CODE_REFUSED
    _nothing_stored(env)


def test_a_reauthorization_by_another_seller_is_refused(env: Env) -> None:
    params = _consent(env, _begin(env, region="NA", account_id="acme"), seller=INITECH.seller_id)
    outcome = env.flow.callback(params, received_at=CALLBACK)
    assert outcome.refusal == Refusal.OTHER_SELLER
    _nothing_stored(env)


def test_login_uri_flow_for_a_known_seller_and_refusals(env: Env) -> None:
    env.fake.seller_central.login_uri = "https://sellerbot.example/amazon/login"
    start = env.fake.seller_central.reauthorize("A2ACMESELLER01", env.fake.base_url)
    params = {k: v[0] for k, v in parse_qs(urlsplit(start).query).items()}
    outcome = env.flow.login(params)
    assert outcome.status == 302 and outcome.redirect_to is not None
    back = env.http.get(outcome.redirect_to)
    assert back.status_code == 302, back.text
    query = {k: v[0] for k, v in parse_qs(urlsplit(back.headers["location"]).query).items()}
    done = env.flow.callback(query, received_at=CALLBACK)
    assert done.connected and done.account_id == "acme" and done.reconnected
    evil = env.flow.login({**params, "amazon_callback_uri": "https://evil.example/apps/authorize/confirm/x"})
    assert (evil.refusal, evil.status) == (Refusal.NOT_AMAZON, 400)
    unknown = env.flow.login({**params, "selling_partner_id": "A0NOBODY"})
    assert unknown.refusal == Refusal.UNKNOWN_SELLER
    assert env.flow.login({}).status == 400


def test_fake_consent_page_errors_and_lwa_errors(env: Env) -> None:
    base = env.fake.base_url + "/apps/authorize/consent"
    app = env.fake.seller_central.application_id
    q = {"application_id": app, "state": "s", "redirect_uri": CALLBACK}
    assert "MD1000" in env.http.get(base, params=q).text
    assert "MD5101" in env.http.get(base, params={**q, "version": "beta", "redirect_uri": "https://x.example/cb"}).text
    assert "MD5110" in env.http.get(base, params={**q, "version": "beta", "redirect_uri": CALLBACK + "#x"}).text
    token = env.fake.base_url + "/auth/o2/token"
    bad_client = env.http.post(
        token, data={"grant_type": "authorization_code", "code": "x", "client_id": "no", "client_secret": "no"}
    )
    assert (bad_client.status_code, bad_client.json()["error"]) == (401, "invalid_client")
    lwa = {"client_id": env.fake.data.lwa_app_id, "client_secret": env.fake.data.lwa_client_secret}
    unknown = env.http.post(token, data={"grant_type": "authorization_code", "code": "nope", **lwa})
    assert unknown.status_code == 400 and unknown.json() == {"error": "invalid_grant", "error_description": CODE_ERROR}
    params = _consent(env, _begin(env))
    env.fake.seller_central.clock = lambda: 10**11  # the code is older than 300 s
    late = env.http.post(token, data={"grant_type": "authorization_code", "code": params["spapi_oauth_code"], **lwa})
    assert late.json()["error"] == "invalid_grant"
    revoked = env.http.post(env.fake.base_url + "/_fake/revoke", json={"refresh_token": "Atzr|demo-acme"})
    assert revoked.json() == {"revoked": True}
    refresh = env.http.post(token, data={"grant_type": "refresh_token", "refresh_token": "Atzr|demo-acme", **lwa})
    assert refresh.status_code == 400 and "User may have revoked" in refresh.json()["error_description"]


def test_participations_follow_amazons_model(env: Env) -> None:
    access = httpx.get(
        env.fake.base_url + "/sellers/v1/marketplaceParticipations",
        headers={"x-amz-access-token": "Atza|fake.globex"},
    ).json()["payload"]
    countries = [p["marketplace"]["countryCode"] for p in access]
    ids = [p["marketplace"]["id"] for p in access]
    assert countries[0] == "GB" and "A1ZFFQZ3HTUKT9" in ids
    assert not env.fake.contract_violations
