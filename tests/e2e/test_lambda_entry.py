"""The whole Lambda handler, driven with signed API Gateway events."""

from __future__ import annotations

import json
import time

from bot.lambda_handler import handler
from bot.local.lambda_emulation import LocalContext, http_api_event
from bot.local.signed_requests import slash_body


def test_help_lists_every_declared_command(bot):
    resp = bot.slash("/sellerbot help")
    assert resp["statusCode"] == 200
    ack = bot.ack_json(resp)
    assert ack["response_type"] == "ephemeral"
    assert "/sellerbot help" in ack["text"]


def test_unknown_command_gets_specific_ephemeral_error(bot):
    ack = bot.ack_json(bot.slash("/nonsense do things"))
    assert ack["response_type"] == "ephemeral"
    assert "Unknown command `/nonsense`" in ack["text"]
    assert "/sellerbot help" in ack["text"]


def test_unknown_subcommand_shows_usage(bot):
    ack = bot.ack_json(bot.slash("/sellerbot frobnicate"))
    assert "Unknown subcommand `frobnicate`" in ack["text"]
    assert "/sellerbot status" in ack["text"]
    assert "Usage" in ack["text"]


def test_unknown_action_gets_ephemeral_error(bot):
    resp = bot.click("no_such_action", "x")
    assert resp["statusCode"] == 200
    bot.wait()
    [reply] = bot.replies()
    assert "not known" in reply["text"]
    assert reply["response_type"] == "ephemeral"


def test_forged_signature_is_401_without_side_effects(bot):
    resp = bot.slash("/sellerbot help", secret="not-the-secret")
    assert resp["statusCode"] == 401
    assert bot.store.query("DELIVERY#command:x") == []
    assert bot.slack.calls == []


def test_stale_timestamp_is_401(bot):
    resp = bot.slash("/sellerbot help", timestamp=int(time.time()) - 301)
    assert resp["statusCode"] == 401


def test_timestamp_inside_window_is_accepted(bot):
    resp = bot.slash("/sellerbot help", timestamp=int(time.time()) - 290)
    assert resp["statusCode"] == 200


def test_malformed_interaction_payload_is_400(bot):
    resp = bot.send("payload=%7Bnot-json")
    assert resp["statusCode"] == 400
    assert "malformed payload" in resp["body"]


def test_payload_missing_required_fields_is_400(bot):
    resp = bot.send("command=%2Fsellerbot&text=help")  # no user_id / team_id
    assert resp["statusCode"] == 400


def test_base64_encoded_body_is_accepted(bot):
    import base64

    body = slash_body("/sellerbot help")
    from bot.local.signed_requests import headers_for

    event = http_api_event(body, headers_for(body, bot.secret))
    event["body"] = base64.b64encode(body.encode()).decode()
    event["isBase64Encoded"] = True
    assert handler(event, LocalContext())["statusCode"] == 200


def test_redelivered_command_is_dropped(bot):
    first = bot.slash("/sellerbot help", trigger_id="T-1")
    again = bot.slash("/sellerbot help", trigger_id="T-1")
    assert bot.ack_json(first)["text"].startswith("sellerbot commands")
    assert again["statusCode"] == 200 and again["body"] == ""


def test_events_api_retry_is_deduplicated_through_the_store(bot):
    event = {
        "type": "event_callback",
        "team_id": "T0DEMO",
        "api_app_id": "A0SELLERBOT",
        "event_id": "Ev123",
        "event": {"type": "app_mention", "user": "U1", "text": "hi", "channel": "C1", "ts": "1.0"},
    }
    body = json.dumps(event)
    first = bot.send(body, json_body=True)
    retry = bot.send(
        body, json_body=True, extra_headers={"x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout"}
    )
    assert first["statusCode"] == 200  # no feature subscribes to app_mention: the fallback answers 200
    assert retry["statusCode"] == 200 and retry["body"] == ""
    assert bot.store.get("DELIVERY#event:Ev123", "-") is not None


def test_requests_no_feature_handles_get_200_not_a_404(bot):
    from urllib.parse import urlencode

    def interaction(payload: dict) -> dict:
        base = {
            "user": {"id": "U1"},
            "team": {"id": "T0DEMO"},
            "api_app_id": "A0SELLERBOT",
            "trigger_id": str(time.time()),
        }
        return bot.send(urlencode({"payload": json.dumps({**base, **payload})}))

    assert interaction({"type": "shortcut", "callback_id": "not_ours"})["statusCode"] == 200
    view = {"id": "V1", "type": "modal", "callback_id": "not_ours", "state": {"values": {}}}
    assert interaction({"type": "view_submission", "view": view})["statusCode"] == 200
    rate_limited = bot.send(
        json.dumps({"type": "app_rate_limited", "team_id": "T0DEMO", "minute_rate_limited": 1}), json_body=True
    )
    assert rate_limited["statusCode"] == 200


def test_url_verification_challenge(bot):
    body = json.dumps({"type": "url_verification", "challenge": "abc123", "token": "x"})
    resp = bot.send(body, json_body=True)
    assert resp["statusCode"] == 200
    assert "abc123" in resp["body"]


def test_http_caller_cannot_select_a_lazy_listener(bot):
    resp = bot.slash(
        "/sellerbot help", extra_headers={"x-slack-bolt-lazy-only": "1", "x-slack-bolt-lazy-function-name": "anything"}
    )
    # Treated as an ordinary request: acked normally, no lazy-only shortcut.
    assert bot.ack_json(resp)["text"].startswith("sellerbot commands")


def test_foreign_workspace_is_refused(store):
    from bot.local.harness import BotHarness

    with BotHarness(store=store, env={"SELLERBOT_ALLOWED_TEAM_IDS": "T0OTHER"}) as harness:
        resp = harness.slash("/sellerbot help")
        assert resp["statusCode"] == 401
        assert harness.slack.calls == []


def test_command_text_with_the_word_payload_reaches_its_listener(bot):
    # Bolt's own parse reads a form body containing "payload" anywhere as empty (no listener would match);
    # Bolt now dispatches on the gate's parse of the body.
    ack = bot.ack_json(bot.slash("/sellerbot frobnicate payload"))
    assert "Unknown subcommand `frobnicate`" in ack["text"]
