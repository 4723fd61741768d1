"""Bolt app factory: one App per process, every feature registered on it."""

from __future__ import annotations

import logging

from slack_bolt import App
from slack_bolt.authorization import AuthorizeResult

from bot.deps import Deps
from bot.listeners import register_listeners

log = logging.getLogger("sellerbot.app")


def build_app(deps: Deps) -> App:
    settings = deps.settings
    bot_token = settings.slack_bot_token.get_secret_value()

    def authorize(enterprise_id: str | None, team_id: str | None, **_: object) -> AuthorizeResult:
        # Single-workspace install: no auth.test round trip on the ack path.
        return AuthorizeResult(enterprise_id=enterprise_id, team_id=team_id, bot_token=bot_token)

    app = App(
        name="sellerbot",
        # Lambda freezes the container after the response, so listeners must
        # finish before it; slow work goes to lazy listeners.
        process_before_response=True,
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        client=deps.slack,
        authorize=authorize,
        token_verification_enabled=False,
        # bot/gate.py verifies every request (HTTP and lazy re-invocation) before Bolt sees it and is
        # the only way in (bot.lambda_handler.handler); a second HMAC here would only add latency.
        request_verification_enabled=False,
        url_verification_enabled=True,
        logger=logging.getLogger("sellerbot.bolt"),
    )

    @app.error
    def on_error(error: Exception, body: dict, logger: logging.Logger) -> None:
        logger.error("listener failed: %s: %s", type(error).__name__, error, exc_info=False)

    register_listeners(app, deps)
    return app
