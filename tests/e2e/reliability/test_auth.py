"""Nobody gets in: forged, stale, replayed and foreign requests are refused with no side effect.

"No side effect" is checked everywhere a request could leave a trace: the fake
Slack Web API (no call, no response_url post), the fake SP-API (no request),
the store (no item written, not even a dedupe claim) and the Lambda client (no
lazy listener invoked). Every refusal is logged, without the signing secret or
the bot token.
"""

from __future__ import annotations

import json
import logging
import time
from urllib.parse import parse_qs, urlencode

import pytest

from bench.load_driver import fast_spapi
from bot.local.harness import BotHarness
from bot.local.signed_requests import block_actions_body, slash_body
from infra.fakes.sp_api.data import demo_asin

ASIN = demo_asin()  # a product of acme's in the fake catalog, so the catalog check passes

SECRET = "test-signing-secret"
ORDER_CATEGORY = "eligible"


def _items(store) -> int:
    return store._conn.execute("SELECT COUNT(*) FROM items").fetchone()[0]


class Traces:
    """Everything a request could have touched, before and after."""

    def __init__(self, bot: BotHarness) -> None:
        self.bot = bot
        self.before = self.snapshot()

    def snapshot(self) -> dict[str, int]:
        bot = self.bot
        spapi = bot.env.fake_spapi
        return {
            "slack_calls": len(bot.slack.calls),
            "spapi_requests": sum(spapi.stats.requests.values()) if spapi else 0,
            "store_items": _items(bot.store),
            "lazy_invocations": len(bot.env.lambda_client.invocations),
        }

    def unchanged(self) -> bool:
        self.bot.wait()
        return self.snapshot() == self.before


@pytest.fixture
def guarded(store):
    """A bot that accepts only workspace T0DEMO and app A0SELLERBOT, with the fake SP-API."""
    from infra.spapi.factory import clear_token_cache

    clear_token_cache()
    env = {"SELLERBOT_ALLOWED_TEAM_IDS": "T0DEMO", "SELLERBOT_ALLOWED_APP_IDS": "A0SELLERBOT"}
    with BotHarness(store=store, with_spapi=True, env=env) as harness:
        fast_spapi(harness)
        yield harness
        harness.wait(30)
    clear_token_cache()


def _eligible(bot: BotHarness, nth: int = 0) -> str:
    fake = bot.env.fake_spapi
    return [o for o in fake.data.orders[("acme", "ATVPDKIKX0DER")] if o.category == ORDER_CATEGORY][nth].order_id


def _review_body(bot: BotHarness, order_id: str, **kw) -> str:
    return slash_body(f"/review {order_id}", response_url=bot.slack.webhook_url("auth"), **kw)


def _refusals(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "sellerbot.gate" and r.getMessage().startswith("refused")]


def _assert_logged_without_secrets(caplog, bot: BotHarness, reason: str) -> None:
    refused = _refusals(caplog)
    assert refused and any(reason in r.getMessage() for r in refused)
    token = bot.deps.settings.slack_bot_token.get_secret_value()
    for record in caplog.records:
        text = record.getMessage() + json.dumps({k: str(v) for k, v in record.__dict__.items()})
        assert SECRET not in text and token not in text


# ---- signature and timestamp --------------------------------------------------------------------


@pytest.mark.parametrize("how", ["wrong secret", "no signature", "tampered body", "v0 prefix missing"])
def test_forged_signature_is_401_with_no_side_effect(guarded, caplog, how):
    caplog.set_level(logging.INFO)
    body = _review_body(guarded, _eligible(guarded))
    traces = Traces(guarded)
    if how == "wrong secret":
        resp = guarded.send(body, secret="not-the-secret")
    elif how == "no signature":
        resp = guarded.send(body, extra_headers={"x-slack-signature": ""})
    elif how == "tampered body":
        from bot.lambda_handler import handler
        from bot.local.lambda_emulation import LocalContext, http_api_event
        from bot.local.signed_requests import headers_for

        headers = headers_for(body, SECRET)
        resp = handler(http_api_event(body.replace("U0DEMOUSER", "U0ATTACKER"), headers), LocalContext())
    else:
        from bot.local.signed_requests import sign

        signature = sign(body, SECRET)["x-slack-signature"]
        resp = guarded.send(body, extra_headers={"x-slack-signature": signature.removeprefix("v0=")})
    assert resp["statusCode"] == 401
    assert traces.unchanged()
    _assert_logged_without_secrets(caplog, guarded, "signature")


@pytest.mark.parametrize("skew", [-301, -3600, +301, -(10**9)])
def test_timestamp_outside_five_minutes_is_401_with_no_side_effect(guarded, caplog, skew):
    traces = Traces(guarded)
    resp = guarded.send(_review_body(guarded, _eligible(guarded)), timestamp=int(time.time()) + skew)
    assert resp["statusCode"] == 401
    assert traces.unchanged()
    _assert_logged_without_secrets(caplog, guarded, "stale")


