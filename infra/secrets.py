"""Where the bot's secrets come from: the environment locally, SSM Parameter Store on AWS.

Values are SecretStr end to end, so a repr, a log line or a pydantic dump shows
`**********`; `.get_secret_value()` is called only where a library needs the string.
A library may still log the string (an LWA token request's form body, an error's text):
every value a source hands out is first passed to the `on_secret_read` callbacks, which
bot.logging_setup uses to register it with its log scrubber (infra cannot import bot).

Environment (SELLERBOT_SECRETS=env, the default):
  SELLERBOT_LWA_APP_ID, SELLERBOT_LWA_CLIENT_SECRET
  SELLERBOT_REFRESH_TOKEN_<ACCOUNT_ID upper-cased, '-' -> '_'>   e.g. SELLERBOT_REFRESH_TOKEN_ACME
  SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN
  SELLERBOT_ADS_<ACCOUNT>_CLIENT_ID, _CLIENT_SECRET, _REFRESH_TOKEN   Amazon Ads (Attribution), per account
  SELLERBOT_ADS_APP_CLIENT_ID, SELLERBOT_ADS_APP_CLIENT_SECRET        the bot's own Ads app (/sellerbot connect ads)
SSM (SELLERBOT_SECRETS=ssm), SecureString parameters under the prefix (default /sellerbot/<stage>):
  <prefix>/lwa                          JSON {"lwa_app_id": ..., "lwa_client_secret": ...}
  <prefix>/refresh-token/<account_id>   the refresh token
  <prefix>/slack                        JSON {"signing_secret": ..., "bot_token": ...}
  <prefix>/ads/<account_id>             JSON {"client_id": ..., "client_secret": ..., "refresh_token": ...}
  <prefix>/ads-app                      JSON {"client_id": ..., "client_secret": ...}  (the bot's Ads LWA app)
read through aws-lambda-powertools' SSMProvider (cached for max_age seconds per container).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.parameters import SSMProvider

SSM_MAX_AGE_SECONDS = 300

_Model = TypeVar("_Model", bound=BaseModel)


SecretSink = Callable[[str], None]
_sinks: list[SecretSink] = []
_sinks_lock = threading.Lock()


def on_secret_read(sink: SecretSink) -> None:
    """Call `sink` with every secret value a credentials source hands out from now on (idempotent)."""
    with _sinks_lock:
        if sink not in _sinks:
            _sinks.append(sink)


def _handed_out(*values: SecretStr) -> None:
    with _sinks_lock:
        sinks = list(_sinks)
    for value in values:
        for sink in sinks:
            sink(value.get_secret_value())


class MissingSecret(LookupError):
    """A secret that is not configured; the message names where it was looked for (never a value)."""


class LwaCredentials(BaseModel):
    """Login-with-Amazon app credentials, shared by every seller account of the app."""

    model_config = ConfigDict(frozen=True)

    lwa_app_id: str = Field(min_length=1)
    lwa_client_secret: SecretStr

    def for_sp_api(self, refresh_token: SecretStr) -> dict[str, str]:
        """The credentials dict python-amazon-sp-api takes (`credentials=`)."""
        return {
            "lwa_app_id": self.lwa_app_id,
            "lwa_client_secret": self.lwa_client_secret.get_secret_value(),
            "refresh_token": refresh_token.get_secret_value(),
        }


class AdsCredentials(BaseModel):
    """One account's Amazon Ads API credentials (LWA app + a refresh token granted for Ads; issue 22)."""

    model_config = ConfigDict(frozen=True)

    client_id: str = Field(min_length=1)
    client_secret: SecretStr
    refresh_token: SecretStr


class AdsAppCredentials(BaseModel):
    """The bot's own Amazon Ads LWA app: the consent links it makes and the codes it exchanges."""

    model_config = ConfigDict(frozen=True)

    client_id: str = Field(min_length=1, max_length=100)  # LWA: a client id is at most 100 bytes
    client_secret: SecretStr


class SlackSecrets(BaseModel):
    model_config = ConfigDict(frozen=True)

    signing_secret: SecretStr
    bot_token: SecretStr


