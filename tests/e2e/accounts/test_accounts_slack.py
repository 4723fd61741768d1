"""`/sellerbot accounts`, its Configure modal, `/sellerbot disconnect` and a refused token, through the whole
Lambda handler with signed requests (issue 21 items 3, 4): admins act, everyone else is refused with who can; a
modal's metadata is checked, not trusted; Amazon's invalid_grant marks the account and tells its people once;
no token reaches a Slack message or a log line."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from bot.local.harness import BotHarness
from bot.views.accounts import CONFIGURE_ACTION, CONFIGURE_VIEW, DISCONNECT_ACTION, RECONNECT_ACTION
from handlers.accounts import ConnectionState
from infra.secrets import EnvCredentials, MissingSecret, clear_local_secrets
from infra.spapi import clear_token_cache

ADMIN = "U0ADMIN"
OUTSIDER = "U0SOMEONE"


@pytest.fixture
def bot(store, monkeypatch):
    monkeypatch.setenv("SELLERBOT_STAGE", "local")
    clear_token_cache()
    with BotHarness(store=store, with_spapi=True) as harness:
        yield harness
    clear_local_secrets()
    clear_token_cache()


def _said(bot: BotHarness) -> str:
    return json.dumps([c.params for c in bot.slack.calls])


def _text(payload: dict[str, Any]) -> str:
    return payload.get("text", "") + json.dumps(payload.get("blocks", []))


def _posts(bot: BotHarness) -> list[dict[str, Any]]:
    return [c.params for c in bot.slack.calls if c.method == "chat.postMessage"]


def _accounts(bot: BotHarness, user: str = ADMIN) -> dict[str, Any]:
    ack = bot.ack_json(bot.slash("/sellerbot accounts", user=user))
    bot.wait()
    return ack


def test_admin_lists_accounts_by_marketplace_with_state_and_configure_buttons(bot):
    _accounts(bot)
    reply = bot.replies()[-1]
    text = _text(reply)
    assert "Acme Outdoor" in text and "Globex Home" in text
    assert "*US*: :white_circle: never checked" in text  # imported, no health check yet
    assert "alerts <#C0ACMEUS>" in text and "<!subteam^S0ACMEOPS>" in text
    assert "authorization date unknown (imported)" in text
    buttons = [b["accessory"] for b in reply["blocks"] if b.get("accessory")]
    assert {b["value"] for b in buttons} == {"acme|US", "acme|CA", "globex|UK", "globex|DE"}
    assert {b["action_id"] for b in buttons} == {CONFIGURE_ACTION}


def test_a_connected_account_shows_its_authorization_age(bot):
    from handlers.accounts import ConnectedSeller

    bot.deps.registry.connect(
        ConnectedSeller(
            selling_partner_id=bot.deps.registry.get("acme").seller_id,
            region="NA",
            marketplace_ids=["ATVPDKIKX0DER"],
            team_id="T0",
            user_id=ADMIN,
            account_id="acme",
        ),
        actor=ADMIN,
    )
    _accounts(bot)
    text = _text(bot.replies()[-1])
    assert "*US*: :large_green_circle: connected" in text
    assert "authorized today; renew by " in text


def test_non_admins_are_refused_with_who_can(bot):
    ack = _accounts(bot, OUTSIDER)
    assert "Only sellerbot admins can list and configure seller accounts" in ack["text"]
    assert "<@U0ADMIN>" in ack["text"]
    assert not bot.replies()  # the lazy run checked again and said nothing more
    bot.click(CONFIGURE_ACTION, "acme|US", user=OUTSIDER, trigger_id="T.1")
    assert not bot.opened_views()
    assert "Only sellerbot admins can configure" in bot.replies()[-1]["text"]


def _open_modal(bot: BotHarness, value: str = "acme|US") -> dict[str, Any]:
    bot.click(CONFIGURE_ACTION, value, user=ADMIN, trigger_id="T0TRIGGER.1")
    [view] = bot.opened_views()
    return view


def _values(channel="C0NEWALERTS", group="S0ACMEOPS", threshold="0.8") -> dict[str, Any]:
    return {
        "alert_channel": {"value": {"type": "conversations_select", "selected_conversation": channel}},
        "responders": {"value": {"type": "multi_users_select", "selected_users": ["U0ALICE", "U0BOB"]}},
        "owner_group": {"value": {"type": "plain_text_input", "value": group}},
        "approvers": {"value": {"type": "multi_users_select", "selected_users": ["U0ADMIN"]}},
        "brand_registry": {"value": {"type": "checkboxes", "selected_options": [{"value": "yes"}]}},
        "threshold:orderDefectRate": {"value": {"type": "number_input", "value": threshold}},
    }


def test_admin_configures_a_marketplace_in_the_modal(bot):
    view = _open_modal(bot)
    assert view["callback_id"] == CONFIGURE_VIEW
    assert json.loads(view["private_metadata"]) == {"account": "acme", "marketplace": "US"}
    blocks = {b.get("block_id"): b for b in view["blocks"]}
    assert blocks["alert_channel"]["element"]["type"] == "conversations_select"
    assert blocks["alert_channel"]["element"]["initial_conversation"] == "C0ACMEUS"
    assert blocks["responders"]["element"]["type"] == "multi_users_select"
    assert blocks["approvers"]["element"]["type"] == "multi_users_select"
    assert blocks["brand_registry"]["element"]["type"] == "checkboxes"
    ack = bot.ack_json(
        bot.submit_view(CONFIGURE_VIEW, _values(), user=ADMIN, private_metadata=view["private_metadata"])
    )
    assert ack == {}, ack
    account = bot.deps.registry.get("acme")
    us = account.marketplace("US")
    assert us.alert_channel == "C0NEWALERTS" and us.responders == ["U0ALICE", "U0BOB"]
    assert us.thresholds == {"orderDefectRate": 0.008}
    assert account.brand_registry and account.approvers == ["U0ADMIN"]
    assert account.marketplace("CA").alert_channel == "C0ACMECA"  # the other marketplace is untouched
    [entry] = [e for e in bot.deps.registry.audit_trail() if e.action == "marketplace_updated"]
    assert entry.by == ADMIN and entry.detail["marketplace"] == "US"
    assert any("saved the settings of `acme` US" in p["text"] for p in _posts(bot))


def test_modal_errors_are_shown_in_the_modal_and_nothing_is_saved(bot):
    view = _open_modal(bot)
    before = bot.deps.registry.get("acme")
    ack = bot.ack_json(
        bot.submit_view(
            CONFIGURE_VIEW, _values(group="ops team", threshold="150"), private_metadata=view["private_metadata"]
        )
    )
    assert ack["response_action"] == "errors"
    assert set(ack["errors"]) == {"owner_group", "threshold:orderDefectRate"}
    assert bot.deps.registry.get("acme") == before


def test_the_modal_metadata_is_checked_and_the_submitter_must_be_an_admin(bot):
    before = bot.deps.registry.export()
    forged = json.dumps({"account": "nosuch", "marketplace": "US"})
    ack = bot.ack_json(bot.submit_view(CONFIGURE_VIEW, _values(), user=ADMIN, private_metadata=forged))
    assert ack["response_action"] == "errors" and "no longer matches an account" in ack["errors"]["alert_channel"]
    for meta in ("not json", json.dumps({"account": "acme", "marketplace": "JP"}), ""):
        ack = bot.ack_json(bot.submit_view(CONFIGURE_VIEW, _values(), user=ADMIN, private_metadata=meta))
        assert ack["response_action"] == "errors"
    good = json.dumps({"account": "acme", "marketplace": "US"})
    ack = bot.ack_json(bot.submit_view(CONFIGURE_VIEW, _values(), user=OUTSIDER, private_metadata=good))
    assert "Only sellerbot admins" in ack["errors"]["alert_channel"]
    assert bot.deps.registry.export() == before


def test_disconnect_asks_first_then_deletes_the_token_and_marks_the_account(bot):
    token = EnvCredentials().refresh_token("acme").get_secret_value()
    assert (
        "Only sellerbot admins can disconnect"
        in bot.ack_json(bot.slash("/sellerbot disconnect acme", user=OUTSIDER))["text"]
    )
    ack = bot.ack_json(bot.slash("/sellerbot disconnect acme", user=ADMIN))
    assert "Disconnect *Acme Outdoor* (`acme`)?" in ack["text"]
    assert EnvCredentials().refresh_token("acme").get_secret_value() == token  # nothing happened yet
    bot.click(DISCONNECT_ACTION, "acme", user=OUTSIDER)
    bot.wait()
    assert bot.deps.registry.connection("acme").state != ConnectionState.DISCONNECTED
    bot.click(DISCONNECT_ACTION, "acme", user=ADMIN)
    bot.wait()
    assert bot.deps.registry.connection("acme").state == ConnectionState.DISCONNECTED
    with pytest.raises(MissingSecret):
        EnvCredentials().refresh_token("acme")
    assert "disconnected *Acme Outdoor* (`acme`)" in bot.replies()[-1]["text"]
    bot.click(DISCONNECT_ACTION, "acme", user=ADMIN)  # a double click
    bot.wait()
    assert "was already disconnected" in bot.replies()[-1]["text"]
    actions = [e.detail.get("state") for e in bot.deps.registry.audit_trail() if e.action == "connection_changed"]
    assert actions == ["disconnected"]
    _accounts(bot)
    assert "*US*: :black_circle: disconnected by an admin" in _text(bot.replies()[-1])
    assert token not in _said(bot)
    assert "Name the account" in bot.ack_json(bot.slash("/sellerbot disconnect", user=ADMIN))["text"]
    assert "No account `nosuch`" in bot.ack_json(bot.slash("/sellerbot disconnect nosuch", user=ADMIN))["text"]


def test_invalid_grant_marks_the_account_and_tells_its_channels_and_admins_once(bot, caplog):
    caplog.set_level(logging.DEBUG)
    token = EnvCredentials().refresh_token("acme").get_secret_value()
    fake = bot.env.fake_spapi
    assert fake is not None and fake.seller_central.revoke(token)
    for _ in range(2):  # U0ALICE is on acme: her status checks acme's access and meets the refusal
        bot.slash("/sellerbot status", user="U0ALICE")
        bot.wait()
    told = [p for p in _posts(bot) if "no longer accepts sellerbot's authorization" in p["text"]]
    assert sorted(p["channel"] for p in told) == ["C0ACMECA", "C0ACMEUS", "C0APPROVALS", "U0ADMIN", "U0DEMOUSER"]
    assert bot.deps.registry.connection("acme").state == ConnectionState.TOKEN_REFUSED
    [button] = json.loads(json.dumps(told[0]["blocks"]))[-1]["elements"]
    assert button["action_id"] == RECONNECT_ACTION and button["value"] == "acme"
    assert "reconnects it with /sellerbot connect" in _text(bot.replies()[-1])
    everything = _said(bot) + "\n".join(r.getMessage() for r in caplog.records)
    assert token not in everything
    # The Reconnect button: admins get the consent link for that account's region; others are refused.
    bot.click(RECONNECT_ACTION, "acme", user="U0ALICE")
    bot.wait()
    assert "Only sellerbot admins can reconnect" in bot.replies()[-1]["text"]
    bot.click(RECONNECT_ACTION, "acme", user=ADMIN)
    bot.wait()
    reply = bot.replies()[-1]
    assert "renew the authorization of `acme`" in _text(reply) and "/apps/authorize/consent" in reply["text"]
