"""Pydantic models of what Slack sends us, checked before Bolt sees a request.

Bolt raises deep inside its parser on a malformed body, which would surface
as a 500; checking here turns that into a 400 with a logged reason.
"""

from __future__ import annotations

import json
from typing import Any, Literal
from urllib.parse import parse_qs, unquote

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator


class MalformedPayload(Exception):
    pass


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="allow")


class SlashCommand(_Lenient):
    command: str = Field(pattern=r"^/[a-z0-9_-]{1,31}$")
    text: str = ""
    user_id: str = Field(min_length=1)
    team_id: str = Field(min_length=1)
    channel_id: str = ""
    api_app_id: str = ""
    response_url: str = ""
    trigger_id: str = ""


class SlackUser(_Lenient):
    id: str = Field(min_length=1)


class SlackTeam(_Lenient):
    id: str = Field(min_length=1)


class SlackView(_Lenient):
    id: str = ""
    type: str = Field(min_length=1)
    callback_id: str | None = None


class SlackAction(_Lenient):
    action_id: str


class Interaction(_Lenient):
    """block_actions, view_submission, view_closed, message_action, shortcut, block_suggestion.

    view_closed (https://api.slack.com/reference/interaction-payloads/views#view_closed) and
    block_suggestion (https://api.slack.com/reference/interaction-payloads/block-suggestion) carry
    no trigger_id; block_suggestion names the select menu by a top-level action_id.
    """

    type: Literal["block_actions", "view_submission", "view_closed", "message_action", "shortcut", "block_suggestion"]
    user: SlackUser
    team: SlackTeam | None = None
    api_app_id: str = ""
    trigger_id: str = ""
    actions: list[dict[str, Any]] = Field(default_factory=list)
    view: SlackView | None = None
    callback_id: str | None = None
    action_id: str | None = None  # block_suggestion: the external_select being typed into

    @model_validator(mode="after")
    def _shape_bolt_relies_on(self) -> Interaction:
        # Bolt indexes these without checking; a missing one would be a 500 instead of a 400.
        if self.type in ("view_submission", "view_closed") and (self.view is None or self.view.callback_id is None):
            raise ValueError(f"{self.type} without a view callback_id")
        if self.type in ("shortcut", "message_action") and self.callback_id is None:
            raise ValueError(f"{self.type} without a callback_id")  # Bolt routes shortcuts on it
        if self.type == "block_suggestion" and self.action_id is None:
            raise ValueError("block_suggestion without an action_id")  # Bolt routes options requests on it
        if self.type == "block_actions":
            if not self.actions:
                raise ValueError("block_actions without actions")
            for action in self.actions:
                SlackAction.model_validate(action)
        return self


class EventCallback(_Lenient):
    type: Literal["event_callback", "url_verification", "app_rate_limited"]
    team_id: str = ""
    api_app_id: str = ""
    event_id: str = ""
    event: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _event_has_a_type(self) -> EventCallback:
        # Bolt routes on event.type; without one no listener can match (Bolt would answer 404).
        if self.type == "event_callback" and not isinstance(self.event.get("type"), str):
            raise ValueError("event_callback without an event type")
        return self


Payload = SlashCommand | Interaction | EventCallback


def is_ssl_check(body: str, content_type: str) -> bool:
    """Slack's certificate probe of a slash command's Request URL: a form POST with `ssl_check=1`
    and a `token`, nothing to act on; Slack asks only for an HTTP 200
    (https://api.slack.com/interactivity/slash-commands, "ssl_check")."""
    if "application/json" in content_type or "ssl_check" not in body:
        return False
    form = parse_qs(body, keep_blank_values=True)
    return form.get("ssl_check") == ["1"] and "command" not in form and "payload" not in form