class CredentialsSource(Protocol):
    def lwa(self) -> LwaCredentials: ...

    def refresh_token(self, account_id: str) -> SecretStr: ...

    def slack(self) -> SlackSecrets: ...


class SecretsSettings(Protocol):
    """What `credentials_source` reads from bot.settings.Settings."""

    @property
    def secrets_source(self) -> str: ...

    @property
    def ssm_prefix(self) -> str: ...

    @property
    def aws_endpoint_url(self) -> str | None: ...


# Secrets written while this process runs (infra.secret_writer with SELLERBOT_SECRETS=env: the demo and the CLI):
# environment variable name -> value, "" for deleted. The process's EnvCredentials read it before os.environ, so
# a seller connected in the demo is usable at once, without a restart.
_local_overlay: dict[str, str] = {}
_overlay_lock = threading.Lock()


def set_local_secret(name: str, value: str) -> None:
    """Overlay environment variable `name` for this process ("" = deleted); see infra.secret_writer."""
    with _overlay_lock:
        _local_overlay[name] = value


def register_secrets(*values: str) -> None:
    """Hand values this process is about to write (infra.secret_writer) to the `on_secret_read` sinks."""
    _handed_out(*(SecretStr(v) for v in values if v))


def clear_local_secrets(names: list[str] | None = None) -> None:
    """Drop the overlay of `names` (all when None), so the environment counts again."""
    with _overlay_lock:
        for name in list(_local_overlay) if names is None else names:
            _local_overlay.pop(name, None)


def refresh_token_env_name(account_id: str) -> str:
    return "SELLERBOT_REFRESH_TOKEN_" + account_id.upper().replace("-", "_")


def ads_env_prefix(account_id: str) -> str:
    """`SELLERBOT_ADS_ACME_` for account acme: add CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN."""
    return "SELLERBOT_ADS_" + account_id.upper().replace("-", "_") + "_"


class EnvCredentials:
    """Secrets from environment variables, read at each call (tests and the local runner set them late)."""

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        self._env = env

    def _get(self, name: str, what: str) -> str:
        if self._env is not None:
            value = self._env.get(name, "")
        else:
            with _overlay_lock:
                value = _local_overlay[name] if name in _local_overlay else os.environ.get(name, "")
        if not value:
            raise MissingSecret(f"{what} is not configured: set the environment variable {name}.")
        return value

    def lwa(self) -> LwaCredentials:
        lwa = LwaCredentials(
            lwa_app_id=self._get("SELLERBOT_LWA_APP_ID", "The LWA app id"),
            lwa_client_secret=SecretStr(self._get("SELLERBOT_LWA_CLIENT_SECRET", "The LWA client secret")),
        )
        _handed_out(lwa.lwa_client_secret)
        return lwa

    def refresh_token(self, account_id: str) -> SecretStr:
        token = SecretStr(self._get(refresh_token_env_name(account_id), f"The refresh token of account {account_id!r}"))
        _handed_out(token)
        return token

    def ads(self, account_id: str) -> AdsCredentials:
        prefix = ads_env_prefix(account_id)
        what = f"Amazon Ads credentials of account {account_id!r}"
        ads = AdsCredentials(
            client_id=self._get(prefix + "CLIENT_ID", what),
            client_secret=SecretStr(self._get(prefix + "CLIENT_SECRET", what)),
            refresh_token=SecretStr(self._get(prefix + "REFRESH_TOKEN", what)),
        )
        _handed_out(ads.client_secret, ads.refresh_token)
        return ads

    def ads_app(self) -> AdsAppCredentials:
        app = AdsAppCredentials(
            client_id=self._get("SELLERBOT_ADS_APP_CLIENT_ID", "The Amazon Ads app's client id"),
            client_secret=SecretStr(self._get("SELLERBOT_ADS_APP_CLIENT_SECRET", "The Amazon Ads app's client secret")),
        )
        _handed_out(app.client_secret)
        return app

    def slack(self) -> SlackSecrets:
        slack = SlackSecrets(
            signing_secret=SecretStr(self._get("SLACK_SIGNING_SECRET", "The Slack signing secret")),
            bot_token=SecretStr(self._get("SLACK_BOT_TOKEN", "The Slack bot token")),
        )
        _handed_out(slack.signing_secret, slack.bot_token)
        return slack

    def __repr__(self) -> str:
        return "EnvCredentials()"


