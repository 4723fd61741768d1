"""Requests Slack sends that no feature asks for, answered as Slack expects: through the whole
Lambda handler, as signed API Gateway events.

The payloads are Slack's documented examples, copied as published:
- ssl_check: https://api.slack.com/interactivity/slash-commands ("These requests will include a parameter
  `ssl_check` set to `1` and a `token` parameter … please do confirm receipt"); the older slash-command
  docs (slackhq/slack-api-docs, index_slash_commands.md, "SSL") describe the same probe as a GET.
- view_closed: https://api.slack.com/reference/interaction-payloads/views#view_closed__example
- block_suggestion: https://api.slack.com/apis/socket-mode#menu ("Dynamic menus": the `payload` Slack
  sends; over HTTP it arrives as the form field `payload`), answered with `options`, of which
  "a maximum of 100" (https://api.slack.com/reference/interaction-payloads/block-suggestion).
"""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

from bot.lambda_handler import handler
from bot.local.lambda_emulation import LocalContext, http_api_event
from bot.local.signed_requests import headers_for

VIEW_CLOSED = {
    "type": "view_closed",
    "team": {"id": "TXXXXXX", "domain": "coverbands"},
    "user": {"id": "UXXXXXX", "name": "dreamweaver"},
    "token": "Shh_its_a_seekrit",
    "view": {
        "id": "V1234567890",
        "team_id": "T01ER49MBU2",
        "type": "modal",
        "blocks": [
            {
                "type": "input",
                "block_id": "zCB",
                "label": {"type": "plain_text", "text": "Label", "emoji": True},
                "optional": False,
                "dispatch_action": False,
                "element": {
                    "type": "plain_text_input",
                    "action_id": "plain_text_input-action",
                    "dispatch_action_config": {"trigger_actions_on": ["on_enter_pressed"]},
                },
            }
        ],
        "private_metadata": "",
        "callback_id": "",
        "state": {"values": {"zCB": {"plain_text_input-action": {"type": "plain_text_input", "value": "Test input."}}}},
        "hash": "1609700657.dL8yRBeO",
        "title": {"type": "plain_text", "text": "My App", "emoji": True},
        "clear_on_close": False,
        "notify_on_close": False,
        "close": {"type": "plain_text", "text": "Cancel", "emoji": True},
        "submit": {"type": "plain_text", "text": "Submit", "emoji": True},
        "root_view_id": "V1234567890",
        "app_id": "A02",
        "external_id": "",
        "app_installed_team_id": "T01ER49MBU2",
        "bot_id": "B00",
    },
    "api_app_id": "AXXXXXX",
    "is_cleared": False,
}

BLOCK_SUGGESTION = {
    "type": "block_suggestion",
    "user": {"id": "U123ABC456", "name": "panther"},
    "team": {"id": "T123ABC456", "domain": "rilke"},
    "block_id": "search-block",
    "action_id": "seach-action",
    "value": "an",
    "view": {"id": "V111", "type": "modal", "callback_id": "view-id"},
}


def _interaction(payload: dict) -> str:
    return urlencode({"payload": json.dumps(payload)})


def _quiet(bot) -> None:
    """Nothing reached Slack, no lazy listener ran and no dedupe claim was written."""
    bot.wait()
    assert bot.slack.calls == [] and bot.slack.rejections == []
    assert bot.env.lambda_client.invocations == []
    assert bot.store.query("DELIVERY#interaction:") == [] and bot.store.query("DELIVERY#command:") == []


# ---- ssl_check ---------------------------------------------------------------------------------------------------


def test_ssl_check_is_answered_200_and_nothing_runs(bot):
    resp = bot.send("ssl_check=1&token=gIkuvaNzQIHg97ATvDxqgjtO")
    assert resp["statusCode"] == 200 and resp["body"] == ""
    _quiet(bot)


def test_ssl_check_needs_no_signature(bot):
    # Slack's probe asks only for a 200 and carries nothing to act on (Bolt answers it before RequestVerification).
    event = http_api_event(
        "ssl_check=1&token=gIkuvaNzQIHg97ATvDxqgjtO", {"content-type": "application/x-www-form-urlencoded"}
    )
    assert handler(event, LocalContext())["statusCode"] == 200
    _quiet(bot)


