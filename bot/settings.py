"""Typed runtime settings, read once from the environment.

On Lambda the Slack secrets come from SSM (SELLERBOT_SECRETS=ssm); locally and
in tests they come from the environment. Secret values are SecretStr so they
never end up in a log line or a repr.
"""

from __future__ import annotations

import os

from pydantic import BaseModel, Field, SecretStr

DEMO_SIGNING_SECRET = "demo-signing-secret"
DEMO_BOT_TOKEN = "xoxb-demo-token"
DEFAULT_SLACK_API = "https://slack.com/api/"


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
    dedupe_ttl_seconds: int = 3600

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
        )

    def secret_values(self) -> list[str]:
        """Every configured secret, for log scrubbing."""
        return [s.get_secret_value() for s in (self.slack_signing_secret, self.slack_bot_token) if s.get_secret_value()]
