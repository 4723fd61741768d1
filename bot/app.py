"""Bolt app factory: one App per process, every feature registered on it."""

from __future__ import annotations

import copy
import logging

from slack_bolt import App
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped

from bot.deps import Deps
from bot.listeners import register_listeners

log = logging.getLogger("sellerbot.app")
BOLT_LOGGER = "sellerbot.bolt"


class _EnvTokenWarningFilter(logging.Filter):
    # Bolt reads SLACK_BOT_TOKEN from the environment itself (set locally and in tests) and warns that it
    # goes unused next to `client`; the token reaches Bolt through `authorize`, so the warning says nothing.
    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


def _bolt_logger() -> logging.Logger:
    logger = logging.getLogger(BOLT_LOGGER)
    if not any(isinstance(f, _EnvTokenWarningFilter) for f in logger.filters):
        logger.addFilter(_EnvTokenWarningFilter())
    return logger


def build_app(deps: Deps) -> App:
    settings = deps.settings
    bot_token = settings.slack_bot_token.get_secret_value()

    def authorize(enterprise_id: str | None, team_id: str | None, **_: object) -> AuthorizeResult:
        # Single-workspace install: no auth.test round trip on the ack path.
        return AuthorizeResult(enterprise_id=enterprise_id, team_id=team_id, bot_token=bot_token)

    # Bolt gets the token from `authorize` per request; a client that carries one too makes Bolt drop it
    # with a "token will be ignored" warning, so Bolt's copy has none (listeners' clients get authorize's).
    bolt_client = copy.copy(deps.slack)
    bolt_client.token = None
    app = App(
        name="sellerbot",
        # Lambda freezes the container after the response, so listeners must
        # finish before it; slow work goes to lazy listeners.
        process_before_response=True,
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        client=bolt_client,
        authorize=authorize,
        token_verification_enabled=False,
        # bot/gate.py verifies every request (HTTP and lazy re-invocation) before Bolt sees it and is
        # the only way in (bot.lambda_handler.handler); a second HMAC here would only add latency.
        request_verification_enabled=False,
        url_verification_enabled=True,
        logger=_bolt_logger(),
    )

    @app.error
    def on_error(error: Exception, body: dict, logger: logging.Logger) -> None:
        logger.error("listener failed: %s: %s", type(error).__name__, error, exc_info=False)

    register_listeners(app, deps)
    return app
