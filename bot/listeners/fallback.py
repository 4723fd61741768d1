"""Catch-alls: a specific ephemeral error instead of Slack's generic failure, and a 200 (never
Bolt's 404 "unhandled request") for any well-formed request no feature handles: unknown commands,
actions, shortcuts, view submissions, view_closed, block_suggestion (an empty `options` list)
and events."""

from __future__ import annotations

import logging
import re

from slack_bolt import Ack, App, Respond

from bot.deps import Deps
from bot.views import kit

log = logging.getLogger("sellerbot.fallback")


def ack_unknown_command(ack: Ack, command: dict) -> None:
    ack(**kit.error(f"Unknown command `{command.get('command', '')}`.", "/sellerbot help"))


def ack_unknown_action(ack: Ack, body: dict, respond: Respond) -> None:
    action = (body.get("actions") or [{}])[0].get("action_id", "")
    log.warning("unknown action", extra={"action_id": action[:64]})
    ack()
    respond(**kit.error(f"This button (`{action[:64]}`) is not known to sellerbot any more."), replace_original=False)


def ack_unknown_shortcut(ack: Ack, body: dict) -> None:
    # Global shortcuts carry no response_url: acknowledge (so Slack shows no error) and log.
    log.warning("unknown shortcut", extra={"callback_id": str(body.get("callback_id", ""))[:64]})
    ack()


def ack_unknown_view(ack: Ack, view: dict) -> None:
    log.warning("unknown view submission", extra={"callback_id": str(view.get("callback_id", ""))[:64]})
    ack()  # closes the modal instead of leaving the user on Slack's generic error


def ack_view_closed(ack: Ack, view: dict) -> None:
    # Slack sends view_closed only for views opened with notify_on_close; nothing to undo here.
    log.info("view closed", extra={"callback_id": str(view.get("callback_id", ""))[:64]})
    ack()


def ack_block_suggestion(ack: Ack, body: dict) -> None:
    # An external_select asking for options; no menu of ours loads options, so: none (a valid answer).
    log.info("options requested", extra={"action_id": str(body.get("action_id", ""))[:64]})
    ack(options=[])


def ignore_event(body: dict) -> None:
    # Answered 200 so Slack does not retry an event nobody here subscribes to.
    log.info("event ignored", extra={"event_type": str((body.get("event") or {}).get("type", ""))[:64]})


def register(app: App, deps: Deps) -> None:
    app.command(re.compile(r"^/.*"))(ack_unknown_command)
    app.action(re.compile(r".*"))(ack_unknown_action)
    app.shortcut(re.compile(r".*"))(ack_unknown_shortcut)
    app.view(re.compile(r".*"))(ack_unknown_view)
    app.view_closed(re.compile(r".*"))(ack_view_closed)
    app.block_suggestion(re.compile(r".*"))(ack_block_suggestion)
    app.event(re.compile(r".*"))(ignore_event)
