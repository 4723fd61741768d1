"""`/message ORDER_ID TYPE text`: compliance-checked proactive buyer message with Send/Cancel (issue 4)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond

from bot.commands import CommandSpec, UsageError, declare
from bot.deps import Deps
from bot.listeners.common import parsed_again, parsed_or_refused, user_facing
from bot.views import kit
from handlers.compliance import findings_lines
from handlers.reviews.cmdline import CommandWords, parse_words
from handlers.reviews.errors import SpApiFailure, TargetError
from handlers.reviews.messaging import TEXT_ACTIONS, MessageError, MessagingService, parse_action
from handlers.reviews.orders import InvalidOrderId, parse_order_id
from handlers.reviews.spapi_adapter import SpApiReviewsAdapter
from handlers.reviews.target import Target, resolve_target

MESSAGE = declare(
    CommandSpec(
        "/message",
        "/message [--account A] [--marketplace M] ORDER_ID TYPE text",
        "Send a buyer message after the compliance check (TYPE: " + ", ".join(TEXT_ACTIONS) + ")",
    )
)
USAGE = MESSAGE.usage + "\nDefault: the first configured account and its first marketplace."
PREVIEW_LIMIT = 2900  # characters of the quoted draft in the preview (Slack: 3000 per section)
MAX_WARNINGS = 5  # compliance warnings listed in the preview's one context line (≤ 300 characters each)
SEND_ACTION = "reviews_message_send"
CANCEL_ACTION = "reviews_message_cancel"


def parse_message(text: str, deps: Deps) -> tuple[CommandWords, Target]:
    try:
        words = parse_words(text, positionals_before_rest=2)
        if len(words.positionals) < 2:
            raise UsageError("ORDER_ID and TYPE are required, followed by the message text.", USAGE)
        parse_order_id(words.positionals[0])
        parse_action(words.positionals[1])
        if not words.rest.strip():
            raise UsageError("The message text is missing after TYPE.", USAGE)
        return words, resolve_target(deps.accounts, words.account, words.marketplace)
    except (InvalidOrderId, TargetError, MessageError) as exc:
        raise UsageError(str(exc), USAGE) from exc


def _service(deps: Deps) -> Any:
    return MessagingService(deps.store, SpApiReviewsAdapter(deps.spapi), deps.clock, accounts=deps.accounts)


def preview_message(outcome: Any, target: Target) -> dict:
    draft = outcome.draft
    warnings = findings_lines(outcome.compliance.findings) if outcome.compliance else []
    quoted = ">" + kit.escape(draft.text).replace("\n", "\n>")
    blocks = [
        kit.header("Buyer message preview"),
        kit.section(f"*Order* {draft.order_id} ({target.label()})  *Type* `{draft.action}`"),
        kit.section(kit.clip(quoted, PREVIEW_LIMIT)),
    ]
    if len(quoted) > PREVIEW_LIMIT:
        blocks.append(kit.context(f"Preview shortened; Send sends the whole message ({len(draft.text):,} characters)."))
    if warnings:
        shown = warnings[:MAX_WARNINGS]
        more = f"\n…and {len(warnings) - len(shown)} more" if len(warnings) > len(shown) else ""
        blocks.append(
            kit.context(
                ":warning: Compliance warnings:\n"
                + "\n".join(f"• {kit.escape(kit.clip(w, 300))}" for w in shown)
                + more
            )
        )
    blocks.append(kit.context("Allowed for this order: " + (", ".join(outcome.allowed) or "none")))
    blocks.append(
        kit.actions(
            kit.button("Send", SEND_ACTION, draft.draft_id, "primary"),
            kit.button("Cancel", CANCEL_ACTION, draft.draft_id, "danger"),
        )
    )
    return kit.message(f"Preview of {draft.action} for order {draft.order_id}: Send or Cancel.", blocks)


def blocked_message(outcome: Any) -> dict:
    lines = findings_lines(outcome.compliance.findings)
    text = (
        f"Blocked: the message for order {outcome.order_id} breaks Amazon's communication rules. "
        "Nothing was sent. Fix these and run /message again:"
    )
    more = "run `/comply` on the text (or `sellerbot check`) for the full list."
    return kit.message(
        text + "\n" + "\n".join(lines),
        [
            kit.section(f":no_entry: {text}"),
            *kit.sections([f"• {kit.escape(line)}" for line in lines], budget=kit.BLOCK_TEXT_BUDGET - 1000, more=more),
        ],
        more=more,
    )


def register(app: App, deps: Deps) -> None:
    def parse(text: str) -> tuple[CommandWords, Target]:
        return parse_message(text, deps)

    def ack_message(ack: Ack, command: dict) -> None:
        parsed = parsed_or_refused(ack, parse, command)
        if parsed is None:
            return
        words, target = parsed
        ack(**kit.message(f"Checking the message for order {words.positionals[0]} ({target.label()})…"))

    @user_facing
    def run_message(respond: Respond, command: dict) -> None:
        parsed = parsed_again(parse, command)
        if parsed is None:
            return  # the ack already showed the usage error; Bolt runs lazy listeners regardless
        words, target = parsed
        try:
            outcome = _service(deps).draft(
                target, words.positionals[0], words.positionals[1], words.rest, command.get("user_id", "?")
            )
        except MessageError as exc:
            raise UsageError(str(exc), USAGE) from exc
        except SpApiFailure as exc:
            respond(**kit.error(exc.user_message()))
            return
        if outcome.status == "blocked":
            respond(**blocked_message(outcome))
        elif outcome.status == "not_allowed":
            respond(**kit.error(outcome.reason))
        else:
            respond(**preview_message(outcome, target))

    def ack_button(ack: Ack) -> None:
        ack()

    def _clicked(body: dict) -> tuple[str, str]:
        return body["actions"][0]["value"], (body.get("user") or {}).get("id", "?")

    @user_facing
    def run_message_send(respond: Respond, body: dict) -> None:
        draft_id, user = _clicked(body)
        result = _service(deps).send(draft_id, user)
        texts = {
            "sent": ":white_check_mark: Message sent to the buyer through Amazon.",
            "already_sent": f"Already sent ({result.detail}); not sent again.",
            "in_progress": "Another click is sending this message right now; not sent twice.",
            "unconfirmed": f":warning: Not sent again: {result.detail}",
            "cancelled": f"This message was cancelled ({result.detail}); nothing was sent.",
            "failed": f":x: Not sent: {result.detail} Press Send again to retry.",
            "unknown": result.detail or "This draft is unknown.",
        }
        payload = kit.message(texts[result.status])
        if result.status == "failed":
            respond(**payload)  # keep the preview and its buttons for a retry
        else:
            respond(**payload, replace_original=True)

    @user_facing
    def run_message_cancel(respond: Respond, body: dict) -> None:
        draft_id, user = _clicked(body)
        result = _service(deps).cancel(draft_id, user)
        texts = {
            "cancelled": "Cancelled; nothing was sent.",
            "already_sent": "Already sent; it cannot be cancelled.",
            "in_progress": "Being sent right now; it cannot be cancelled.",
            "unconfirmed": f"Cannot be cancelled: {result.detail}",
        }
        respond(**kit.message(texts.get(result.status, result.detail or "Nothing to cancel.")), replace_original=True)

    app.command("/message")(ack=ack_message, lazy=[run_message])
    app.action(SEND_ACTION)(ack=ack_button, lazy=[run_message_send])
    app.action(CANCEL_ACTION)(ack=ack_button, lazy=[run_message_cancel])
