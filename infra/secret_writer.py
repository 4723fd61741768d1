"""Writing the bot's secrets where infra.secrets reads them.

SSM (SELLERBOT_SECRETS=ssm): SecureString parameters in infra.secrets' layout, replaced in place (Overwrite):
  <prefix>/refresh-token/<account_id>   the refresh token (the amazonCallback role alone may write this path)
  <prefix>/lwa                          JSON {"lwa_app_id", "lwa_client_secret"}
  <prefix>/slack                        JSON {"signing_secret", "bot_token"}
  <prefix>/ads/<account_id>             JSON {"client_id", "client_secret", "refresh_token"} (amazonCallback only)
Environment (SELLERBOT_SECRETS=env: the demo, the CLI, tests): an in-process overlay of the environment variable
names EnvCredentials reads, so a seller connected in the running demo is used at once, without a restart.

Every value written is first handed to infra.secrets' `on_secret_read` sinks (the log scrubber), and no value is
ever part of a message, a repr or an exception raised here.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from infra.secrets import (
    AdsCredentials,
    SecretsSettings,
    ads_env_prefix,
    clear_local_secrets,
    refresh_token_env_name,
    register_secrets,
    set_local_secret,
)

_LWA_ENV = ("SELLERBOT_LWA_APP_ID", "SELLERBOT_LWA_CLIENT_SECRET")
_SLACK_ENV = ("SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN")


class SecretWriteFailed(RuntimeError):
    """SSM refused a write; the message names the parameter and the AWS error code, never the value."""


class SecretWriter:
    """Writes refresh tokens, LWA and Slack app secrets to the source `settings.secrets_source` names."""

    def __init__(
        self,
        settings: SecretsSettings,
        *,
        region_name: str | None = None,
        boto3_client: Any = None,  # a boto3 SSM client (untyped library)
    ) -> None:
        if settings.secrets_source not in ("env", "ssm"):
            raise ValueError(f"secrets_source must be 'env' or 'ssm', not {settings.secrets_source!r}.")
        self.source = settings.secrets_source
        self.prefix = "/" + settings.ssm_prefix.strip("/")
        self._endpoint_url = settings.aws_endpoint_url
        self._region_name = region_name
        self._client = boto3_client
        self._client_lock = threading.Lock()
        self._written: set[str] = set()  # overlay names this writer set (forget_local)

    def put_refresh_token(self, account_id: str, token: str) -> None:
        self._put({f"refresh-token/{account_id}": token}, {refresh_token_env_name(account_id): token})

    def delete_refresh_token(self, account_id: str) -> None:
        """Remove the account's refresh token; removing one that is not there is not an error."""
        if self.source == "env":
            self._overlay({refresh_token_env_name(account_id): ""})
            return
        name = self._name(f"refresh-token/{account_id}")
        try:
            self._ssm().delete_parameter(Name=name)
        except Exception as exc:  # botocore ClientError (boto3 is imported lazily)
            if _error_code(exc) != "ParameterNotFound":
                raise SecretWriteFailed(f"Could not delete SSM parameter {name}: {_error_code(exc)}.") from None

    def put_ads(self, account_id: str, creds: AdsCredentials) -> None:
        """The account's Amazon Ads credentials, in the layout infra.secrets' `ads(account_id)` reads."""
        secret, refresh = creds.client_secret.get_secret_value(), creds.refresh_token.get_secret_value()
        value = json.dumps({"client_id": creds.client_id, "client_secret": secret, "refresh_token": refresh})
        prefix = ads_env_prefix(account_id)
        env = {
            prefix + "CLIENT_ID": creds.client_id,
            prefix + "CLIENT_SECRET": secret,
            prefix + "REFRESH_TOKEN": refresh,
        }
        self._put({f"ads/{account_id}": value}, env)

    def put_lwa(self, app_id: str, client_secret: str) -> None:
        value = json.dumps({"lwa_app_id": app_id, "lwa_client_secret": client_secret})
        self._put({"lwa": value}, dict(zip(_LWA_ENV, (app_id, client_secret), strict=True)), client_secret)

    def put_slack(self, signing_secret: str, bot_token: str) -> None:
        value = json.dumps({"signing_secret": signing_secret, "bot_token": bot_token})
        self._put({"slack": value}, dict(zip(_SLACK_ENV, (signing_secret, bot_token), strict=True)), signing_secret)

    def forget_local(self) -> None:
        """Drop what this writer put in the process overlay (tests)."""
        clear_local_secrets(sorted(self._written))
        self._written.clear()

    def _put(self, ssm_values: dict[str, str], env_values: dict[str, str], *extra_secrets: str) -> None:
        secrets = [v for v in (*env_values.values(), *extra_secrets) if v]
        if not all(env_values.values()):
            raise ValueError("A secret to write is empty.")
        # Registered before it travels anywhere, so even a failing request's log line is scrubbed.
        register_secrets(*secrets)
        if self.source == "env":
            self._overlay(env_values)
            return
        for suffix, value in ssm_values.items():
            name = self._name(suffix)
            try:
                self._ssm().put_parameter(Name=name, Value=value, Type="SecureString", Overwrite=True)
            except Exception as exc:  # botocore ClientError / EndpointConnectionError
                raise SecretWriteFailed(f"Could not write SSM parameter {name}: {_error_code(exc)}.") from None

    def _overlay(self, env_values: dict[str, str]) -> None:
        for name, value in env_values.items():
            set_local_secret(name, value)
            self._written.add(name)

    def _name(self, suffix: str) -> str:
        return f"{self.prefix}/{suffix}"

    def _ssm(self) -> Any:
        with self._client_lock:
            if self._client is None:
                import boto3  # SSM only: the env writer (demo, CLI, tests) never loads boto3

                self._client = boto3.client("ssm", endpoint_url=self._endpoint_url, region_name=self._region_name)
            return self._client

    def __repr__(self) -> str:
        return f"SecretWriter(source={self.source!r}, prefix={self.prefix!r})"


def _error_code(exc: Exception) -> str:
    """AWS's error code (ClientError), else the exception's class name: never its text, which may echo a value."""
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        code = response.get("Error", {}).get("Code")
        if code:
            return str(code)
    return type(exc).__name__