class SsmCredentials:
    """SecureString parameters under `prefix`, via powertools' SSMProvider (boto3 imported on first use)."""

    def __init__(
        self,
        prefix: str,
        *,
        endpoint_url: str | None = None,
        region_name: str | None = None,
        max_age: int = SSM_MAX_AGE_SECONDS,
        boto3_client: Any = None,  # a boto3 SSM client (untyped library)
    ) -> None:
        self.prefix = "/" + prefix.strip("/")
        self.endpoint_url = endpoint_url
        self.region_name = region_name
        self.max_age = max_age
        self._client = boto3_client
        self._provider: SSMProvider | None = None

    def _param_provider(self) -> SSMProvider:
        if self._provider is None:
            # SSM only: EnvCredentials (local runs, the CLI, tests) never load powertools or boto3 (~110 ms).
            from aws_lambda_powertools.utilities.parameters import SSMProvider

            client = self._client
            if client is None:
                import boto3  # SSM only, as above

                client = boto3.client("ssm", endpoint_url=self.endpoint_url, region_name=self.region_name)
            self._provider = SSMProvider(boto3_client=client)
        return self._provider

    def _get(self, suffix: str, *, as_json: bool = False) -> object:
        """The parameter's value: text, or the parsed JSON with `as_json`."""
        # SSM only: EnvCredentials never load powertools.
        from aws_lambda_powertools.utilities.parameters.exceptions import GetParameterError, TransformParameterError

        name = f"{self.prefix}/{suffix}"
        try:
            value = self._param_provider().get(
                name, max_age=self.max_age, decrypt=True, transform="json" if as_json else None
            )
        except TransformParameterError:
            raise MissingSecret(f"SSM parameter {name} is not valid JSON.") from None
        except GetParameterError:
            raise MissingSecret(f"SSM parameter {name} is missing or unreadable (SecureString expected).") from None
        if not value:
            raise MissingSecret(f"SSM parameter {name} is empty.")
        return value

    def _model(self, model: type[_Model], suffix: str) -> _Model:
        data = self._get(suffix, as_json=True)
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            fields = ", ".join(str(e["loc"][0]) for e in exc.errors() if e.get("loc"))
            raise MissingSecret(f"SSM parameter {self.prefix}/{suffix} lacks or mistypes: {fields}.") from None

    def lwa(self) -> LwaCredentials:
        lwa = self._model(LwaCredentials, "lwa")
        _handed_out(lwa.lwa_client_secret)
        return lwa

    def refresh_token(self, account_id: str) -> SecretStr:
        token = SecretStr(str(self._get(f"refresh-token/{account_id}")))
        _handed_out(token)
        return token

    def ads(self, account_id: str) -> AdsCredentials:
        ads = self._model(AdsCredentials, f"ads/{account_id}")
        _handed_out(ads.client_secret, ads.refresh_token)
        return ads

    def ads_app(self) -> AdsAppCredentials:
        app = self._model(AdsAppCredentials, "ads-app")
        _handed_out(app.client_secret)
        return app

    def slack(self) -> SlackSecrets:
        slack = self._model(SlackSecrets, "slack")
        _handed_out(slack.signing_secret, slack.bot_token)
        return slack

    def __repr__(self) -> str:
        return f"SsmCredentials(prefix={self.prefix!r})"


def credentials_source(settings: SecretsSettings) -> CredentialsSource:
    """The source `settings.secrets_source` names ("env" or "ssm"); see bot.settings.Settings."""
    source = settings.secrets_source
    if source == "ssm":
        return SsmCredentials(settings.ssm_prefix, endpoint_url=settings.aws_endpoint_url)
    if source == "env":
        return EnvCredentials()
    raise ValueError(f"secrets_source must be 'env' or 'ssm', not {source!r} (SELLERBOT_SECRETS).")


def load_slack_secrets(prefix: str, *, endpoint_url: str | None = None) -> SlackSecrets:
    """Slack signing secret and bot token from SSM `<prefix>/slack` (used by bot.runtime on Lambda)."""
    return SsmCredentials(prefix, endpoint_url=endpoint_url).slack()
