"""Catch-alls: a specific ephemeral error instead of Slack's generic failure."""
from __future__ import annotations

import logging
import re

from slack_bolt import Ack, App

from bot import render
from bot.deps import Deps

log = logging.getLogger("sellerbot.fallback")


def ack_unknown_command(ack: Ack, command: dict) -> None:
    ack(**render.error(f"Unknown command `{command.get('command', '')}`.", "/sellerbot help"))


def ack_unknown_action(ack: Ack, body: dict, respond) -> None:
    action = (body.get("actions") or [{}])[0].get("action_id", "")
    log.warning("unknown action", extra={"action_id": action[:64]})
    ack()
    respond(**render.error(f"This button (`{action[:64]}`) is not known to sellerbot any more."), replace_original=False)


def register(app: App, deps: Deps) -> None:
    app.command(re.compile(r"^/.*"))(ack_unknown_command)
    app.action(re.compile(r".*"))(ack_unknown_action)
