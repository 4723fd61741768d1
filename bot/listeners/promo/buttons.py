"""The request card's buttons: Approve, Reject (opens the reason modal), Show Seller Central
steps, Mark as created (opens the promotion-ID modal) and Cancel. Replies are ephemeral so the
card itself stays as it is. A card only offers the moves its status allows, and every press
re-checks the clicker and the status before anything is written or opened.
"""

from __future__ import annotations

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.access import caller_of
from bot.listeners.common import user_facing
from bot.listeners.promo.context import PromoWorkflow, already_decided, changed, ephemeral, log
from bot.views import kit
from bot.views.promo import (
    cancelled_notice,
    created_modal,
    forbidden_text,
    handoff_message,
    reject_modal,
    transition_text,
)
from handlers.promo import service
from handlers.promo.lifecycle import Action, permission_error
from handlers.promo.models import STATUS_TEXT, PromoStatus
from handlers.promo.repository import MARKED_CREATED, TransitionResult
from infra.accounts import AccountConfig


def click(body: dict) -> tuple[str, str]:
    """(button value, clicking user) of a block action."""
    return (body.get("actions") or [{}])[0].get("value", ""), (body.get("user") or {}).get("id", "?")


class PromoButtons:
    """Lazy methods keep Bolt-unique names: Bolt finds lazy listeners by name."""

    def __init__(self, workflow: PromoWorkflow) -> None:
        self.workflow = workflow

    def ack_button(self, ack: Ack, body: dict, respond: Respond) -> None:
        """Ack at once; a clicker who is not on the card's account is told who is (the lazy part then stops)."""
        ack()
        account, _ = self.workflow.from_value(click(body)[0])
        refused = self.workflow.refusal(body, account) if account else None
        if refused is not None:
            ephemeral(respond, kit.error(refused.message))

    def _clicked(self, respond: Respond, body: dict) -> tuple[AccountConfig, str, str] | None:
        """(account, promo id, user) of a click; None once the clicker was told the account is gone, or
        when they are not on the account (the ack told them)."""
        value, user = click(body)
        account, promo_id = self.workflow.from_value(value)
        if account is None:
            ephemeral(respond, kit.error("This button belongs to an account that is no longer configured."))
            return None
        if self.workflow.refusal(body, account) is not None:
            return None
        return account, promo_id, user

    @user_facing
    def run_approve(self, respond: Respond, body: dict) -> None:
        clicked = self._clicked(respond, body)
        if clicked is None:
            return
        account, promo_id, user = clicked
        self.workflow.approve(account, promo_id, user, lambda payload: ephemeral(respond, payload))

    def ack_reject(self, ack: Ack, body: dict, client: WebClient, respond: Respond) -> None:
        value, user = click(body)
        account, promo_id = self.workflow.from_value(value)
        promo = self.workflow.repo.get(account.account_id, promo_id) if account else None
        if account is None or promo is None:
            ack()
            ephemeral(respond, kit.error("This promotion no longer exists."))
            return
        refused = self.workflow.refusal(body, account)
        if refused is not None:
            ack()
            ephemeral(respond, kit.error(refused.message))
            return
        if promo.status is not PromoStatus.PENDING_APPROVAL:
            who = f" by <@{promo.approver}>" if promo.approver else ""
            ack()
            ephemeral(
                respond,
                kit.message(
                    f":information_source: {promo.code} is already {STATUS_TEXT[promo.status]}{who}; nothing to reject."
                ),
            )
            return
        why = permission_error(Action.REJECT, promo, user, account)
        if why:
            log.warning("refused: rejection of %s by %s (forbidden)", promo.code, user)
            ack()
            ephemeral(respond, kit.error(f"You cannot reject {promo.code}: {forbidden_text(why)}."))
            return
        meta = {"account": account.account_id, "promo": promo.id, "channel": caller_of(body).channel}
        try:
            client.views_open(trigger_id=body.get("trigger_id", ""), view=reject_modal(promo, meta))
        except Exception as exc:
            ack()
            ephemeral(respond, kit.error(f"Could not open the rejection form ({type(exc).__name__}); click again."))
            return
        ack()

    @user_facing
    def run_hand_off(self, respond: Respond, body: dict) -> None:
        clicked = self._clicked(respond, body)
        if clicked is None:
            return
        account, promo_id, user = clicked
        workflow = self.workflow
        h = service.hand_off(workflow.repo, workflow.gateway, account, promo_id, user)
        if h.handoff is None:
            ephemeral(respond, kit.error(f"No hand-off: {transition_text(h.transition)}."))
            return
        if h.transition.applied:
            workflow.update_card(account, changed(h.transition))
        promo = h.transition.promotion or workflow.repo.get(account.account_id, promo_id)
        if promo is None:
            ephemeral(respond, kit.error("This promotion no longer exists."))
            return
        ephemeral(respond, kit.message(**handoff_message(h.handoff, promo)))

    def ack_mark_created(self, ack: Ack, body: dict, client: WebClient, respond: Respond) -> None:
        """Open the promotion-ID modal (in the ack: Slack's trigger_id lasts 3 seconds), after the same
        checks the submission repeats: the account, the clicker, the status."""
        value, user = click(body)
        account, promo_id = self.workflow.from_value(value)
        promo = self.workflow.repo.get(account.account_id, promo_id) if account else None
        ack()
        if account is None:
            ephemeral(respond, kit.error("This button belongs to an account that is no longer configured."))
            return
        if promo is None:
            ephemeral(respond, kit.error("No promotion matches this button any more; `/promo list` shows yours."))
            return
        refused = self.workflow.refusal(body, account)
        if refused is not None:
            ephemeral(respond, kit.error(refused.message))
            return
        if promo.handoff and promo.handoff.created_confirmed:
            done = TransitionResult(
                outcome="already_decided",
                promotion=promo,
                decided_by=promo.handoff.confirmed_by,
                decided_at=promo.handoff.confirmed_at,
                verdict=MARKED_CREATED,
            )
            ephemeral(respond, already_decided(done))
            return
        if promo.status is not PromoStatus.HANDED_OFF:
            ephemeral(
                respond,
                kit.message(
                    f":information_source: {promo.code} is {STATUS_TEXT[promo.status]}, so there is nothing to "
                    "mark as created."
                ),
            )
            return
        why = permission_error(Action.CONFIRM_CREATED, promo, user, account)
        if why:
            log.warning("refused: mark as created of %s by %s (forbidden)", promo.code, user)
            ephemeral(respond, kit.error(f"You cannot mark {promo.code} as created: {forbidden_text(why)}."))
            return
        meta = {"account": account.account_id, "promo": promo.id, "channel": caller_of(body).channel}
        try:
            client.views_open(trigger_id=body.get("trigger_id", ""), view=created_modal(promo, meta))
        except Exception as exc:
            log.warning("promo created form did not open: %s", type(exc).__name__)
            ephemeral(respond, kit.error("Could not open the 'Mark as created' form; press the button again."))

    @user_facing
    def run_cancel_button(self, respond: Respond, body: dict) -> None:
        clicked = self._clicked(respond, body)
        if clicked is None:
            return
        account, promo_id, user = clicked
        t = self.workflow.repo.cancel(account, promo_id, user, "cancelled from Slack")
        if not t.applied:
            ephemeral(respond, kit.error(f"Not cancelled: {transition_text(t)}."))
            return
        promo = changed(t)
        self.workflow.update_card(account, promo)
        if user != promo.requester:
            self.workflow.notify(account, promo, "cancelled", cancelled_notice(promo, user))
        ephemeral(respond, kit.message(f"Cancelled: {transition_text(t)}."))
