"""Drive the whole Lambda handler in-process with signed Slack requests.

Used by the end-to-end tests and by bench/ack.py: every request goes through
`bot.lambda_handler.handler` exactly as API Gateway would deliver it.
"""

from __future__ import annotations

import json
import time
from typing import Any

from bot.deps import Deps
from bot.lambda_handler import handler
from bot.local.environment import LocalEnvironment
from bot.local.lambda_emulation import LocalContext, http_api_event
from bot.local.signed_requests import (
    block_actions_body,
    headers_for,
    message_action_body,
    slash_body,
    view_submission_body,
)
from infra.fakes.slack_api import FakeSlack
from infra.store.base import Store


class BotHarness:
    def __init__(
        self,
        *,
        signing_secret: str = "test-signing-secret",
        with_spapi: bool = False,
        store: Store | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        base_env = {"SLACK_SIGNING_SECRET": signing_secret, "SELLERBOT_LOG_LEVEL": "WARNING"}
        base_env.update(env or {})
        self.secret = signing_secret
        self.env = LocalEnvironment(env=base_env, with_spapi=with_spapi, store=store)

    def start(self) -> BotHarness:
        self.env.start()
        return self

    def stop(self) -> None:
        self.env.stop()

    def __enter__(self) -> BotHarness:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def slack(self) -> FakeSlack:
        if self.env.fake_slack is None:
            raise RuntimeError("this harness talks to a configured Slack API, not to the fake")
        return self.env.fake_slack

    @property
    def deps(self) -> Deps:
        if self.env.runtime is None:
            raise RuntimeError("the harness is not started")
        return self.env.runtime.deps

    @property
    def store(self) -> Store:
        return self.deps.store

    def send(
        self,
        body: str,
        *,
        json_body: bool = False,
        timestamp: int | None = None,
        secret: str | None = None,
        extra_headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        headers = headers_for(body, secret or self.secret, json_body=json_body, timestamp=timestamp)
        headers.update(extra_headers or {})
        return handler(http_api_event(body, headers), LocalContext())

    def slash(
        self,
        command_line: str,
        *,
        user: str = "U0DEMOUSER",
        channel: str = "C0DEMO",
        trigger_id: str | None = None,
        **kw: Any,
    ) -> dict[str, Any]:
        body = slash_body(
            command_line, user=user, channel=channel, trigger_id=trigger_id, response_url=self.slack.webhook_url()
        )
        return self.send(body, **kw)

    def click(
        self,
        action_id: str,
        value: str,
        *,
        user: str = "U0DEMOUSER",
        channel: str = "C0DEMO",
        message_ts: str = "1700000000.000100",
        trigger_id: str | None = None,
        **kw: Any,
    ) -> dict[str, Any]:
        body = block_actions_body(
            action_id,
            value,
            user=user,
            channel=channel,
            message_ts=message_ts,
            trigger_id=trigger_id,
            response_url=self.slack.webhook_url(),
        )
        return self.send(body, **kw)

    def wait(self, timeout: float = 15.0) -> None:
        if not self.env.lazy.wait_idle(timeout):
            raise TimeoutError(f"lazy listeners still running after {timeout}s")

    def replies(self) -> list[dict[str, Any]]:
        """Everything posted to response_url so far."""
        return [c.params for c in self.slack.calls_to("webhook")]

    @staticmethod
    def ack_json(response: dict[str, Any]) -> dict[str, Any]:
        return json.loads(response["body"]) if response.get("body") else {}

    @staticmethod
    def now() -> int:
        return int(time.time())

    def submit_view(
        self,
        callback_id: str,
        values: dict[str, dict[str, dict[str, Any]]],
        *,
        user: str = "U0DEMOUSER",
        private_metadata: str = "",
        view_id: str = "V0DEMOVIEW",
        **kw: Any,
    ) -> dict[str, Any]:
        """Press a modal's submit button (a signed view_submission)."""
        body = view_submission_body(callback_id, values, user=user, private_metadata=private_metadata, view_id=view_id)
        return self.send(body, **kw)

    def opened_views(self) -> list[dict[str, Any]]:
        """Every modal the bot opened or updated (views.open / views.update / views.push), oldest first."""
        out: list[dict[str, Any]] = []
        for call in self.slack.calls:
            if call.method in ("views.open", "views.update", "views.push"):
                view = call.params.get("view")
                if view is not None:
                    out.append(json.loads(view) if isinstance(view, str) else view)
        return out

    def shortcut(
        self,
        callback_id: str,
        message_text: str,
        *,
        user: str = "U0DEMOUSER",
        channel: str = "C0DEMO",
        message_ts: str = "1700000000.000200",
        trigger_id: str | None = None,
        **kw: Any,
    ) -> dict[str, Any]:
        """A signed message shortcut (`message_action`) on a message whose text is `message_text`."""
        body = message_action_body(
            callback_id,
            message_text,
            user=user,
            channel=channel,
            message_ts=message_ts,
            trigger_id=trigger_id,
            response_url=self.slack.webhook_url(),
        )
        return self.send(body, **kw)
