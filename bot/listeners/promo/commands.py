"""`/promo new|list|show|cancel|approve|reject` and the order every `/promo` subcommand is matched in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.commands import CommandSpec, UsageError
from bot.deps import Deps
from bot.listeners.common import parsed_again, parsed_or_refused, slack_error, user_facing
from bot.listeners.promo.checked import checked_request
from bot.listeners.promo.context import PromoWorkflow, already_decided, changed, user_of
from bot.listeners.promo.parsing import (
    APPROVE,
    CANCEL,
    REJECT,
    SHOW,
    USAGE,
    Words,
    approval_setup_error,
    list_options,
    parse_approve_command,
    parse_cancel_command,
    parse_list_words,
    parse_new,
    parse_reject_command,
    parse_show_command,
    resolve_account,
    scope,
)
from bot.listeners.promo_routes import NEW_INLINE, subcommand
from bot.views import kit
from bot.views.promo import (
    cancelled_notice,
    invalid_request,
    new_promo_modal,
    promo_detail,
    promo_list,
    submitted,
    transition_text,
)
from handlers.promo import service
from handlers.promo.models import PromoStatus, Promotion
from handlers.promo.validation import Issue
from infra.accounts import AccountConfig


def checked(deps: Deps, parse: Callable[[str], Words], command: dict) -> Callable[[str], Words]:
    """`parse`, then the access rule on the `--account` the words name (AccessRefused is a UsageError)."""

    def parse_checked(text: str) -> Words:
        w = parse(text)
        if w.options.get("--account"):
            resolve_account(deps, w.options["--account"], command)
        return w

    return parse_checked


def acker(deps: Deps, parse: Callable[[str], Words]) -> Callable[[Ack, dict], None]:
    """An ack that checks the arguments and the caller's access to the `--account` they name; the lazy
    listener does the work (and checks again: Bolt runs it even when the ack refused)."""

    def ack_parsed(ack: Ack, command: dict) -> None:
        if parsed_or_refused(ack, checked(deps, parse, command), command) is not None:
            ack()

    return ack_parsed


def ack_unknown(ack: Ack, command: dict) -> None:
    sub = subcommand(command)
    head = f"Unknown subcommand `{sub[:30]}`." if sub else "`/promo` needs a subcommand."
    ack(**kit.error(head, USAGE))


class PromoCommands:
    """The `/promo` subcommands that act on requests; lazy methods keep Bolt-unique names."""

    def __init__(self, workflow: PromoWorkflow) -> None:
        self.workflow, self.deps = workflow, workflow.deps

    def _parse_new(self, command: dict) -> Callable[[str], tuple[AccountConfig, dict[str, Any] | None, list[Issue]]]:
        return lambda text: parse_new(text, self.deps, command)

    def _new_request(self, ack: Ack, command: dict) -> tuple[AccountConfig, dict[str, Any] | None, list[Issue]] | None:
        """`/promo new …` parsed in the ack, or None once the ack said why the account cannot take it."""
        parsed = parsed_or_refused(ack, self._parse_new(command), command)
        if parsed is None:
            return None
        problem = approval_setup_error(parsed[0])
        if problem:
            ack(**kit.error(problem))
            return None
        return parsed

    def _target(
        self, command: dict, parse: Callable[[str], Words], spec: CommandSpec
    ) -> tuple[Words, str, AccountConfig, Promotion] | None:
        """(words, user, account, promotion) a `/promo SUB CODE …` names; None when the ack refused the text.

        Raises UsageError (shown by `user_facing`) when the user can see no such promotion.
        """
        w = parsed_again(checked(self.deps, parse, command), command)
        if w is None:
            return None
        user = user_of(command)
        return (w, user, *self.workflow.one(command, w.positionals[0], w.options.get("--account"), spec))

    # -- /promo new (form) --------------------------------------------------------------------------
    def ack_new_form(self, ack: Ack, command: dict, client: WebClient) -> None:
        parsed = self._new_request(ack, command)
        if parsed is None:
            return
        account = parsed[0]
        meta = {"account": account.account_id, "channel": command.get("channel_id", "")}
        try:
            client.views_open(
                trigger_id=command.get("trigger_id", ""),
                view=new_promo_modal(account, meta, now=self.workflow.now()),
            )
        except Exception as exc:
            ack(
                **kit.error(
                    f"Could not open the form ({slack_error(exc)}). Try again, or use the one-line form:",
                    NEW_INLINE.usage,
                )
            )
            return
        ack()

    # -- /promo new CODE ... (inline) ---------------------------------------------------------------
    def ack_new_inline(self, ack: Ack, command: dict) -> None:
        parsed = self._new_request(ack, command)
        if parsed is None:
            return
        account, raw, errors = parsed
        if errors or raw is None:
            ack(**invalid_request(errors, [], NEW_INLINE.usage))
            return
        # Validate and store a draft in the ack (one query + one transaction): a double submit or a lost
        # race for the code is answered right here. The lazy part checks the products in Amazon's
        # catalog (an SP-API call), submits the draft and posts the card (checked.py).
        out = service.request_promo(
            self.workflow.repo, account, raw, user_of(command), now=self.workflow.now(), submit=False
        )
        if out.promotion is None:
            ack(**invalid_request(out.validation.errors, out.validation.warnings, NEW_INLINE.usage))
            return
        ack(
            **kit.message(
                f"Submitting {out.promotion.code} for approval in <#{account.approvals_channel}> once Amazon's "
                "catalog has confirmed its products…"
            )
        )

    @user_facing
    def run_new_inline(self, respond: Respond, command: dict) -> None:
        parsed = parsed_again(self._parse_new(command), command)
        if parsed is None:
            return
        account, raw, errors = parsed
        if errors or raw is None:
            return
        say = lambda payload: respond(**payload)
        promo = checked_request(self.workflow, account, str(raw.get("code") or "").upper(), user_of(command), say)
        if promo is None:
            return
        warnings = self.workflow.warnings_for(account, promo)
        if self.workflow.post_card_or_explain(account, promo, warnings, say):
            respond(**submitted(promo, account.approvals_channel, warnings, account.approvers))

    # -- list / show / cancel -----------------------------------------------------------------------
    @user_facing
    def run_list(self, respond: Respond, command: dict) -> None:
        w = parsed_again(checked(self.deps, parse_list_words, command), command)
        if w is None:
            return
        account_id, status = list_options(w)
        user = user_of(command)
        found: list[Promotion] = []
        for account in scope(self.deps, account_id, command):
            self.workflow.refresh(account)
            found += service.list_visible(self.workflow.repo, account, user, status)
        where = (f"with status {status.value}" if status else "") + (f" in {account_id}" if account_id else "")
        respond(**promo_list(found, where.strip() or "you can see"))

    @user_facing
    def run_show(self, respond: Respond, command: dict) -> None:
        target = self._target(command, parse_show_command, SHOW)
        if target is None:
            return
        _, user, account, promo = target
        self.workflow.repo.refresh_status(promo, self.workflow.now())
        shown = service.show(self.workflow.repo, account, user, promo.code)
        if shown is None:  # gone since the lookup a moment ago
            raise UsageError(f"{promo.code} is no longer there.", SHOW.usage)
        promo = shown
        if promo.status is PromoStatus.PENDING_APPROVAL:
            ref = self.workflow.cards.get(account.account_id, promo.id)
            # The first post failed (its claim was released): post it now.
            if ref is None and self.workflow.post_card_or_explain(
                account, promo, [], lambda payload: respond(**payload)
            ):
                respond(**kit.message(f"Posted the approval card for {promo.code} to <#{account.approvals_channel}>."))
        respond(**promo_detail(service.card(promo, account, viewer=user), promo))

    @user_facing
    def run_cancel(self, respond: Respond, command: dict) -> None:
        target = self._target(command, parse_cancel_command, CANCEL)
        if target is None:
            return
        w, user, account, promo = target
        code, reason = w.positionals[0], " ".join(w.positionals[1:])
        t = service.cancel_by_code(self.workflow.repo, account, user, code, reason)
        if not t.applied:
            respond(**kit.error(f"{promo.code} was not cancelled: {transition_text(t)}."))
            return
        self.workflow.update_card(account, changed(t))
        if user != promo.requester:
            self.workflow.notify(account, changed(t), "cancelled", cancelled_notice(promo, user, reason))
        respond(**kit.message(f":x: Cancelled {transition_text(t)}."))

    # -- approve / reject (the card's buttons, typed) -----------------------------------------------
    @user_facing
    def run_approve_command(self, respond: Respond, command: dict) -> None:
        target = self._target(command, parse_approve_command, APPROVE)
        if target is None:
            return
        _, user, account, promo = target
        self.workflow.approve(account, promo.id, user, lambda payload: respond(**payload))

    @user_facing
    def run_reject_command(self, respond: Respond, command: dict) -> None:
        target = self._target(command, parse_reject_command, REJECT)
        if target is None:
            return
        w, user, account, promo = target
        t = self.workflow.repo.reject(account, promo.id, user, " ".join(w.positionals[1:]))
        if t.outcome == "already_decided":
            respond(**already_decided(t))
        elif not t.applied or t.promotion is None:
            respond(**kit.error(f"Not rejected: {transition_text(t)}."))
        else:
            self.workflow.after_reject(account, t.promotion)
            respond(**kit.message(f"You rejected {promo.code}; <@{promo.requester}> was told why."))
