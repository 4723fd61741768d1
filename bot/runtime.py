"""The per-process runtime: settings, store, Slack client, Bolt app, gate.

Built once per Lambda container (at import on Lambda, on first use
elsewhere) because creating the Bolt handler and the boto3 Lambda client
inside a request costs ~170 ms of the 3 s ack budget.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from bot.deps import Deps
from bot.gate import RequestGate
from bot.logging_setup import register_secret
from bot.settings import Settings

log = logging.getLogger("sellerbot.runtime")


@dataclass
class Runtime:
    settings: Settings
    deps: Deps
    app: Any  # slack_bolt.App
    slack_handler: Any  # SlackRequestHandler
    gate: RequestGate


def _resolve_secrets(settings: Settings) -> Settings:
    if settings.secrets_source != "ssm":
        return settings
    from infra.secrets import load_slack_secrets

    slack = load_slack_secrets(settings.ssm_prefix, endpoint_url=settings.aws_endpoint_url)
    return settings.model_copy(
        update={"slack_signing_secret": slack.signing_secret, "slack_bot_token": slack.bot_token}
    )


def build_runtime(settings: Settings | None = None, *, lambda_client: Any = None, store: Any = None) -> Runtime:
    from slack_bolt.adapter.aws_lambda import SlackRequestHandler
    from slack_bolt.adapter.aws_lambda.lazy_listener_runner import LambdaLazyListenerRunner

    from bot.app import build_app
    from bot.slack_client import build_web_client
    from infra.accounts import load_accounts

    settings = _resolve_secrets(settings or Settings.from_env())
    for secret in settings.secret_values():
        register_secret(secret)
    if not settings.slack_signing_secret.get_secret_value():
        raise RuntimeError("SLACK_SIGNING_SECRET is not configured; refusing to start without request verification")
    if store is None:
        from infra.store.factory import build_store

        store = build_store(settings.store_url)
    deps = Deps(
        settings=settings,
        store=store,
        slack=build_web_client(settings.slack_bot_token.get_secret_value(), settings.slack_api_url),
        accounts=load_accounts(settings.accounts_file),
    )
    app = build_app(deps)
    handler = SlackRequestHandler(app)
    # Inject the client so it is created once here, not inside the first ack.
    handler.app.listener_runner.lazy_listener_runner = LambdaLazyListenerRunner(
        handler.logger, lambda_client=lambda_client or _aws_lambda_client(settings)
    )
    gate = RequestGate(
        settings.slack_signing_secret.get_secret_value(),
        deps.store,
        allowed_team_ids=settings.allowed_team_ids,
        allowed_api_app_ids=settings.allowed_api_app_ids,
        dedupe_ttl_seconds=settings.dedupe_ttl_seconds,
        clock=deps.clock,
    )
    return Runtime(settings=settings, deps=deps, app=app, slack_handler=handler, gate=gate)


def _aws_lambda_client(settings: Settings) -> Any:
    import boto3

    return boto3.client("lambda", endpoint_url=settings.aws_endpoint_url)


_current: Runtime | None = None


def current() -> Runtime:
    global _current
    if _current is None:
        started = time.perf_counter()
        _current = build_runtime()
        log.info("runtime built in %.0f ms", (time.perf_counter() - started) * 1000)
    return _current


def install(runtime: Runtime | None) -> None:
    """Use `runtime` for this process (local server, tests); None resets."""
    global _current
    _current = runtime