def test_ssl_check_as_a_get_with_a_query_string(bot):
    event = http_api_event("", {})
    event["requestContext"]["http"]["method"] = "GET"
    event["rawQueryString"] = "ssl_check=1&token=gIkuvaNzQIHg97ATvDxqgjtO"
    assert handler(event, LocalContext())["statusCode"] == 200
    _quiet(bot)


def test_a_command_carrying_ssl_check_is_still_verified(bot):
    """Only the bare probe skips the signature check: a forged command cannot ride on `ssl_check=1`."""
    from bot.local.signed_requests import slash_body

    body = slash_body("/sellerbot help") + "&ssl_check=1"
    assert bot.send(body, secret="not-the-secret")["statusCode"] == 401
    forged_click = (
        _interaction(
            {
                "type": "block_actions",
                "user": {"id": "U1"},
                "team": {"id": "T0DEMO"},
                "actions": [{"action_id": "promo_approve", "value": "x"}],
            }
        )
        + "&ssl_check=1"
    )
    assert bot.send(forged_click, secret="not-the-secret")["statusCode"] == 401
    assert bot.send("ssl_check=0&token=x", secret="not-the-secret")["statusCode"] == 401
    _quiet(bot)


def test_ssl_check_as_json_is_not_the_probe(bot):
    assert bot.send(json.dumps({"ssl_check": "1"}), json_body=True, secret="nope")["statusCode"] == 401


# ---- view_closed -------------------------------------------------------------------------------------------------


def test_documented_view_closed_is_acknowledged(bot):
    resp = bot.send(_interaction(VIEW_CLOSED))
    assert resp["statusCode"] == 200 and resp["body"] == ""
    _quiet(bot)


def test_view_closed_of_our_own_modal_is_acknowledged(bot):
    closed = json.loads(json.dumps(VIEW_CLOSED))
    closed["view"].update(callback_id="promo_new", notify_on_close=True, private_metadata='{"account": "acme"}')
    closed["team"]["id"] = "T0DEMO"
    assert bot.send(_interaction(closed))["statusCode"] == 200
    _quiet(bot)


def test_view_closed_without_a_view_callback_id_is_400(bot):
    closed = json.loads(json.dumps(VIEW_CLOSED))
    del closed["view"]["callback_id"]
    resp = bot.send(_interaction(closed))
    assert resp["statusCode"] == 400 and "malformed payload" in resp["body"]


# ---- block_suggestion --------------------------------------------------------------------------------------------


def test_documented_block_suggestion_gets_an_empty_options_list(bot):
    resp = bot.send(_interaction(BLOCK_SUGGESTION))
    assert resp["statusCode"] == 200
    assert "application/json" in resp["headers"]["content-type"]
    assert json.loads(resp["body"]) == {"options": []}
    _quiet(bot)


def test_the_same_suggestion_twice_is_answered_twice(bot):
    """Options requests carry no trigger_id and are never deduplicated: typing 'an' twice asks twice."""
    first, again = bot.send(_interaction(BLOCK_SUGGESTION)), bot.send(_interaction(BLOCK_SUGGESTION))
    assert json.loads(first["body"]) == json.loads(again["body"]) == {"options": []}


def test_block_suggestion_without_an_action_id_is_400(bot):
    bad = {k: v for k, v in BLOCK_SUGGESTION.items() if k != "action_id"}
    resp = bot.send(_interaction(bad))
    assert resp["statusCode"] == 400 and "action_id" in resp["body"]


def test_block_suggestion_from_a_foreign_workspace_is_401(store):
    from bot.local.harness import BotHarness

    with BotHarness(store=store, env={"SELLERBOT_ALLOWED_TEAM_IDS": "T0DEMO"}) as harness:
        assert harness.send(_interaction(BLOCK_SUGGESTION))["statusCode"] == 401


def test_unsigned_view_closed_and_block_suggestion_are_401(bot):
    for payload in (VIEW_CLOSED, BLOCK_SUGGESTION):
        assert bot.send(_interaction(payload), secret="forged")["statusCode"] == 401
        assert bot.send(_interaction(payload), timestamp=int(time.time()) - 301)["statusCode"] == 401


def test_base64_encoded_block_suggestion(bot):
    import base64

    body = _interaction(BLOCK_SUGGESTION)
    event = http_api_event(body, headers_for(body, bot.secret))
    event["body"], event["isBase64Encoded"] = base64.b64encode(body.encode()).decode(), True
    resp = handler(event, LocalContext())
    assert resp["statusCode"] == 200 and json.loads(resp["body"]) == {"options": []}
