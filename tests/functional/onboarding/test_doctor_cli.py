"""`sellerbot doctor` against the fake Slack and the fake SP-API/LWA over HTTP, accounts in a SQLite store."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bot.cli import main
from handlers.accounts.registry import AccountRegistry
from handlers.onboarding.rotation import LwaSecretBook
from handlers.ops.status import QUEUES
from infra.fakes.sp_api.server import FakeSpApi
from infra.secrets import refresh_token_env_name
from infra.spapi.factory import clear_token_cache
from infra.store.factory import build_store

API = "https://abc123.execute-api.eu-west-1.amazonaws.com"


@pytest.fixture
def stack(tmp_path, fake_slack, monkeypatch):
    with FakeSpApi() as fake:
        for name, value in fake.credentials_env().items():
            monkeypatch.setenv(name, value)
        for spec in QUEUES:
            monkeypatch.delenv(spec.url_env, raising=False)
        monkeypatch.setenv("SELLERBOT_SECRETS", "env")
        monkeypatch.setenv("SLACK_API_URL", fake_slack.base_url)
        monkeypatch.setenv("SLACK_BOT_TOKEN", fake_slack.token)
        monkeypatch.setenv("SLACK_SIGNING_SECRET", "doctor-test-signing-secret")
        monkeypatch.setenv("SELLERBOT_ALLOWED_TEAM_IDS", "T0DEMO")
        monkeypatch.setenv("SELLERBOT_SLACK_EVENTS_URL", API + "/slack/events")
        url = f"sqlite:///{tmp_path / 'doctor.db'}"
        store = build_store(url)
        AccountRegistry(store).import_config(fake.data.accounts, actor="test")
        LwaSecretBook(store).record_new_secret(at=datetime.now(UTC), by="test")
        clear_token_cache()
        yield fake, url
        clear_token_cache()


def _doctor(url: str, capsys) -> tuple[int, dict]:
    code = main(["doctor", "--json", "--store", url, "--stack-url", API])
    return code, json.loads(capsys.readouterr().out)


def _by_name(report: dict) -> dict[str, dict]:
    return {c["name"]: c for c in report["checks"]}


def test_a_working_setup_passes_with_unknown_queues_as_warnings(stack, capsys):
    fake, url = stack
    code, report = _doctor(url, capsys)
    checks = _by_name(report)
    assert code == 0, report
    assert checks["slack"]["outcome"] == "pass"
    assert checks["urls"]["outcome"] == "pass"
    for account in fake.data.accounts.accounts:
        assert checks[f"lwa {account.account_id}"]["outcome"] == "pass"
        assert checks[f"marketplaces {account.account_id}"]["outcome"] == "pass"
    assert checks["store"]["outcome"] == "pass"
    assert checks["queues"]["outcome"] == "warn"  # no queue URL in this environment
    assert checks["lwa secret age"]["outcome"] == "pass"


def test_a_revoked_refresh_token_fails_with_reconnect(stack, monkeypatch, capsys):
    fake, url = stack
    account = fake.data.accounts.accounts[0]
    monkeypatch.setenv(refresh_token_env_name(account.account_id), "Atzr|revoked-by-the-seller")
    code, report = _doctor(url, capsys)
    check = _by_name(report)[f"lwa {account.account_id}"]
    assert code == 1 and report["failed"]
    assert check["outcome"] == "fail" and "reconnect" in check["detail"]
    assert f"/sellerbot connect {account.region.upper()}" in check["fix"]
    assert "revoked-by-the-seller" not in json.dumps(report)


def test_a_rotated_client_secret_fails_with_invalid_client(stack, monkeypatch, capsys):
    _, url = stack
    monkeypatch.setenv("SELLERBOT_LWA_CLIENT_SECRET", "amzn1.oa2-cs.v1.an-old-secret")
    code, report = _doctor(url, capsys)
    lwa = [c for c in report["checks"] if c["name"].startswith("lwa ") and c["name"] != "lwa secret age"]
    assert code == 1
    assert lwa and all("client secret expired or rotated" in c["detail"] for c in lwa)
    assert "an-old-secret" not in json.dumps(report)


def test_a_wrong_bot_token_and_a_stale_manifest_url_fail(stack, monkeypatch, capsys):
    _, url = stack
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-not-this-one")
    monkeypatch.setenv("SELLERBOT_SLACK_EVENTS_URL", "https://old.execute-api.eu-west-1.amazonaws.com/slack/events")
    code, report = _doctor(url, capsys)
    checks = _by_name(report)
    assert code == 1
    assert checks["slack"]["outcome"] == "fail" and "invalid_auth" in checks["slack"]["detail"]
    assert checks["urls"]["outcome"] == "fail" and "sellerbot manifest --url" in checks["urls"]["fix"]


def test_text_output_names_each_check_with_its_fix(stack, monkeypatch, capsys):
    _, url = stack
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-not-this-one")
    assert main(["doctor", "--store", url, "--stack-url", API]) == 1
    out = capsys.readouterr().out
    assert "FAIL  slack" in out and "fix: the bot token is wrong" in out
    assert "checks: 1 failed" in out
