"""`/comply TEXT` and the "Check compliance" message shortcut (issue 3).

Both only parse Slack's input, call handlers.compliance.check and render the result. The check
is sub-millisecond, so `/comply` answers in the ack itself (ephemeral); the shortcut acks at once
and posts the result with chat.postEphemeral to the user who ran it, in that channel.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.commands import CommandSpec, declare
from bot.deps import Deps
from bot.listeners.common import user_facing
from bot.slack_text import slack_to_text
from bot.views import kit
from bot.views.compliance import result_message
from handlers.compliance import LANGS, InvalidInput, check

log = logging.getLogger("sellerbot.listeners.compliance")

COMPLY = declare(
    CommandSpec(
        "/comply",
        f"/comply [--lang {'|'.join(LANGS)}] TEXT",
        "Check a buyer message or review request against Amazon's communication rules "
        '(also on any message: shortcut "Check compliance")',
    )
)
USAGE = (
    COMPLY.usage + "\nThe language is detected; --lang overrides it."
    "\nExample: /comply If you liked it, please leave us a 5-star review!"
)
_LANG_FLAG = re.compile(r"^\s*--lang(?:\s+|=)(\S+)\s*")
SHORTCUT = "check_compliance"


def run_check(text: str, *, flags: bool = False) -> dict[str, Any]:
    """The reply for a piece of Slack text: a result, or an error with the usage.

    `flags`: the text is a command line that may start with `--lang L`.
    """
    text = slack_to_text(text or "")
    lang = None
    if flags:
        m = _LANG_FLAG.match(text)
        if m:
            lang, text = m.group(1), text[m.end() :]
    if not text.strip():
        return kit.error("Give the message text to check.", USAGE)
    try:
        return result_message(check(text, lang))
    except InvalidInput as exc:
        return kit.error(f"Cannot check this text: {exc}.", USAGE)


def register(app: App, deps: Deps) -> None:
    def ack_comply(ack: Ack, command: dict) -> None:
        ack(**run_check(command.get("text", ""), flags=True))

    def ack_shortcut(ack: Ack) -> None:
        ack()

    @user_facing
    def post_shortcut_result(client: WebClient, body: dict) -> None:
        channel = (body.get("channel") or {}).get("id", "")
        user = (body.get("user") or {}).get("id", "")
        text = (body.get("message") or {}).get("text", "")
        if not text.strip():
            payload = kit.error("This message has no text to check (only files or attachments).")
        else:
            payload = run_check(text)
        payload.pop("response_type", None)
        client.chat_postEphemeral(channel=channel, user=user, **payload)

    app.command("/comply")(ack_comply)  # answered in the ack: nothing slow to defer
    app.shortcut(SHORTCUT)(ack=ack_shortcut, lazy=[post_shortcut_result])