def test_non_numeric_timestamp_is_401(guarded):
    traces = Traces(guarded)
    resp = guarded.send(_review_body(guarded, _eligible(guarded)), extra_headers={"x-slack-request-timestamp": "soon"})
    assert resp["statusCode"] == 401 and traces.unchanged()


# ---- replay ------------------------------------------------------------------------------------


def test_replayed_command_is_dropped_and_acts_once(guarded, caplog):
    caplog.set_level(logging.INFO)
    order_id = _eligible(guarded, 1)
    body = _review_body(guarded, order_id)
    first = guarded.send(body)
    assert "Checking order" in guarded.ack_json(first)["text"]
    guarded.wait()
    traces = Traces(guarded)
    for extra in ({}, {"x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout"}, {"x-slack-retry-num": "3"}):
        again = guarded.send(body, extra_headers=extra)  # re-signed now: a replay inside the window
        assert again["statusCode"] == 200 and again["body"] == ""
    assert traces.unchanged()
    fake = guarded.env.fake_spapi
    assert [r.operation for r in fake.requests].count("createProductReviewAndSellerFeedbackSolicitation") == 1
    assert len(guarded.slack.calls_to("webhook")) == 1
    assert any(r.getMessage() == "dropped redelivery" for r in caplog.records)


def test_replay_after_five_minutes_is_401(guarded):
    body = _review_body(guarded, _eligible(guarded, 2))
    stale = int(time.time()) - 400
    traces = Traces(guarded)
    assert guarded.send(body, timestamp=stale)["statusCode"] == 401  # a captured request, replayed later
    assert traces.unchanged()


def test_replayed_send_click_sends_once(guarded):
    order_id = _eligible(guarded, 3)
    guarded.slash(f"/message {order_id} unexpectedProblem Your parcel is delayed by one day.")
    guarded.wait()
    [preview] = guarded.replies()
    draft = next(e["value"] for b in preview["blocks"] if b["type"] == "actions" for e in b["elements"])
    click = block_actions_body("reviews_message_send", draft, response_url=guarded.slack.webhook_url("click"))
    assert guarded.send(click)["statusCode"] == 200
    guarded.wait()
    traces = Traces(guarded)
    assert guarded.send(click, extra_headers={"x-slack-retry-num": "1"})["body"] == ""
    assert guarded.send(click)["body"] == ""
    assert traces.unchanged()
    assert len(guarded.env.fake_spapi.messages) == 1


# ---- foreign workspace or app --------------------------------------------------------------------


def _with_field(form_body: str, **fields: str) -> str:
    form = {k: v[0] for k, v in parse_qs(form_body, keep_blank_values=True).items()}
    form.update(fields)
    return urlencode(form)


def _interaction_with(body: str, **fields) -> str:
    payload = json.loads(parse_qs(body)["payload"][0])
    payload.update(fields)
    return urlencode({"payload": json.dumps(payload)})


@pytest.mark.parametrize("kind", ["team", "app", "both", "no team"])
def test_foreign_command_is_401_with_no_side_effect(guarded, caplog, kind):
    body = _review_body(guarded, _eligible(guarded, 4))
    fields = {
        "team": {"team_id": "T0EVIL"},
        "app": {"api_app_id": "A0EVIL"},
        "both": {"team_id": "T0EVIL", "api_app_id": "A0EVIL"},
        "no team": {"team_id": "-"},
    }[kind]
    traces = Traces(guarded)
    resp = guarded.send(_with_field(body, **fields))
    assert resp["statusCode"] == 401 and "not allowed" in resp["body"]
    assert traces.unchanged()
    _assert_logged_without_secrets(caplog, guarded, "foreign")


@pytest.mark.parametrize("kind", ["team", "app"])
def test_foreign_button_click_is_401_with_no_side_effect(guarded, caplog, kind):
    click = block_actions_body(
        "reviews_message_send", "0123456789abcdef", response_url=guarded.slack.webhook_url("evil")
    )
    fields = {"team": {"team": {"id": "T0EVIL", "domain": "evil"}}, "app": {"api_app_id": "A0EVIL"}}[kind]
    traces = Traces(guarded)
    resp = guarded.send(_interaction_with(click, **fields))
    assert resp["statusCode"] == 401
    assert traces.unchanged()
    _assert_logged_without_secrets(caplog, guarded, "foreign")


