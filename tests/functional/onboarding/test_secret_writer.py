"""SecretWriter: SecureStrings in infra/secrets.py's layout on a moto SSM, and the local overlay the env source reads."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

import pytest

from infra.secret_writer import SecretWriter
from infra.secrets import EnvCredentials, MissingSecret, SsmCredentials
from tests.support.aws import REGION, moto_server, ssm


@dataclass
class _Settings:
    secrets_source: str
    ssm_prefix: str
    aws_endpoint_url: str | None = None


@pytest.fixture
def prefix() -> str:
    return f"/sellerbot/test-{uuid.uuid4().hex[:8]}"


def test_ssm_writes_secure_strings_in_the_read_layout(ssm, moto_server, prefix) -> None:
    writer = SecretWriter(_Settings("ssm", prefix + "/", moto_server), region_name=REGION)
    writer.put_refresh_token("initech-eu", "Atzr|first")
    writer.put_refresh_token("initech-eu", "Atzr|second")  # reconnect replaces (--overwrite)
    writer.put_lwa("amzn1.application-oa2-client.x", "amzn1.oa2-cs.v1.secret")
    writer.put_slack("sig-123456", "xoxb-123456")
    param = ssm.get_parameter(Name=f"{prefix}/refresh-token/initech-eu", WithDecryption=True)["Parameter"]
    assert param["Type"] == "SecureString" and param["Value"] == "Atzr|second"
    lwa = json.loads(ssm.get_parameter(Name=f"{prefix}/lwa", WithDecryption=True)["Parameter"]["Value"])
    assert lwa == {"lwa_app_id": "amzn1.application-oa2-client.x", "lwa_client_secret": "amzn1.oa2-cs.v1.secret"}
    source = SsmCredentials(prefix, endpoint_url=moto_server, region_name=REGION, max_age=0)
    assert source.refresh_token("initech-eu").get_secret_value() == "Atzr|second"
    assert source.slack().bot_token.get_secret_value() == "xoxb-123456"
    assert source.lwa().lwa_client_secret.get_secret_value() == "amzn1.oa2-cs.v1.secret"
    writer.delete_refresh_token("initech-eu")
    writer.delete_refresh_token("initech-eu")  # already gone: no error
    with pytest.raises(MissingSecret):
        source.refresh_token("initech-eu")


def test_env_overlay_is_seen_without_a_restart(monkeypatch: pytest.MonkeyPatch) -> None:
    account = f"overlay-{uuid.uuid4().hex[:6]}"
    writer = SecretWriter(_Settings("env", "/sellerbot/local"))
    source = EnvCredentials()
    with pytest.raises(MissingSecret):
        source.refresh_token(account)
    writer.put_refresh_token(account, "Atzr|overlaid")
    assert source.refresh_token(account).get_secret_value() == "Atzr|overlaid"
    env_name = "SELLERBOT_REFRESH_TOKEN_" + account.upper().replace("-", "_")
    monkeypatch.setenv(env_name, "Atzr|from-env")
    assert source.refresh_token(account).get_secret_value() == "Atzr|overlaid"  # the newest write wins
    writer.delete_refresh_token(account)
    with pytest.raises(MissingSecret):  # deleted even though the environment still has one
        source.refresh_token(account)
    writer.put_lwa("app-id-local", "cs-local-123")
    assert source.lwa().lwa_client_secret.get_secret_value() == "cs-local-123"
    writer.put_slack("sig-local-1", "xoxb-local-1")
    assert source.slack().signing_secret.get_secret_value() == "sig-local-1"
    with pytest.raises(MissingSecret):  # a source given its own mapping never sees the overlay
        EnvCredentials({}).lwa()
    writer.forget_local()


def test_written_values_are_registered_with_the_scrubber_and_never_in_repr() -> None:
    from bot.logging_setup import scrub

    writer = SecretWriter(_Settings("env", "/sellerbot/local"))
    writer.put_refresh_token(f"scrub-{uuid.uuid4().hex[:6]}", "Atzr|QQ-registered-value")
    writer.put_lwa("app", "plain-client-secret-value")
    assert "plain-client-secret-value" not in scrub("secret is plain-client-secret-value")
    assert "Atzr|QQ" not in repr(writer) and "secret" not in repr(writer).lower().replace("secretwriter", "")
    writer.forget_local()
