"""`/message ORDER_ID TYPE text`: compliance-checked proactive buyer message with Send/Cancel (issue 4)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, Respond

from bot.access import AccessRefused
from bot.commands import CommandSpec, UsageError, declare
from bot.deps import Deps
from bot.listeners.common import parsed_again, parsed_or_refused, user_facing
from bot.slack_text import slack_to_text
from bot.views import kit
from bot.views.messages import (
    CANCEL_ACTION,
    SEND_ACTION,
    blocked_message,
    cancelled_message,
    preview_message,
    sent_message,
)
from handlers.reviews.command_words import CommandWords, parse_words
from handlers.reviews.errors import SpApiFailure, TargetError
from handlers.reviews.messaging import TEXT_ACTIONS, MessageError, MessagingService, SendOutcome, parse_action
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
USAGE = MESSAGE.usage + "\nDefault: this channel's account, else the first account you are on."


def parse_message(text: str, deps: Deps, command: dict) -> tuple[CommandWords, Target]:
    """Validated words and a target the caller may use, or UsageError (AccessRefused is one)."""
    try:
        words = parse_words(text, positionals_before_rest=2)
        if len(words.positionals) < 2:
            raise UsageError("ORDER_ID and TYPE are required, followed by the message text.", USAGE)
        parse_order_id(words.positionals[0])
        parse_action(words.positionals[1])
        if not words.rest.strip():
            raise UsageError("The message text is missing after TYPE.", USAGE)
        if words.account:
            deps.access.lookup(command, words.account, USAGE)  # unknown: name only the caller's accounts
        target = resolve_target(
            deps.accounts if words.account else deps.access.scoped(command), words.account, words.marketplace
        )
    except (InvalidOrderId, TargetError, MessageError) as exc:
        raise UsageError(str(exc), USAGE) from exc
    deps.access.require(command, target.account, target.code)
    return words, target


class MessageListeners:
    """`/message` and its Send/Cancel buttons; lazy methods keep Bolt-unique names."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def parser(self, command: dict) -> Callable[[str], tuple[CommandWords, Target]]:
        return lambda text: parse_message(text, self.deps, command)

    def service(self) -> MessagingService:
        deps = self.deps
        return MessagingService(deps.store, SpApiReviewsAdapter(deps.spapi), deps.clock, accounts=deps.accounts)

    def ack_message(self, ack: Ack, command: dict) -> None:
        parsed = parsed_or_refused(ack, self.parser(command), command)
        if parsed is None:
            return
        words, target = parsed
        ack(**kit.message(f"Checking the message for order {words.positionals[0]} ({target.label()})…"))

    @user_facing
    def run_message(self, respond: Respond, command: dict) -> None:
        parsed = parsed_again(self.parser(command), command)
        if parsed is None:
            return  # the ack already showed the usage error; Bolt runs lazy listeners regardless
        words, target = parsed
        try:
            # The buyer gets what the seller typed, and the check reads it: not Slack's `&amp;` and `<url|label>`.
            text = slack_to_text(words.rest)
            outcome = self.service().draft(
                target, words.positionals[0], words.positionals[1], text, command.get("user_id", "?")
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

    def refusal(self, body: dict) -> AccessRefused | None:
        """Why the clicker may not act on the draft's account (they may have lost it since drafting)."""
        found = self.service().get(clicked(body)[0])
        draft = found[0] if found else None
        account = self.deps.accounts.get(draft.account_id) if draft else None
        if draft is None or account is None:
            return None  # an unknown draft or account: the lazy listener says so
        return self.deps.access.refusal(body, account, draft.marketplace)

    def ack_button(self, ack: Ack, body: dict, respond: Respond) -> None:
        ack()
        refused = self.refusal(body)
        if refused is not None:
            respond(**kit.error(refused.message), replace_original=False)

    @user_facing
    def run_message_send(self, respond: Respond, body: dict) -> None:
        if self.refusal(body) is not None:
            return  # the ack told the clicker who can
        draft_id, user = clicked(body)
        result = self.service().send(draft_id, user)
        if result.status == "refused":
            respond(**refusal(result))
        elif result.status == "failed":
            respond(**sent_message(result))  # keep the preview and its buttons for a retry
        else:
            respond(**sent_message(result), replace_original=True)

    @user_facing
    def run_message_cancel(self, respond: Respond, body: dict) -> None:
        if self.refusal(body) is not None:
            return  # the ack told the clicker who can
        draft_id, user = clicked(body)
        result = self.service().cancel(draft_id, user)
        if result.status == "refused":
            respond(**refusal(result))
        else:
            respond(**cancelled_message(result), replace_original=True)


def refusal(result: SendOutcome) -> dict[str, Any]:
    """An ephemeral reply to whoever pressed Send or Cancel on a draft that is not theirs."""
    author = result.draft.created_by if result.draft else None
    who = kit.mention(author) if author else "its author"
    return kit.message(f":no_entry: Only {who} (who wrote this draft) can send or cancel it.", ephemeral=True)


def clicked(body: dict) -> tuple[str, str]:
    """(draft id, clicking user) of a Send or Cancel click."""
    return body["actions"][0]["value"], (body.get("user") or {}).get("id", "?")


def register(app: App, deps: Deps) -> None:
    m = MessageListeners(deps)
    app.command("/message")(ack=m.ack_message, lazy=[m.run_message])
    app.action(SEND_ACTION)(ack=m.ack_button, lazy=[m.run_message_send])
    app.action(CANCEL_ACTION)(ack=m.ack_button, lazy=[m.run_message_cancel])