def test_foreign_event_is_401(guarded):
    event = {
        "type": "event_callback",
        "team_id": "T0EVIL",
        "api_app_id": "A0SELLERBOT",
        "event_id": "EvEvil1",
        "event": {"type": "app_mention", "user": "U1", "text": "hi", "channel": "C1", "ts": "1.0"},
    }
    traces = Traces(guarded)
    assert guarded.send(json.dumps(event), json_body=True)["statusCode"] == 401
    assert traces.unchanged()


def test_allowed_workspace_still_works(guarded):
    resp = guarded.send(_review_body(guarded, _eligible(guarded, 5)))
    assert "Checking order" in guarded.ack_json(resp)["text"]
    guarded.wait()
    assert "Review request sent" in guarded.replies()[-1]["text"]


# ---- approval buttons: only an approver who is not the requester ----------------------------------

REQUESTER, APPROVER, APPROVER2, STRANGER = "U0REQUESTER", "U0APPROVER1", "U0APPROVER2", "U0STRANGER"
APPROVALS = "C0APPROVALS"


def _request_promo(bot: BotHarness, code: str, user: str) -> str:
    from datetime import date, timedelta

    start = date.today() + timedelta(days=7)
    ack = bot.ack_json(
        bot.slash(f"/promo new {code} 20% {ASIN} {start}..{start + timedelta(days=20)} --marketplace US", user=user)
    )
    assert f"Submitting {code}" in ack["text"], ack
    bot.wait()
    [card] = [m for m in bot.slack.messages[APPROVALS] if code in m["text"] and not m.get("thread_ts")]
    return {e["action_id"]: e["value"] for b in card["blocks"] if b["type"] == "actions" for e in b["elements"]}[
        "promo_approve"
    ]


def _promo_status(bot: BotHarness, code: str) -> str:
    from handlers.promo.repository import PromoRepository

    return PromoRepository(bot.store).get_by_code("acme", code, with_history=False).status.value


@pytest.mark.parametrize(
    "clicker, code, why",
    [
        (STRANGER, "STRANGER1", "only the account's approvers"),
        (REQUESTER, "OWNCODE1", "you requested this promotion"),
    ],
)
def test_approve_button_by_a_non_approver_or_the_requester_is_refused(guarded, caplog, clicker, code, why):
    requester = REQUESTER
    value = _request_promo(guarded, code, requester)
    if clicker == REQUESTER:  # the requester is an approver too, and still may not approve their own code
        guarded.deps.accounts.get("acme").approvers.append(REQUESTER)
    slack_before = len(guarded.slack.calls)
    guarded.click("promo_approve", value, user=clicker, channel=APPROVALS)
    guarded.wait()
    [reply] = guarded.replies()[-1:]
    assert why in reply["text"] and reply["response_type"] == "ephemeral"
    assert _promo_status(guarded, code) == "pending_approval"
    new_calls = [c.method for c in guarded.slack.calls[slack_before:]]
    assert new_calls == ["webhook"]  # no card update, no hand-off thread, no DM
    token = guarded.deps.settings.slack_bot_token.get_secret_value()
    assert all(SECRET not in r.getMessage() and token not in r.getMessage() for r in caplog.records)
    assert any("refused" in r.getMessage() and code in r.getMessage() for r in caplog.records), (
        "an approval refusal is not logged"
    )


def test_reject_button_and_approve_command_by_a_stranger_are_refused(guarded):
    value = _request_promo(guarded, "STRANGER2", REQUESTER)
    guarded.click("promo_reject", value, user=STRANGER, channel=APPROVALS)
    guarded.wait()
    assert "You cannot reject STRANGER2" in guarded.replies()[-1]["text"]
    assert guarded.slack.calls_to("views.open") == []  # the rejection form never opened
    guarded.slash("/promo approve STRANGER2", user=STRANGER)
    guarded.wait()
    assert "No promotion with code STRANGER2 that you can see" in guarded.replies()[-1]["text"]
    assert _promo_status(guarded, "STRANGER2") == "pending_approval"
    guarded.click("promo_approve", value, user=APPROVER, channel=APPROVALS)
    guarded.wait()
    assert _promo_status(guarded, "STRANGER2") == "handed_off"  # the real approver still can


@pytest.mark.parametrize("action", ["promo_approve", "health_ack"])
def test_foreign_workspace_cannot_press_approval_or_alert_buttons(guarded, action):
    value = _request_promo(guarded, "FOREIGN1", REQUESTER) if action == "promo_approve" else "1:acme#CA#odr"
    click = block_actions_body(
        action, value, user=APPROVER, channel=APPROVALS, response_url=guarded.slack.webhook_url("evil")
    )
    traces = Traces(guarded)
    assert guarded.send(_interaction_with(click, team={"id": "T0EVIL", "domain": "evil"}))["statusCode"] == 401
    assert traces.unchanged()
    if action == "promo_approve":
        assert _promo_status(guarded, "FOREIGN1") == "pending_approval"
