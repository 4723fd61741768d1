"""Connecting a seller end to end: `/sellerbot connect EU` through the Slack Lambda handler, the seller on the
fake Seller Central, Amazon's redirect as an HTTP API event to the amazonCallback handler, the admin told in
Slack; refusals as pages; no token, code or client secret in a log line or a Slack message."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from bot.local.environment import LOCAL_CALLBACK_URL
from bot.local.harness import BotHarness
from bot.local.lambda_emulation import LocalContext, http_api_event
from bot.oauth.callback import handler as amazon_callback
from infra.fakes.sp_api.consent import INITECH
from infra.secrets import EnvCredentials, clear_local_secrets

ADMIN = "U0DEMOUSER"  # the demo accounts file's admin


@pytest.fixture
def bot(store):
    with BotHarness(store=store, with_spapi=True) as harness:
        yield harness
    clear_local_secrets()


def _link(bot: BotHarness, text: str = "/sellerbot connect EU", user: str = ADMIN) -> str:
    resp = bot.slash(text, user=user)
    assert resp["statusCode"] == 200
    bot.wait()
    reply = bot.replies()[-1]
    found = re.search(r"https?://\S+/apps/authorize/consent\?\S+", reply["text"])
    assert found, reply
    return found.group(0)


def _event(path: str, query: dict[str, str]) -> dict[str, Any]:
    parts = urlsplit(LOCAL_CALLBACK_URL)
    event = http_api_event(b"", {"host": parts.netloc, "x-forwarded-proto": parts.scheme}, path)
    event["routeKey"], event["rawQueryString"] = f"GET {path}", "&".join(f"{k}={v}" for k, v in query.items())
    event["requestContext"]["http"]["method"] = "GET"
    event["requestContext"]["domainName"] = parts.netloc
    return event


def _seller_confirms(bot: BotHarness, url: str, seller: str = INITECH.seller_id) -> dict[str, str]:
    page = httpx.get(url)
    assert page.status_code == 200 and "Confirm" in page.text
    q = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert q["version"] == "beta" and q["redirect_uri"] == LOCAL_CALLBACK_URL
    fake = bot.env.fake_spapi
    assert fake is not None
    confirm = httpx.post(
        fake.base_url + "/apps/authorize/confirm",
        data={**{k: q[k] for k in ("application_id", "state", "redirect_uri")}, "selling_partner_id": seller},
    )
    assert confirm.status_code == 302
    return {k: v[0] for k, v in parse_qs(urlsplit(confirm.headers["location"]).query).items()}


def _posts(bot: BotHarness) -> list[dict[str, Any]]:
    return [c.params for c in bot.slack.calls if c.method == "chat.postMessage"]


def test_admin_connects_a_seller_from_slack(bot: BotHarness) -> None:
    params = _seller_confirms(bot, _link(bot))
    response = amazon_callback(_event("/amazon/callback", params), LocalContext())
    assert response["statusCode"] == 200, response["body"]
    headers = response["headers"]
    assert headers["Referrer-Policy"] == "no-referrer" and headers["Cache-Control"] == "no-store"
    assert "is now connected to sellerbot as initech" in response["body"]
    [note] = _posts(bot)
    assert note["channel"] == "C0DEMO"
    assert "Connected *Initech* as account `initech`" in note["text"] and "UK, DE, FR" in note["text"]
    assert bot.deps.registry.get("initech") is not None
    token = EnvCredentials().refresh_token("initech").get_secret_value()
    everything_said = json.dumps([c.params for c in bot.slack.calls]) + response["body"]
    for secret in (token, params["spapi_oauth_code"], "demo-secret"):
        assert secret not in everything_said
    # The fake SP-API serves the new seller with the new token: /health can read it without a restart.
    initech = bot.deps.registry.get("initech")
    assert initech is not None
    bot.deps.spapi.check_access(initech, "DE")  # raises when the token or the account is refused


def test_non_admins_are_refused_with_who_can(bot: BotHarness) -> None:
    resp = bot.slash("/sellerbot connect EU", user="U0REQUESTER")
    ack = bot.ack_json(resp)
    assert "Only sellerbot admins can connect a seller account" in ack["text"] and f"<@{ADMIN}>" in ack["text"]
    bot.wait()
    assert not [r for r in bot.replies() if "apps/authorize/consent" in r.get("text", "")]


def test_bad_arguments_say_what_to_type(bot: BotHarness) -> None:
    ack = bot.ack_json(bot.slash("/sellerbot connect XX YY ZZ", user=ADMIN))
    assert "Usage" in json.dumps(ack) and "/sellerbot connect [NA|EU|FE] [ACCOUNT]" in json.dumps(ack)


def test_reused_and_forged_states_show_a_page_and_tell_the_admin(bot: BotHarness) -> None:
    params = _seller_confirms(bot, _link(bot))
    assert amazon_callback(_event("/amazon/callback", params), LocalContext())["statusCode"] == 200
    again = amazon_callback(_event("/amazon/callback", params), LocalContext())
    assert again["statusCode"] == 403 and "Link already used" in again["body"]
    assert "used a second time" in _posts(bot)[-1]["text"]
    forged = amazon_callback(_event("/amazon/callback", {**params, "state": "x.y"}), LocalContext())
    assert forged["statusCode"] == 403 and "Link not valid" in forged["body"]
    missing = amazon_callback(_event("/amazon/callback", {"state": params["state"]}), LocalContext())
    assert missing["statusCode"] == 400 and "Incomplete request" in missing["body"]


def test_a_reauthorization_with_another_seller_changes_nothing(bot: BotHarness) -> None:
    params = _seller_confirms(bot, _link(bot, "/sellerbot connect acme"), seller=INITECH.seller_id)
    response = amazon_callback(_event("/amazon/callback", params), LocalContext())
    assert response["statusCode"] == 403 and "Different seller account" in response["body"]
    assert bot.deps.registry.get("initech") is None
    assert "different seller account" in _posts(bot)[-1]["text"]


def test_login_uri_redirects_back_to_amazon(bot: BotHarness) -> None:
    fake = bot.env.fake_spapi
    assert fake is not None
    start = fake.seller_central.reauthorize("A2ACMESELLER01", fake.base_url)
    query = {k: v[0] for k, v in parse_qs(urlsplit(start).query).items()}
    response = amazon_callback(_event("/amazon/login", query), LocalContext())
    assert response["statusCode"] == 302
    location = response["headers"]["Location"]
    assert location.startswith(fake.base_url + "/apps/authorize/confirm/")
    back = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
    assert back["amazon_state"] == query["amazon_state"] and back["redirect_uri"] == LOCAL_CALLBACK_URL
    assert back["version"] == "beta" and back["state"]
    evil = amazon_callback(
        _event("/amazon/login", {**query, "amazon_callback_uri": "https://evil.example/x"}), LocalContext()
    )
    assert evil["statusCode"] == 400 and "Not from Amazon" in evil["body"]
