"""What every promo view shares: view and block ids, the buttons of each domain `Action`, status icons."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.views import kit
from handlers.promo.lifecycle import Action
from handlers.promo.models import PromoStatus
from handlers.promo.service import CardField
from handlers.promo.validation import FIELDS

NEW_VIEW = "promo_new"
REJECT_VIEW = "promo_reject_reason"
CREATED_VIEW = "promo_created_id"  # "Mark as created": the Seller Central promotion ID
# Modal block ids are the validation field names, so `Issue.field` pins an error to its input.
MODAL_FIELDS = tuple(field for field in FIELDS if field != "account_id")  # the account is not a form input
REASON_BLOCK = "reason"
PROMOTION_ID_BLOCK = "promotion_id"  # the created modal's input: its errors are pinned here
LIST_BUDGET = kit.BLOCK_TEXT_BUDGET - 2500  # characters of list lines in one reply; the rest is headers and notes

# Button action ids the listeners register; values carry "<account>:<promo id>".
ACTION_IDS: dict[Action, str] = {
    Action.APPROVE: "promo_approve",
    Action.REJECT: "promo_reject",
    Action.HAND_OFF: "promo_hand_off",
    Action.CONFIRM_CREATED: "promo_mark_created",
    Action.CANCEL: "promo_cancel",
}

BUTTONS: dict[str, tuple[str, str | None]] = {
    ACTION_IDS[Action.APPROVE]: ("Approve", "primary"),
    ACTION_IDS[Action.REJECT]: ("Reject…", "danger"),
    ACTION_IDS[Action.HAND_OFF]: ("Show Seller Central steps", None),
    ACTION_IDS[Action.CONFIRM_CREATED]: ("Mark as created", "primary"),
    ACTION_IDS[Action.CANCEL]: ("Cancel promotion", "danger"),
}
# The shared approvals card never offers Cancel (a misclick there would end someone's promotion):
# `/promo cancel CODE` does that, with the same permission check.
CARD_ACTIONS = (
    ACTION_IDS[Action.APPROVE],
    ACTION_IDS[Action.REJECT],
    ACTION_IDS[Action.HAND_OFF],
    ACTION_IDS[Action.CONFIRM_CREATED],
)
STATUS_ICON = {
    PromoStatus.DRAFT: ":memo:",
    PromoStatus.PENDING_APPROVAL: ":hourglass_flowing_sand:",
    PromoStatus.APPROVED: ":white_check_mark:",
    PromoStatus.HANDED_OFF: ":outbox_tray:",
    PromoStatus.CREATED: ":package:",
    PromoStatus.ACTIVE: ":large_green_circle:",
    PromoStatus.ENDED: ":checkered_flag:",
    PromoStatus.REJECTED: ":no_entry:",
    PromoStatus.CANCELLED: ":x:",
}


def _field_value(field: CardField) -> str:
    """The value as mrkdwn: a user field is the mention, then its text."""
    if field.user is None:
        return kit.escape(field.value)
    return kit.mention(field.user) + (f" {kit.escape(field.value)}" if field.value else "")


def field_pairs(fields: Sequence[CardField]) -> list[dict[str, Any]]:
    """Label/value pairs as section fields (≤ 10 per section, Slack's limit)."""
    blocks = []
    cells = [{"type": "mrkdwn", "text": kit.clip(f"*{f.label}*\n{_field_value(f)}", 2000)} for f in fields]
    for start in range(0, len(cells), 10):
        blocks.append({"type": "section", "fields": cells[start : start + 10]})
    return blocks
