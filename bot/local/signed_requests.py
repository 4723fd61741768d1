"""Build the exact HTTP requests Slack sends: form or JSON bodies, signed."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

DEFAULT_TEAM = "T0DEMO"
DEFAULT_APP = "A0SELLERBOT"


def sign(body: str, secret: str, timestamp: int | None = None) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    if signature is None:  # slack_sdk returns None only for a missing timestamp or body
        raise ValueError("cannot sign a request without a timestamp and a body")
    return {"x-slack-request-timestamp": ts, "x-slack-signature": signature}


def new_trigger_id() -> str:
    """Slack sends a fresh trigger_id with every real user action (the gate dedupes on it)."""
    return f"{int(time.time())}.{uuid.uuid4().hex[:12]}"


def _user(user: str, team: str) -> dict[str, str]:
    return {"id": user, "username": user.lower(), "name": user.lower(), "team_id": team}


def slash_body(
    command_line: str,
    *,
    user: str = "U0DEMOUSER",
    channel: str = "C0DEMO",
    team: str = DEFAULT_TEAM,
    response_url: str = "",
    trigger_id: str | None = None,
) -> str:
    command, _, text = command_line.strip().partition(" ")
    return urlencode(
        {
            "token": "deprecated",
            "team_id": team,
            "team_domain": "demo",
            "channel_id": channel,
            "channel_name": "demo",
            "user_id": user,
            "user_name": user.lower(),
            "command": command,
            "text": text.strip(),
            "api_app_id": DEFAULT_APP,
            "response_url": response_url,
            "trigger_id": trigger_id or new_trigger_id(),
        }
    )


def block_actions_body(
    action_id: str,
    value: str,
    *,
    user: str = "U0DEMOUSER",
    channel: str = "C0DEMO",
    team: str = DEFAULT_TEAM,
    response_url: str = "",
    message_ts: str = "1700000000.000100",
    block_id: str = "sellerbot",
    trigger_id: str | None = None,
    action_ts: str | None = None,
) -> str:
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": _user(user, team),
        "api_app_id": DEFAULT_APP,
        "token": "deprecated",
        "container": {"type": "message", "message_ts": message_ts, "channel_id": channel, "is_ephemeral": False},
        "trigger_id": trigger_id or new_trigger_id(),
        "team": {"id": team, "domain": "demo"},
        "channel": {"id": channel, "name": "demo"},
        "message": {"ts": message_ts, "text": "", "blocks": []},
        "response_url": response_url,
        "actions": [
            {
                "action_id": action_id,
                "block_id": block_id,
                "text": {"type": "plain_text", "text": action_id},
                "value": value,
                "type": "button",
                "action_ts": action_ts or f"{time.time():.6f}",
            }
        ],
    }
    return urlencode({"payload": json.dumps(payload)})


def headers_for(body: str, secret: str, *, json_body: bool = False, timestamp: int | None = None) -> dict[str, str]:
    content_type = "application/json" if json_body else "application/x-www-form-urlencoded"
    return {"content-type": content_type, **sign(body, secret, timestamp)}


def view_submission_body(
    callback_id: str,
    values: dict[str, dict[str, dict[str, Any]]],
    *,
    user: str = "U0DEMOUSER",
    team: str = DEFAULT_TEAM,
    private_metadata: str = "",
    view_id: str = "V0DEMOVIEW",
    blocks: list[dict[str, Any]] | None = None,
    trigger_id: str | None = None,
) -> str:
    """A modal's submit button, as Slack posts it.

    `values` is `view.state.values`: {block_id: {action_id: {"type": ..., "value" | "selected_date" |
    "selected_option" | "selected_options": ...}}}.
    """
    payload: dict[str, Any] = {
        "type": "view_submission",
        "team": {"id": team, "domain": "demo"},
        "user": _user(user, team),
        "api_app_id": DEFAULT_APP,
        "token": "deprecated",
        "trigger_id": trigger_id or new_trigger_id(),
        "view": {
            "id": view_id,
            "team_id": team,
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": private_metadata,
            "blocks": blocks or [],
            "state": {"values": values},
            "hash": uuid.uuid4().hex[:16],
            "app_id": DEFAULT_APP,
        },
        "response_urls": [],
    }
    return urlencode({"payload": json.dumps(payload)})


def message_action_body(
    callback_id: str,
    message_text: str,
    *,
    user: str = "U0DEMOUSER",
    channel: str = "C0DEMO",
    team: str = DEFAULT_TEAM,
    response_url: str = "",
    message_ts: str = "1700000000.000200",
    message_user: str = "U0AUTHOR",
    trigger_id: str | None = None,
    action_ts: str | None = None,
) -> str:
    """A message shortcut ("message_action") on a message with `message_text`, as Slack posts it."""
    payload: dict[str, Any] = {
        "type": "message_action",
        "token": "deprecated",
        "action_ts": action_ts or f"{time.time():.6f}",
        "team": {"id": team, "domain": "demo"},
        "user": _user(user, team),
        "channel": {"id": channel, "name": "demo"},
        "is_enterprise_install": False,
        "callback_id": callback_id,
        "trigger_id": trigger_id or new_trigger_id(),
        "response_url": response_url,
        "message_ts": message_ts,
        "message": {"type": "message", "user": message_user, "ts": message_ts, "text": message_text},
        "api_app_id": DEFAULT_APP,
    }
    return urlencode({"payload": json.dumps(payload)})
