"""Deps read accounts from the store (issue 21): what is seeded where, the admins setting, and the
refusal that names who can."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from bot.runtime import build_runtime
from bot.settings import Settings
from bot.views.access import admins_only
from handlers.accounts import MarketplaceChanges
from infra.accounts import load_accounts

BASE = {"SLACK_SIGNING_SECRET": "s"}


def _runtime(fake_slack, store, **env: str):
    settings = Settings.from_env(
        {**BASE, "SLACK_BOT_TOKEN": fake_slack.token, "SLACK_API_URL": fake_slack.base_url, **env}
    )
    return build_runtime(settings, store=store)


def test_on_lambda_without_a_file_there_is_no_account(fake_slack, store, monkeypatch):
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "sellerbot-test-slack")
    monkeypatch.delenv("SELLERBOT_ACCOUNTS_FILE", raising=False)
    deps = _runtime(fake_slack, store).deps
    assert deps.accounts.accounts == [] and deps.seed_accounts is None
    assert load_accounts().accounts == []


def test_locally_without_a_file_the_demo_is_seeded(fake_slack, store, monkeypatch):
    monkeypatch.delenv("AWS_LAMBDA_FUNCTION_NAME", raising=False)
    monkeypatch.delenv("SELLERBOT_ACCOUNTS_FILE", raising=False)
    accounts = _runtime(fake_slack, store).deps.accounts
    assert [a.account_id for a in accounts.accounts] == ["acme", "globex"]
    assert {"U0DEMOUSER", "U0ADMIN"} <= set(accounts.admins)


def test_the_file_is_seeded_once_and_slack_changes_survive_a_restart(fake_slack, store, tmp_path, monkeypatch):
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "sellerbot-test-slack")  # a file counts on Lambda too
    path = tmp_path / "accounts.json"
    path.write_text(json.dumps(json.loads(load_accounts("infra/data/accounts.demo.json").model_dump_json())))
    first = _runtime(fake_slack, store, SELLERBOT_ACCOUNTS_FILE=str(path)).deps
    first.registry.update_marketplace("acme", "US", MarketplaceChanges(alert_channel="C0SLACKSET"), actor="U0ADMIN")
    again = _runtime(fake_slack, store, SELLERBOT_ACCOUNTS_FILE=str(path)).deps
    assert again.accounts.get("acme").marketplace("US").alert_channel == "C0SLACKSET"
    assert [e.action for e in again.registry.audit_trail()].count("account_imported") == 2


def test_admin_ids_from_the_setting_count_everywhere(fake_slack, store):
    deps = _runtime(fake_slack, store, SELLERBOT_ADMINS="U0LEAD, U0OTHER").deps
    assert {"U0LEAD", "U0OTHER"} <= set(deps.accounts.admins)
    assert deps.admins.is_admin("U0LEAD") and not deps.admins.is_admin("U0NOBODY")
    assert deps.access.rule.decide(_caller("U0LEAD"), deps.accounts.get("acme")).via == "admin"
    assert deps.accounts is deps.accounts  # one merged snapshot while nothing changes


def test_workspace_admins_come_from_slack(fake_slack, store):
    fake_slack.workspace_owners.add("U0OWNER")
    deps = _runtime(fake_slack, store, SELLERBOT_ADMINS="workspace").deps
    assert deps.admins.is_admin("U0ADMIN") and deps.admins.is_admin("U0OWNER")
    assert not deps.admins.is_admin("U0NOBODY")
    assert deps.admins.is_admin("U0DEMOUSER")  # the file's admins still count
    calls = [c for c in fake_slack.calls if c.method == "users.info"]
    assert deps.admins.is_admin("U0ADMIN") and len([c for c in fake_slack.calls if c.method == "users.info"]) == len(
        calls
    )  # cached
    refusal = deps.admins.refusal("connect a seller account")
    assert "a workspace admin or owner" in refusal and "<@U0DEMOUSER>" in refusal


def test_refusals_name_who_can():
    assert admins_only("connect a seller account", ["U0A", "U0B"]) == (
        ":no_entry: Only sellerbot admins can connect a seller account. Who can: an admin (<@U0A>, <@U0B>)."
    )
    assert "set SELLERBOT_ADMINS" in admins_only("disconnect an account", [])


def test_the_admins_setting_takes_user_ids():
    with pytest.raises(ValidationError, match="SELLERBOT_ADMINS"):
        Settings.from_env({"SELLERBOT_ADMINS": "alice"})
    assert Settings.from_env({"SELLERBOT_ADMINS": "workspace,U0A"}).workspace_admins


def _caller(user: str):
    from handlers.access import Caller

    return Caller(user=user)


def test_an_account_refusal_names_workspace_admins_when_they_count(fake_slack, store):
    from bot.views.access import refusal_text

    deps = _runtime(fake_slack, store, SELLERBOT_ADMINS="workspace").deps
    access = deps.access.rule.decide(_caller("U0NOBODY"), deps.accounts.get("globex"))
    assert not access.allowed and "a workspace admin or owner" in refusal_text(access)
    assert deps.access.rule.decide(_caller("U0ADMIN"), deps.accounts.get("globex")).via == "admin"
