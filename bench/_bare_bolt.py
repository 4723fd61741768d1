"""The baseline: a bare Bolt app on the same Lambda adapter, acking the same command."""

from __future__ import annotations

from slack_bolt import App
from slack_bolt.adapter.aws_lambda import SlackRequestHandler
from slack_bolt.authorization import AuthorizeResult


def build(secret: str, reply: dict | None = None) -> SlackRequestHandler:
    """`reply` is what the ack sends (default a bare "ok"): the warm bench passes sellerbot's own help reply, so
    both apps serialise the same answer and the ratio measures the work around it."""
    app = App(
        process_before_response=True,
        signing_secret=secret,
        token_verification_enabled=False,
        authorize=lambda **_: AuthorizeResult(enterprise_id=None, team_id="T0DEMO", bot_token="xoxb-bare"),
    )

    @app.command("/sellerbot")
    def ack_only(ack):
        ack(**(reply or {"text": "ok"}))

    return SlackRequestHandler(app)