def parse_form(body: str) -> dict[str, str]:
    """A form-encoded body as Bolt reads it, `dict(parse_qsl(body, keep_blank_values=True))` (a repeated name:
    the last value wins), without a function call per name and value: this runs on every ack."""
    form: dict[str, str] = {}
    for field in body.split("&"):
        if not field:
            continue
        name, _, value = field.partition("=")
        name = name.replace("+", " ")
        value = value.replace("+", " ")
        form[unquote(name, errors="replace") if "%" in name else name] = (
            unquote(value, errors="replace") if "%" in value else value
        )
    return form


def parse_request(body: str, content_type: str) -> tuple[Payload, dict[str, Any]]:
    """The typed payload of a Slack HTTP request body and the dict it was read from (what Bolt dispatches on,
    so the gate and the listeners see the same values), or MalformedPayload saying why."""
    try:
        if "application/json" in content_type:
            parsed = json.loads(body)
            return EventCallback.model_validate(parsed), parsed
        form = parse_form(body)
        if "payload" in form:
            parsed = json.loads(form["payload"])
            return Interaction.model_validate(parsed), parsed
        if "command" in form:
            return SlashCommand.model_validate(form), form
    except (ValueError, ValidationError) as exc:
        reason = exc.errors(include_input=False)[0]["msg"] if isinstance(exc, ValidationError) else str(exc)[:120]
        raise MalformedPayload(reason) from None
    raise MalformedPayload("neither a slash command, an interaction nor an event")


def parse_payload(body: str, content_type: str) -> Payload:
    """The typed payload of a Slack HTTP request body, or MalformedPayload saying why."""
    return parse_request(body, content_type)[0]


def team_of(payload: Payload) -> str:
    if isinstance(payload, Interaction):
        return payload.team.id if payload.team else ""
    return payload.team_id


class Tenancy(BaseModel):
    """Who a request comes from: the workspace it was sent in, the acting user's own workspace (another
    organisation's in a shared channel; a Grid org id for an org-wide user), the Enterprise Grid org and
    the Slack app. Empty where the payload does not say."""

    team: str = ""
    user_team: str = ""
    enterprise: str = ""
    app: str = ""


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def tenancy_of(payload: Payload) -> Tenancy:
    """Per Slack's payload references: slash commands carry team_id / enterprise_id; interactions
    team.id, team.enterprise_id or enterprise.id, and user.team_id; events team_id, enterprise_id and,
    in shared channels, event.user_team."""
    extra = payload.model_extra or {}
    if isinstance(payload, SlashCommand):
        return Tenancy(team=payload.team_id, enterprise=_text(extra.get("enterprise_id")), app=payload.api_app_id)
    if isinstance(payload, Interaction):
        team = payload.team
        enterprise = extra.get("enterprise")
        enterprise_id = _text(enterprise.get("id")) if isinstance(enterprise, dict) else ""
        team_extra = (team.model_extra or {}) if team else {}
        return Tenancy(
            team=team.id if team else "",
            user_team=_text((payload.user.model_extra or {}).get("team_id")),
            enterprise=enterprise_id or _text(team_extra.get("enterprise_id")),
            app=payload.api_app_id,
        )
    return Tenancy(
        team=payload.team_id,
        user_team=_text(payload.event.get("user_team")),
        enterprise=_text(extra.get("enterprise_id")),
        app=payload.api_app_id,
    )


def delivery_key(payload: Payload) -> str | None:
    """What makes one Slack delivery unique, so a redelivery can be dropped.

    Events carry event_id (Slack's retries reuse it); commands and
    interactions carry a trigger_id that is new for every real user action.
    """
    if isinstance(payload, EventCallback):
        return f"event:{payload.event_id}" if payload.event_id else None
    if isinstance(payload, SlashCommand):
        return f"command:{payload.trigger_id}" if payload.trigger_id else None
    if payload.type == "block_suggestion":
        return None  # every keystroke in a menu is a new question; the same one twice gets the same answer
    if payload.trigger_id:
        action_ts = payload.actions[0].get("action_ts", "") if payload.actions else ""
        return f"interaction:{payload.trigger_id}:{action_ts}"
    return None
