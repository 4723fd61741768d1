"""Connecting an account's Amazon Ads end to end: `/sellerbot connect ads ACCOUNT` through the Slack Lambda handler,
the Amazon user on the fake Login with Amazon page, Amazon's redirect as an HTTP API event to the amazonCallback
handler, the admin told in Slack which marketplaces have an Attribution profile; refusals as pages; no code, token
or client secret in a log line, a page or a Slack message. Written after the listener and the route (not before)."""

from __future__ import annotations

import json
import logging
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from bot.local.environment import LOCAL_CALLBACK_URL
from bot.local.harness import BotHarness
from bot.local.lambda_emulation import LocalContext, http_api_event
from bot.oauth.callback import handler as amazon_callback
from handlers.affiliates import profiles
from infra.ads.client import forget_tokens
from infra.fakes.attribution.data import DEMO_CLIENT_SECRET
from infra.secrets import EnvCredentials, clear_local_secrets

ADMIN = "U0DEMOUSER"  # the demo accounts file's admin
ADS_CALLBACK = LOCAL_CALLBACK_URL.replace("/amazon/callback", "/amazon/ads/callback")


@pytest.fixture
def bot(store):
    with BotHarness(store=store, with_spapi=True) as harness:
        yield harness
    clear_local_secrets()
    forget_tokens()


def _link(bot: BotHarness, text: str = "/sellerbot connect ads acme", user: str = ADMIN) -> str:
    resp = bot.slash(text, user=user)
    assert resp["statusCode"] == 200
    bot.wait()
    reply = bot.replies()[-1]
    found = re.search(r"https?://[^\s|>]+/ap/oa\?[^\s|>]+", reply["text"])
    assert found, reply
    return found.group(0)


def _event(path: str, query: dict[str, str]) -> dict[str, Any]:
    parts = urlsplit(LOCAL_CALLBACK_URL)
    event = http_api_event(b"", {"host": parts.netloc, "x-forwarded-proto": parts.scheme}, path)
    event["routeKey"] = f"GET {path}"
    event["rawQueryString"] = httpx.QueryParams(query).__str__()
    event["requestContext"]["http"]["method"] = "GET"
    event["requestContext"]["domainName"] = parts.netloc
    return event


def _amazon(url: str, *, account: str = "acme", action: str = "allow") -> dict[str, str]:
    page = httpx.get(url)
    assert page.status_code == 200 and "Allow" in page.text, page.text
    q = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert q["redirect_uri"] == ADS_CALLBACK and q["scope"] == "advertising::campaign_management"
    parts = urlsplit(url)
    answer = httpx.post(f"{parts.scheme}://{parts.netloc}/ap/oa", data={**q, "account": account, "action": action})
    assert answer.status_code == 302
    return {k: v[0] for k, v in parse_qs(urlsplit(answer.headers["location"]).query).items()}


def _posts(bot: BotHarness) -> list[dict[str, Any]]:
    return [c.params for c in bot.slack.calls if c.method == "chat.postMessage"]


def test_admin_connects_ads_and_is_told_the_profiles(bot: BotHarness, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    link_reply_count = len(bot.replies())
    params = _amazon(_link(bot))
    assert "Authorize sellerbot in Amazon Ads (NA)" in json.dumps(bot.replies()[link_reply_count:])
    response = amazon_callback(_event("/amazon/ads/callback", params), LocalContext())
    assert response["statusCode"] == 200, response["body"]
    assert (
        response["headers"]["Referrer-Policy"] == "no-referrer" and response["headers"]["Cache-Control"] == "no-store"
    )
    assert "Amazon Ads connected" in response["body"] and "Attribution profiles found for US, CA" in response["body"]
    [note] = _posts(bot)
    assert note["channel"] == "C0DEMO"
    assert "Amazon Ads connected for `acme` (NA)" in note["text"]
    assert "Attribution profiles: US (USD), CA (CAD)" in note["text"]
    stored = profiles.stored(bot.deps.store, "acme", "US")
    assert stored is not None and stored.profile_id == 3312910465837761  # not the legacy Attribution-only one
    refresh = EnvCredentials().ads("acme").refresh_token.get_secret_value()
    said = json.dumps([c.params for c in bot.slack.calls]) + response["body"] + caplog.text
    for secret in (refresh, params["code"], DEMO_CLIENT_SECRET):
        assert secret not in said
    # /affiliates reads with the new grant at once.
    bot.slash("/affiliates acme US 7d", user=ADMIN)
    bot.wait()
    assert "Google Ads" in json.dumps(bot.replies()[-1])


def test_no_profiles_yet_says_two_hours(bot: BotHarness) -> None:
    fake = bot.env.fake_attribution
    assert fake is not None
    fake.consent.profiles_visible = False
    params = _amazon(_link(bot, "/sellerbot connect ads acme"), account="initech")
    response = amazon_callback(_event("/amazon/ads/callback", params), LocalContext())
    assert response["statusCode"] == 200
    [note] = _posts(bot)
    assert "No marketplace has an Attribution profile yet (US, CA)" in note["text"]
    assert "a new grant can take up to 2 hours to show its profiles" in note["text"]


def test_non_admins_and_unknown_accounts_are_refused(bot: BotHarness) -> None:
    ack = bot.ack_json(bot.slash("/sellerbot connect ads acme", user="U0REQUESTER"))
    assert "Only sellerbot admins can connect Amazon Ads" in ack["text"]
    bot.wait()
    assert not [r for r in bot.replies() if "/ap/oa" in r.get("text", "")]
    ack = bot.ack_json(bot.slash("/sellerbot connect ads nosuch", user=ADMIN))
    assert "nosuch" in json.dumps(ack) and "/sellerbot connect ads ACCOUNT" in json.dumps(ack)
    ack = bot.ack_json(bot.slash("/sellerbot connect ads", user=ADMIN))
    assert "Name one account" in json.dumps(ack)


def test_refusals_show_a_page_store_nothing_and_tell_the_admin(bot: BotHarness) -> None:
    cancelled = _amazon(_link(bot), action="cancel")
    response = amazon_callback(_event("/amazon/ads/callback", cancelled), LocalContext())
    assert response["statusCode"] == 200 and "Not authorized" in response["body"]
    assert "did not allow access" in _posts(bot)[-1]["text"]
    again = amazon_callback(_event("/amazon/ads/callback", cancelled), LocalContext())
    assert again["statusCode"] == 403 and "Link already used" in again["body"]
    params = _amazon(_link(bot))
    forged = amazon_callback(_event("/amazon/ads/callback", {**params, "state": "x.y"}), LocalContext())
    assert forged["statusCode"] == 403 and "Link not valid" in forged["body"]
    missing = amazon_callback(_event("/amazon/ads/callback", {"state": params["state"]}), LocalContext())
    assert missing["statusCode"] == 400 and "Incomplete request" in missing["body"]
    # The Ads state is no SP-API state: the SP-API callback refuses it and leaves it unused.
    spapi = amazon_callback(
        _event("/amazon/callback", {**params, "selling_partner_id": "A1", "spapi_oauth_code": params["code"]}),
        LocalContext(),
    )
    assert spapi["statusCode"] == 403 and "Link not valid" in spapi["body"]
    assert profiles.stored(bot.deps.store, "acme", "US") is None
    ok = amazon_callback(_event("/amazon/ads/callback", params), LocalContext())
    assert ok["statusCode"] == 200 and "Amazon Ads connected" in ok["body"]
