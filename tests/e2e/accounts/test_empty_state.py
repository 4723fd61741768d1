"""A fresh deploy with no seller account (issue 21): every command that needs one answers, through the
whole Lambda handler, how to connect one and who can; once an account is in the store, the same
process serves it without a restart."""

from __future__ import annotations

import json

import pytest

from bot.local.harness import BotHarness
from handlers.accounts import ConnectedSeller

COMMANDS = ("/promo list", "/health", "/review sweep --dry-run", "/message 111-0000000-0000042 x y", "/health check")
HOW = "An admin runs `/sellerbot connect NA|EU|FE`"


@pytest.fixture(scope="module")
def harness(tmp_path_factory):
    path = tmp_path_factory.mktemp("accounts") / "accounts.json"
    path.write_text(json.dumps({"accounts": [], "admins": []}), encoding="utf-8")
    env = {"SELLERBOT_ACCOUNTS_FILE": str(path), "SELLERBOT_ADMINS": "U0LEAD"}
    with BotHarness(with_spapi=True, env=env) as harness:
        yield harness


def _text(ack: dict) -> str:
    return ack.get("text", "") + json.dumps(ack.get("blocks", []))


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_says_how_to_connect_an_account(harness, command):
    ack = harness.ack_json(harness.slash(command, user="U0SOMEONE"))
    assert HOW in ack["text"] and "<@U0LEAD>" in ack["text"], ack
    assert ack["response_type"] == "ephemeral"


def test_an_admin_is_told_to_connect_one_themselves(harness):
    ack = harness.ack_json(harness.slash("/promo list", user="U0LEAD"))
    assert "You are a sellerbot admin: run `/sellerbot connect NA|EU|FE`" in ack["text"]


def test_status_answers_non_admins_and_help_still_works(harness):
    assert HOW in harness.ack_json(harness.slash("/sellerbot status", user="U0SOMEONE"))["text"]
    assert "/sellerbot status" in _text(harness.ack_json(harness.slash("/sellerbot help", user="U0SOMEONE")))
    # An admin's status is the first-run check, not the empty-state answer.
    admin = harness.ack_json(harness.slash("/sellerbot status", user="U0LEAD"))
    assert HOW not in admin.get("text", "")
    harness.wait()


def test_a_connected_account_is_served_without_a_restart(harness):
    deps = harness.deps
    seller = ConnectedSeller(
        selling_partner_id="A2ACMESELLER01",
        region="NA",
        marketplace_ids=["ATVPDKIKX0DER"],
        team_id="T",
        user_id="U0LEAD",
    )
    account = deps.registry.connect(seller.model_copy(update={"name": "Acme Outdoor"}), actor="U0LEAD")
    assert account.account_id == "acme-outdoor"
    ack = harness.ack_json(harness.slash("/promo list", user="U0LEAD"))
    assert HOW not in _text(ack)
    assert [a.account_id for a in deps.accounts.accounts] == ["acme-outdoor"]
    harness.wait()
