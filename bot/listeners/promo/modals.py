"""The new-promo, reject and "Mark as created" modals: validate (and store) in the ack, announce lazily.

Field errors go back in the ack as `response_action: errors`, the only way Slack shows
them next to the fields; the lazy part re-reads the store to learn what the ack decided.
"""

from __future__ import annotations

from slack_bolt import Ack

from bot.listeners.common import user_facing
from bot.listeners.promo.checked import checked_request
from bot.listeners.promo.context import PromoWorkflow
from bot.listeners.promo.parsing import modal_errors, modal_meta, modal_raw, plain, reject_reason
from bot.views import kit
from bot.views.promo import (
    PROMOTION_ID_BLOCK,
    REASON_BLOCK,
    submitted,
    transition_text,
)
from handlers.promo import service
from handlers.promo.models import PromoStatus


class PromoModals:
    """Lazy methods keep Bolt-unique names: Bolt finds lazy listeners by name."""

    def __init__(self, workflow: PromoWorkflow) -> None:
        self.workflow, self.deps = workflow, workflow.deps

    # -- new promo ----------------------------------------------------------------------------------
    def ack_new_submission(self, ack: Ack, body: dict, view: dict) -> None:
        meta, account = self.workflow.form_account(view)
        if account is None:
            ack(
                response_action="errors",
                errors={
                    "code": "This form belongs to an account that is no longer "
                    "configured; close it and run /promo new again."
                },
            )
            return
        refused = self.workflow.refusal(form_caller(body, meta), account)
        if refused is not None:
            ack(response_action="errors", errors={"code": kit.clip(plain(refused.message), 1900)})
            return
        raw = modal_raw(view.get("state", {}).get("values", {}))
        # A draft (it holds the code); the lazy part checks the products in Amazon's catalog and submits it.
        out = service.request_promo(
            self.workflow.repo, account, raw, body["user"]["id"], now=self.workflow.now(), submit=False
        )
        if not out.ok:
            ack(response_action="errors", errors=modal_errors(out.validation.errors))
            return
        ack()

    @user_facing
    def run_new_submission(self, body: dict, view: dict) -> None:
        user = body["user"]["id"]
        _, account = self.workflow.form_account(view)
        if account is None or self.workflow.refusal(form_caller(body, modal_meta(view)), account):
            return  # the ack refused this submission (field errors were shown in the modal)
        dm = lambda payload: self.deps.slack.chat_postMessage(
            channel=user, text=payload["text"], blocks=payload.get("blocks")
        )
        code = str(modal_raw(view.get("state", {}).get("values", {})).get("code") or "").strip().upper()
        promo = checked_request(self.workflow, account, code, user, dm)
        if promo is None:
            return  # refused: by the ack (field errors shown in the modal) or by the catalog (told by DM)
        warnings = self.workflow.warnings_for(account, promo)
        if self.workflow.post_card_or_explain(account, promo, warnings, dm):
            dm(submitted(promo, account.approvals_channel, warnings, account.approvers))

    # -- reject -------------------------------------------------------------------------------------
    def ack_reject_submission(self, ack: Ack, body: dict, view: dict) -> None:
        meta, account = self.workflow.form_account(view)
        reason = reject_reason(view)
        if account is None:
            ack(response_action="errors", errors={REASON_BLOCK: "This account is no longer configured."})
            return
        if not reason.strip():
            ack(response_action="errors", errors={REASON_BLOCK: "Give a reason so the requester can fix the request."})
            return
        refused = self.workflow.refusal(form_caller(body, meta), account)
        if refused is not None:
            ack(response_action="errors", errors={REASON_BLOCK: kit.clip(plain(refused.message), 1900)})
            return
        t = self.workflow.repo.reject(account, str(meta.get("promo", "")), body["user"]["id"], reason)
        if not t.applied:
            ack(
                response_action="errors",
                errors={REASON_BLOCK: kit.clip(f"Not rejected: {plain(transition_text(t))}.", 1900)},
            )
            return
        ack()

    @user_facing
    def run_reject_submission(self, body: dict, view: dict) -> None:
        meta, account = self.workflow.form_account(view)
        promo = self.workflow.repo.get(account.account_id, str(meta.get("promo", ""))) if account else None
        if (
            account is None
            or promo is None
            or promo.status is not PromoStatus.REJECTED
            or promo.approver != body["user"]["id"]
        ):
            return  # the ack refused it
        self.workflow.after_reject(account, promo)

    # -- mark as created --------------------------------------------------------------------------
    def ack_created_submission(self, ack: Ack, body: dict, view: dict) -> None:
        """Check the promotion ID and move handed_off → created in the ack, so a wrong ID, a lost race
        or a refusal shows under the input; the lazy part edits the card and tells people."""
        meta, account = self.workflow.form_account(view)
        if account is None:
            ack(response_action="errors", errors={PROMOTION_ID_BLOCK: "This account is no longer configured."})
            return
        refused = self.workflow.refusal(form_caller(body, meta), account)
        if refused is not None:
            ack(response_action="errors", errors={PROMOTION_ID_BLOCK: kit.clip(plain(refused.message), 1900)})
            return
        workflow = self.workflow
        t = service.confirm_created(
            workflow.repo,
            workflow.gateway,
            account,
            str(meta.get("promo", "")),
            body["user"]["id"],
            external_id=promotion_id(view),
        )
        if not t.applied:
            # Still handed off and "invalid": the gateway refused the ID's format; its message says what to do.
            wrong_id = (
                t.outcome == "invalid" and t.promotion is not None and t.promotion.status is PromoStatus.HANDED_OFF
            )
            text = t.message if wrong_id else f"Not marked as created: {transition_text(t)}."
            ack(response_action="errors", errors={PROMOTION_ID_BLOCK: kit.clip(plain(text), 1900)})
            return
        ack()

    @user_facing
    def run_created_submission(self, body: dict, view: dict) -> None:
        meta, account = self.workflow.form_account(view)
        promo = self.workflow.repo.get(account.account_id, str(meta.get("promo", ""))) if account else None
        user = body["user"]["id"]
        if account is None or promo is None or promo.handoff is None or promo.handoff.confirmed_by != user:
            return  # the ack refused it
        self.workflow.after_created(account, promo, user)


def promotion_id(view: dict) -> str:
    """The ID typed into the "Mark as created" modal ('' when empty)."""
    values = view.get("state", {}).get("values", {})
    return ((values.get(PROMOTION_ID_BLOCK) or {}).get("value") or {}).get("value") or ""


def form_caller(body: dict, meta: dict[str, str]) -> dict[str, str]:
    """Who submitted a form, and the channel it was opened from (the bot wrote it into the metadata)."""
    return {"user_id": str((body.get("user") or {}).get("id", "")), "channel_id": str(meta.get("channel", ""))}
