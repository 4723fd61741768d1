"""Typed runtime settings, read once from the environment.

On Lambda the Slack secrets come from SSM (SELLERBOT_SECRETS=ssm); locally and
in tests they come from the environment. Secret values are SecretStr so they
never end up in a log line or a repr.
"""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

from pydantic import BaseModel, Field, SecretStr, field_validator

DEMO_SIGNING_SECRET = "demo-signing-secret"
DEMO_BOT_TOKEN = "xoxb-demo-token"
DEFAULT_SLACK_API = "https://slack.com/api/"
DEMO_OPS_CHANNEL = "C0OPS"  # the ops channel of `make demo` (SELLERBOT_OPS_CHANNEL)
# The only hosts the Slack Web API may be reached on over plain http (the fake Slack in tests and demos).
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
SLACK_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,20}$")


def check_https_url(url: str, variable: str = "SLACK_API_URL") -> str:
    """`url` if it is https, or http to a loopback host; else ValueError naming `variable`, the setting to fix.

    Guards every remote endpoint that sees a secret: the Slack Web API (bot token), SP-API and LWA
    (refresh and access tokens). Plain http is only for the fakes and outside checks on loopback."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return url
    if parts.scheme == "http" and (parts.hostname or "").lower() in LOOPBACK_HOSTS:
        return url
    raise ValueError(
        f"{variable} must be an https:// URL (plain http:// only for 127.0.0.1, localhost or ::1), got {url!r}"
    )


class Settings(BaseModel):
    stage: str = "local"
    store_url: str = "sqlite://:memory:"
    secrets_source: str = Field(default="env", pattern="^(env|ssm)$")
    ssm_prefix: str = "/sellerbot/local"
    aws_endpoint_url: str | None = None  # moto server or LocalStack in tests
    slack_signing_secret: SecretStr = SecretStr("")
    slack_bot_token: SecretStr = SecretStr("")
    slack_api_url: str = DEFAULT_SLACK_API
    # Requests signed correctly but for another workspace or app are refused.
    allowed_team_ids: list[str] = Field(default_factory=list)
    allowed_api_app_ids: list[str] = Field(default_factory=list)
    allowed_enterprise_ids: list[str] = Field(default_factory=list)  # Enterprise Grid organisations
    spapi_endpoint: str | None = None  # fake SP-API base URL; None = Amazon
    lwa_endpoint: str | None = None  # host:port of a fake LWA token service
    accounts_file: str | None = None
    # Who may connect, configure and disconnect seller accounts (issue 21), besides the accounts' `admins`:
    # SELLERBOT_ADMINS, comma-separated Slack user ids, or `workspace` (the workspace's admins and owners).
    admins: list[str] = Field(default_factory=list)
    workspace_admins: bool = False
    # This app's SP-API application id (amzn1.sellerapps.app....): the notification consumer reads only
    # notifications carrying it. None (local runs, the demo) reads any app's.
    spapi_application_id: str | None = None
    dedupe_ttl_seconds: int = 3600
    # Where the ops function posts alarms (issue 20); the demo's fake Slack has DEMO_OPS_CHANNEL.
    ops_channel: str | None = None
    # The lazy listeners' failure destination: the ops function says which listener failed from its records.
    lazy_failure_queue_url: str | None = None

    @field_validator("admins")
    @classmethod
    def _admins_are_user_ids(cls, value: list[str]) -> list[str]:
        wrong = [a for a in value if not SLACK_USER_ID.match(a)]
        if wrong:
            raise ValueError(
                f"SELLERBOT_ADMINS takes Slack user ids (U0123ABCD) or `workspace`; not a user id: {', '.join(wrong)}"
            )
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _slack_api_over_https(cls, value: str) -> str:
        return check_https_url(value, "SLACK_API_URL")

    @field_validator("spapi_endpoint")
    @classmethod
    def _spapi_over_https(cls, value: str | None) -> str | None:
        return None if value is None else check_https_url(value, "SELLERBOT_SPAPI_ENDPOINT")

    @field_validator("lwa_endpoint")
    @classmethod
    def _lwa_over_https(cls, value: str | None) -> str | None:
        if value is None:
            return None
        # A bare host:port means plain http (infra/spapi/factory.py), so it too must be loopback.
        check_https_url(value if "://" in value else f"http://{value}", "SELLERBOT_LWA_ENDPOINT")
        return value

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)

        def split(name: str) -> list[str]:
            # "none" stands for an empty list where the value comes from an SSM parameter, which cannot be empty.
            return [v.strip() for v in env.get(name, "").split(",") if v.strip() and v.strip().lower() != "none"]

        stage = env.get("SELLERBOT_STAGE", "local")
        return cls(
            stage=stage,
            store_url=env.get("SELLERBOT_STORE_URL", "sqlite://:memory:"),
            secrets_source=env.get("SELLERBOT_SECRETS", "env"),
            ssm_prefix=env.get("SELLERBOT_SSM_PREFIX", f"/sellerbot/{stage}"),
            aws_endpoint_url=env.get("SELLERBOT_AWS_ENDPOINT_URL") or None,
            slack_signing_secret=SecretStr(env.get("SLACK_SIGNING_SECRET", "")),
            slack_bot_token=SecretStr(env.get("SLACK_BOT_TOKEN", "")),
            slack_api_url=env.get("SLACK_API_URL", DEFAULT_SLACK_API),
            allowed_team_ids=split("SELLERBOT_ALLOWED_TEAM_IDS"),
            allowed_api_app_ids=split("SELLERBOT_ALLOWED_APP_IDS"),
            allowed_enterprise_ids=split("SELLERBOT_ALLOWED_ENTERPRISE_IDS"),
            spapi_endpoint=env.get("SELLERBOT_SPAPI_ENDPOINT") or None,
            lwa_endpoint=env.get("SELLERBOT_LWA_ENDPOINT") or None,
            accounts_file=env.get("SELLERBOT_ACCOUNTS_FILE") or None,
            admins=[a for a in split("SELLERBOT_ADMINS") if a.lower() != "workspace"],
            workspace_admins=any(a.lower() == "workspace" for a in split("SELLERBOT_ADMINS")),
            spapi_application_id=env.get("SELLERBOT_SPAPI_APPLICATION_ID", "").strip() or None,
            ops_channel=env.get("SELLERBOT_OPS_CHANNEL", "").strip() or None,
            lazy_failure_queue_url=env.get("SELLERBOT_LAZY_FAILURE_QUEUE_URL", "").strip() or None,
        )

    def secret_values(self) -> list[str]:
        """Every configured secret, for log scrubbing."""
        return [s.get_secret_value() for s in (self.slack_signing_secret, self.slack_bot_token) if s.get_secret_value()]
