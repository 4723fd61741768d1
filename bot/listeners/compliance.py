"""`/comply TEXT` and the "Check compliance" message shortcut (issue 3).

Both only parse Slack's input, call handlers.compliance.check and render the result. A short
text (up to INSTANT_CHARS) checks in well under a millisecond, so `/comply` answers it in the ack
itself (ephemeral); a longer one is acked at once with a "Checking…" line and answered through
response_url by a lazy listener, so the ack never waits on the checker. The shortcut always acks at
once and posts the result with chat.postEphemeral to the user who ran it, in that channel.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.commands import CommandSpec, declare
from bot.deps import Deps
from bot.listeners.common import user_facing
from bot.listeners.routing import only_if
from bot.slack_text import slack_to_text
from bot.views import kit
from bot.views.compliance import result_message
from handlers.compliance import LANGS, MAX_CHARS, InvalidInput, check  # check loads the engine on first call
from infra import metrics

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
# Up to this many characters /comply is answered in the ack (the check takes well under a millisecond);
# above it the ack says "Checking…" and the verdict follows through response_url.
INSTANT_CHARS = 2_000


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
        result = check(text, lang)
    except InvalidInput as exc:
        return kit.error(f"Cannot check this text: {exc}.", USAGE)
    failed = result.verdict == "violation"
    metrics.count(metrics.COMPLIANCE_FAILED if failed else metrics.COMPLIANCE_PASSED, detail=result.verdict)
    return result_message(result)


def _deferred(body: dict) -> bool:
    """Long texts are checked in a lazy listener; short ones, and ones too long to check at all (refused
    at once), are answered in the ack. Only the deferred route has a lazy listener: on Lambda each lazy
    listener is another invocation, so a short /comply must not start one."""
    return INSTANT_CHARS < len(slack_to_text(body.get("text") or "")) <= MAX_CHARS  # a command's body is its payload


def register(app: App, deps: Deps) -> None:
    def ack_comply(ack: Ack, command: dict) -> None:
        ack(**run_check(command.get("text", ""), flags=True))

    def ack_comply_long(ack: Ack, command: dict) -> None:
        n = len(slack_to_text(command.get("text") or ""))
        ack(**kit.message(f"Checking {n:,} characters against Amazon's communication rules…"))

    @user_facing
    def answer_comply(respond: Respond, command: dict) -> None:
        respond(**run_check(command.get("text", ""), flags=True))

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

    app.command("/comply", middleware=only_if(_deferred))(ack=ack_comply_long, lazy=[answer_comply])
    app.command("/comply")(ack_comply)  # short: answered in the ack, nothing to defer
    app.shortcut(SHORTCUT)(ack=ack_shortcut, lazy=[post_shortcut_result])
