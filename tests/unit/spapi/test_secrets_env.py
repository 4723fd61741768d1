"""Secrets from the environment: SecretStr everywhere, clear messages naming the variable."""

from __future__ import annotations

import pytest

from infra.secrets import EnvCredentials, LwaCredentials, MissingSecret, credentials_source, refresh_token_env_name

ENV = {
    "SELLERBOT_LWA_APP_ID": "amzn1.application-oa2-client.x",
    "SELLERBOT_LWA_CLIENT_SECRET": "s3cr3t-lwa",
    "SELLERBOT_REFRESH_TOKEN_ACME_EU": "Atzr|tok-acme-eu",
    "SLACK_SIGNING_SECRET": "sig-abc",
    "SLACK_BOT_TOKEN": "xoxb-123",
}


def test_env_source_reads_the_documented_names() -> None:
    source = EnvCredentials(ENV)
    lwa = source.lwa()
    assert lwa.lwa_app_id == "amzn1.application-oa2-client.x"
    assert source.refresh_token("acme-eu").get_secret_value() == "Atzr|tok-acme-eu"
    assert refresh_token_env_name("acme-eu") == "SELLERBOT_REFRESH_TOKEN_ACME_EU"
    slack = source.slack()
    assert slack.signing_secret.get_secret_value() == "sig-abc" and slack.bot_token.get_secret_value() == "xoxb-123"
    assert lwa.for_sp_api(source.refresh_token("acme-eu")) == {
        "lwa_app_id": "amzn1.application-oa2-client.x",
        "lwa_client_secret": "s3cr3t-lwa",
        "refresh_token": "Atzr|tok-acme-eu",
    }


def test_secrets_never_show_in_repr_or_str() -> None:
    source = EnvCredentials(ENV)
    shown = " ".join(
        [
            repr(source.lwa()),
            str(source.lwa()),
            repr(source.slack()),
            repr(source),
            repr(source.refresh_token("acme-eu")),
            source.lwa().model_dump_json(),
        ]
    )
    for secret in ("s3cr3t-lwa", "Atzr|tok-acme-eu", "sig-abc", "xoxb-123"):
        assert secret not in shown


def test_missing_secret_names_the_variable_not_a_value() -> None:
    with pytest.raises(MissingSecret, match="SELLERBOT_REFRESH_TOKEN_GLOBEX"):
        EnvCredentials(ENV).refresh_token("globex")
    with pytest.raises(MissingSecret, match="SELLERBOT_LWA_APP_ID"):
        EnvCredentials({}).lwa()


def test_process_environment_is_read_at_call_time(monkeypatch: pytest.MonkeyPatch) -> None:
    source = EnvCredentials()
    monkeypatch.setenv("SELLERBOT_REFRESH_TOKEN_LATE", "Atzr|late")
    assert source.refresh_token("late").get_secret_value() == "Atzr|late"


def test_source_follows_settings() -> None:
    class S:
        secrets_source = "ssm"
        ssm_prefix = "/sellerbot/prod/"
        aws_endpoint_url = None

    ssm = credentials_source(S())
    assert repr(ssm) == "SsmCredentials(prefix='/sellerbot/prod')"
    S.secrets_source = "vault"
    with pytest.raises(ValueError, match="SELLERBOT_SECRETS"):
        credentials_source(S())


def test_lwa_model_rejects_an_empty_app_id() -> None:
    with pytest.raises(ValueError):
        LwaCredentials(lwa_app_id="", lwa_client_secret="x")  # type: ignore[arg-type]
