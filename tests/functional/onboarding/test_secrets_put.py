"""`sellerbot secrets put`: each secret checked with the service before anything is written to SSM (moto)."""

from __future__ import annotations

import io
import json
import uuid

import pytest

from bot.cli import main
from handlers.onboarding.rotation import LwaSecretBook
from infra.fakes.sp_api.server import FakeSpApi
from infra.store.factory import build_store

SIGNING = "8f742231b10e8888abcd99yyyzzz85a5"


@pytest.fixture
def setup(tmp_path, fake_slack, moto_server, ssm, monkeypatch):
    with FakeSpApi() as fake:
        monkeypatch.setenv("SELLERBOT_LWA_ENDPOINT", fake.base_url)
        monkeypatch.setenv("SLACK_API_URL", fake_slack.base_url)
        monkeypatch.setenv("SELLERBOT_AWS_ENDPOINT_URL", moto_server)
        stage = "t" + uuid.uuid4().hex[:10]
        yield fake, fake_slack, stage, f"sqlite:///{tmp_path / 'secrets.db'}"


def _put(monkeypatch, capsys, stage: str, store: str, lines: dict[str, str], *flags: str) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(f"{k}={v}\n" for k, v in lines.items())))
    code = main(["secrets", "put", "--stage", stage, "--store", store, "--stdin", *flags])
    out = capsys.readouterr()
    return code, out.out, out.err


def _param(ssm, name: str):
    try:
        return ssm.get_parameter(Name=name, WithDecryption=True)["Parameter"]
    except ssm.exceptions.ParameterNotFound:
        return None


def test_valid_secrets_are_stored_in_the_layout_and_never_printed(setup, ssm, monkeypatch, capsys):
    fake, slack, stage, store = setup
    lines = {
        "signing_secret": SIGNING,
        "bot_token": slack.token,
        "lwa_app_id": fake.data.lwa_app_id,
        "lwa_client_secret": fake.data.lwa_client_secret,
    }
    code, out, err = _put(monkeypatch, capsys, stage, store, lines)
    assert code == 0, err
    slack_param = _param(ssm, f"/sellerbot/{stage}/slack")
    assert slack_param["Type"] == "SecureString"
    assert json.loads(slack_param["Value"]) == {"signing_secret": SIGNING, "bot_token": slack.token}
    assert json.loads(_param(ssm, f"/sellerbot/{stage}/lwa")["Value"]) == {
        "lwa_app_id": fake.data.lwa_app_id,
        "lwa_client_secret": fake.data.lwa_client_secret,
    }
    assert _param(ssm, f"/sellerbot/{stage}/allowed-team-ids")["Value"] == "T0DEMO"
    for value in (SIGNING, slack.token, fake.data.lwa_client_secret):
        assert value not in out + err
    assert LwaSecretBook(build_store(store)).get() is not None  # the 180-day clock starts


def test_a_bot_token_slack_refuses_writes_nothing(setup, ssm, monkeypatch, capsys):
    fake, _, stage, store = setup
    lines = {
        "signing_secret": SIGNING,
        "bot_token": "xoxb-not-this-one",
        "lwa_app_id": fake.data.lwa_app_id,
        "lwa_client_secret": fake.data.lwa_client_secret,
    }
    code, out, err = _put(monkeypatch, capsys, stage, store, lines)
    assert code == 1
    assert "invalid_auth" in err and "Nothing was written" in err
    assert _param(ssm, f"/sellerbot/{stage}/slack") is None
    assert _param(ssm, f"/sellerbot/{stage}/lwa") is None
    assert "xoxb-not-this-one" not in out + err


def test_a_client_secret_amazon_refuses_writes_nothing(setup, ssm, monkeypatch, capsys):
    fake, slack, stage, store = setup
    lines = {
        "signing_secret": SIGNING,
        "bot_token": slack.token,
        "lwa_app_id": fake.data.lwa_app_id,
        "lwa_client_secret": "amzn1.oa2-cs.v1.a-wrong-one",
    }
    code, out, err = _put(monkeypatch, capsys, stage, store, lines)
    assert code == 1
    assert "invalid_client" in err
    assert _param(ssm, f"/sellerbot/{stage}/slack") is None and _param(ssm, f"/sellerbot/{stage}/lwa") is None
    assert "a-wrong-one" not in out + err


def test_lwa_only(setup, ssm, monkeypatch, capsys):
    fake, _, stage, store = setup
    lines = {"lwa_app_id": fake.data.lwa_app_id, "lwa_client_secret": fake.data.lwa_client_secret}
    code, _, err = _put(monkeypatch, capsys, stage, store, lines, "--lwa")
    assert code == 0, err
    assert _param(ssm, f"/sellerbot/{stage}/lwa") is not None and _param(ssm, f"/sellerbot/{stage}/slack") is None


def test_a_missing_value_is_named(setup, monkeypatch, capsys):
    _, slack, stage, store = setup
    code, _, err = _put(monkeypatch, capsys, stage, store, {"bot_token": slack.token}, "--slack")
    assert code == 2 and "signing_secret" in err


def test_refuses_without_a_stage_when_secrets_are_not_in_ssm(monkeypatch, capsys):
    monkeypatch.setenv("SELLERBOT_SECRETS", "env")
    assert main(["secrets", "put"]) == 2
    assert "--stage" in capsys.readouterr().err
