"""bot/listeners/routing.py: listeners that share a command route on the payload, as Bolt's matchers did."""

from __future__ import annotations

from urllib.parse import urlencode

from slack_bolt import App, BoltRequest
from slack_bolt.authorization import AuthorizeResult

from bot.listeners.routing import only_if


def _app() -> App:
    app = App(
        signing_secret="s",
        token_verification_enabled=False,
        request_verification_enabled=False,
        process_before_response=True,
        authorize=lambda **_: AuthorizeResult(enterprise_id=None, team_id="T1", bot_token="xoxb-1"),
    )
    app.command("/x", middleware=only_if(lambda body: body.get("text") == "status"))(
        lambda ack: ack(text="status route")
    )
    app.command("/x")(lambda ack: ack(text="catch-all"))
    return app


def _dispatch(app: App, text: str) -> str:
    body = urlencode({"command": "/x", "text": text, "team_id": "T1", "user_id": "U1", "trigger_id": "t"})
    resp = app.dispatch(BoltRequest(body=body, headers={"content-type": ["application/x-www-form-urlencoded"]}))
    assert resp.status == 200
    return resp.body


def test_a_listener_whose_test_holds_answers() -> None:
    assert "status route" in _dispatch(_app(), "status")


def test_otherwise_the_next_listener_answers() -> None:
    assert "catch-all" in _dispatch(_app(), "help")
    assert "catch-all" in _dispatch(_app(), "")
