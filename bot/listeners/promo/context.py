"""`PromoWorkflow`: a promo code's way from request to approval card, decision, hand-off and the
requester's notices, bound to this process's store, Slack client and clock; plus the few helpers
every `/promo` entry point (command, button, modal) shares.

Every state change is a compare-and-swap in the store, so a double click, two approvers
at once or a Slack retry decide once; only the caller whose write applied edits the card
and notifies the requester.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from slack_bolt import Respond

from bot.access import AccessRefused
from bot.commands import CommandSpec, UsageError
from bot.deps import Deps
from bot.listeners.common import slack_error_data
from bot.listeners.promo.parsing import modal_meta, scope
from bot.views import kit
from bot.views.promo import (
    approved_notice,
    card_message,
    created_notice,
    handoff_message,
    handoff_note,
    marked_created,
    rejected_notice,
    transition_text,
)
from handlers.promo import service
from handlers.promo.cards import CardRefs
from handlers.promo.gateway import HandoffResult, PromotionGateway, SellerCentralHandoff
from handlers.promo.models import PromoStatus, Promotion
from handlers.promo.repository import PromoRepository, TransitionResult
from handlers.promo.validation import Issue, validate
from infra.accounts import AccountConfig

log = logging.getLogger("sellerbot.promo")

Say = Callable[[dict[str, Any]], Any]
"""Answers whoever triggered the listener: a `respond`, an ephemeral reply or a DM."""


# ---- Slack plumbing shared by the promo listener modules ------------------------------------------
def ephemeral(respond: Respond, payload: dict[str, Any]) -> None:
    """Answer a button click without replacing the card it was clicked on."""
    respond(**payload, replace_original=False)


def user_of(command: dict) -> str:
    return command.get("user_id", "?")


def already_decided(t: TransitionResult) -> dict[str, Any]:
    what = t.promotion.code if t.promotion else "This promotion"
    return kit.message(f":information_source: {what} was {transition_text(t)}; nothing changed.")


def changed(t: TransitionResult) -> Promotion:
    """The promotion an applied transition changed (the repository returns it with every applied change)."""
    if t.promotion is None:
        raise LookupError(f"the store returned no promotion with an {t.outcome} change ({transition_text(t)})")
    return t.promotion


# ---- the domain, bound to this process ------------------------------------------------------------
class PromoWorkflow:
    """Request → approval card → approve/reject → Seller Central hand-off → notices, over this process's
    store, Slack client and clock."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.repo = PromoRepository(deps.store, clock=self.now)
        self.cards = CardRefs(deps.store)
        self.gateway: PromotionGateway = getattr(deps, "promo_gateway", None) or SellerCentralHandoff()

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.deps.clock(), UTC)

    def account(self, account_id: str) -> AccountConfig | None:
        return self.deps.accounts.get(account_id)

    def from_value(self, value: str) -> tuple[AccountConfig | None, str]:
        """A card button's value (`account:promo id`) → (account, promo id)."""
        account_id, _, promo_id = value.partition(":")
        return self.account(account_id), promo_id

    def form_account(self, view: dict) -> tuple[dict[str, str], AccountConfig | None]:
        """A submitted modal's metadata and the account it was opened for (None if no longer configured)."""
        meta = modal_meta(view)
        return meta, self.account(str(meta.get("account", "")))

    def refusal(self, body: dict, account: AccountConfig) -> AccessRefused | None:
        """Why the caller of `body` may not act on `account`, or None when they may."""
        return self.deps.access.refusal(body, account)

    def refresh(self, account: AccountConfig) -> None:
        self.repo.expire_due([account.account_id], self.now())

    # -- cards and messages -------------------------------------------------------------------------
    def post_card(self, account: AccountConfig, promo: Promotion, warnings: Sequence[Issue] = ()) -> str | None:
        """Post the request card once per promotion (claimed in the store); its ts when this call posted it,
        None when another call (a double submit's twin) holds the claim."""
        channel = account.approvals_channel
        if not self.cards.claim(account.account_id, promo.id, channel):
            return None
        try:
            msg = card_message(service.card(promo, account, warnings=list(warnings)))
            ts = self.deps.slack.chat_postMessage(channel=channel, **msg)["ts"]
        except Exception:
            self.cards.release(account.account_id, promo.id)
            raise
        self.cards.posted(account.account_id, promo.id, channel, ts)
        return ts

    def post_card_or_explain(
        self, account: AccountConfig, promo: Promotion, warnings: Sequence[Issue], say: Say
    ) -> bool:
        """Post the approval card; True when this call posted it (so this call announces it). If Slack
        refuses, say so (the request is stored; `/promo show` re-posts)."""
        try:
            return self.post_card(account, promo, warnings) is not None
        except Exception as exc:
            err = slack_error_data(exc)
            reason = err.get("error") if isinstance(err, dict) else None
            log.warning("promo card post failed: %s", reason or type(exc).__name__)
            say(
                kit.error(
                    f"{promo.code} is stored and pending approval, but its card could not be posted to "
                    f"<#{account.approvals_channel}> ({reason or type(exc).__name__}). Invite sellerbot to "
                    f"that channel, then run `/promo show {promo.code}` to post it."
                )
            )
            return False

    def update_card(self, account: AccountConfig, promo: Promotion, note: str | None = None) -> None:
        note = note if note is not None else handoff_note(promo)
        ref = self.cards.get(account.account_id, promo.id)
        if ref is None or ref.ts is None:
            return
        try:
            self.deps.slack.chat_update(
                channel=ref.channel, ts=ref.ts, **card_message(service.card(promo, account), note=note)
            )
        except Exception as exc:
            log.warning("promo card update failed: %s", type(exc).__name__)

    def notify(self, account: AccountConfig, promo: Promotion, kind: str, notice: dict[str, Any]) -> bool:
        """DM the requester `notice` (bot/views/promo.py's *_notice) once per (promotion, kind)."""
        if not self.cards.claim_notice(account.account_id, promo.id, kind):
            return False
        try:
            self.deps.slack.chat_postMessage(channel=promo.requester, **notice)
        except Exception as exc:
            log.warning("promo notification failed: %s", type(exc).__name__)
        return True

    def post_handoff(self, account: AccountConfig, promo: Promotion, handoff: HandoffResult, approver: str) -> None:
        msg = handoff_message(handoff, promo)
        ref = self.cards.get(account.account_id, promo.id)
        if ref and ref.ts:
            try:
                self.deps.slack.chat_postMessage(channel=ref.channel, thread_ts=ref.ts, **msg)
            except Exception as exc:
                log.warning("promo hand-off thread post failed: %s", type(exc).__name__)
        self.notify(account, promo, "approved", approved_notice(promo, approver, msg))

    # -- lookups ------------------------------------------------------------------------------------
    def find(self, accounts: list[AccountConfig], code: str) -> list[tuple[AccountConfig, Promotion]]:
        found = []
        for account in accounts:
            promo = self.repo.get_by_code(account.account_id, code, with_history=False)
            if promo is not None:
                found.append((account, promo))
        return found

    def one(
        self, command: dict, code: str, account_id: str | None, spec: CommandSpec
    ) -> tuple[AccountConfig, Promotion]:
        """The promotion with this code that the caller may see, on an account they are on, or UsageError."""
        user = user_of(command)
        accounts = scope(self.deps, account_id, command)
        found = [(a, p) for a, p in self.find(accounts, code) if service.can_view(a, user, p)]
        if not found:
            where = f"account `{account_id}`" if account_id else "any account"
            raise UsageError(
                f"No promotion with code {code.upper()} that you can see in {where} "
                "(you see your own requests; approvers see all of their accounts).",
                spec.usage,
            )
        if len(found) > 1:
            ids = ", ".join(a.account_id for a, _ in found)
            raise UsageError(f"Code {code.upper()} exists in several accounts ({ids}); add --account.", spec.usage)
        return found[0]

    def stored_request(self, account: AccountConfig | None, code: str | None, user: str) -> Promotion | None:
        """The promotion this user's request stored in the ack and nobody announced yet, else None."""
        if account is None or not code:
            return None
        promo = self.repo.get_by_code(account.account_id, code, with_history=False)
        if promo is None or promo.requester != user or promo.status is not PromoStatus.PENDING_APPROVAL:
            return None  # the ack refused this request (and said why)
        if self.cards.get(account.account_id, promo.id) is not None:
            return None  # an earlier request for this code already has its card
        return promo

    def warnings_for(self, account: AccountConfig, promo: Promotion) -> list[Issue]:
        others = [p for p in self.repo.list(account.account_id) if p.id != promo.id]
        return validate(promo.draft(), account=account, existing=others, now=promo.created_at).warnings

    # -- decisions shared by commands, buttons and modals ------------------------------------------
    def approve(self, account: AccountConfig, promo_id: str, user: str, say: Say) -> None:
        """Approve, hand off through the gateway, edit the card, tell the requester; `say` answers the clicker."""
        t = self.repo.approve(account, promo_id, user)
        if t.outcome == "already_decided":
            say(already_decided(t))
            return
        if not t.applied:
            log.warning(
                "refused: approval of %s by %s (%s)", t.promotion.code if t.promotion else promo_id, user, t.outcome
            )
            say(kit.error(f"Not approved: {transition_text(t)}."))
            return
        h = service.hand_off(self.repo, self.gateway, account, promo_id, user)
        promo = h.transition.promotion or changed(t)
        self.update_card(account, promo)
        if h.handoff is not None:
            self.post_handoff(account, promo, h.handoff, user)
        say(
            kit.message(
                f"You approved {promo.code}. The Seller Central steps are in the card's "
                f"thread and were sent to <@{promo.requester}>."
            )
        )

    def after_created(self, account: AccountConfig, promo: Promotion, user: str) -> None:
        """After "Mark as created" applied: edit the card, tell the requester (once) and whoever pressed it."""
        if not self.cards.claim_notice(account.account_id, promo.id, "created-card"):
            return  # a retried submission: already done
        self.update_card(account, promo)
        self.notify(account, promo, "created", created_notice(promo, user))
        if user != promo.requester:
            try:
                self.deps.slack.chat_postMessage(channel=user, text=marked_created(promo)["text"])
            except Exception as exc:
                log.warning("promo created reply failed: %s", type(exc).__name__)

    def after_reject(self, account: AccountConfig, promo: Promotion) -> None:
        if not self.cards.claim_notice(account.account_id, promo.id, "rejected-card"):
            return  # a retried submission: the card and the requester were already told
        self.update_card(account, promo)
        self.notify(account, promo, "rejected", rejected_notice(promo))
