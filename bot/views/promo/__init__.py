"""Block Kit for promo codes, one module per surface: `cards` (the request card, hand-off, lists, notices),
`forms` (modals), `reports` (sales report, deals), `common` (ids, buttons, icons).

Pure functions from domain objects (`PromoCard`, `HandoffResult`, `Promotion`, `TransitionResult`,
`PromoReport`) to Slack payload dicts and mrkdwn; no I/O. The names below are re-exported so listeners
import one place."""

from __future__ import annotations

from bot.views.promo.cards import (
    approved_notice,
    audit_lines,
    cancelled_notice,
    card_message,
    created_notice,
    ended_notice,
    forbidden_text,
    handoff_message,
    handoff_note,
    handoff_steps,
    invalid_request,
    issues_text,
    marked_created,
    promo_detail,
    promo_list,
    rejected_notice,
    requester_notice,
    submitted,
    transition_text,
)
from bot.views.promo.common import (
    ACTION_IDS,
    BUTTONS,
    CARD_ACTIONS,
    LIST_BUDGET,
    MODAL_FIELDS,
    NEW_VIEW,
    REASON_BLOCK,
    REJECT_VIEW,
    STATUS_ICON,
    field_pairs,
)
from bot.views.promo.forms import (
    new_promo_modal,
    reject_modal,
)
from bot.views.promo.reports import (
    deals_pending,
    deals_summary,
    deals_unreadable,
    report_notes,
    report_summary,
)

__all__ = [
    "ACTION_IDS",
    "BUTTONS",
    "CARD_ACTIONS",
    "LIST_BUDGET",
    "MODAL_FIELDS",
    "NEW_VIEW",
    "REASON_BLOCK",
    "REJECT_VIEW",
    "STATUS_ICON",
    "approved_notice",
    "audit_lines",
    "cancelled_notice",
    "card_message",
    "created_notice",
    "deals_pending",
    "deals_summary",
    "deals_unreadable",
    "ended_notice",
    "field_pairs",
    "forbidden_text",
    "handoff_message",
    "handoff_note",
    "handoff_steps",
    "invalid_request",
    "issues_text",
    "marked_created",
    "new_promo_modal",
    "promo_detail",
    "promo_list",
    "reject_modal",
    "rejected_notice",
    "report_notes",
    "report_summary",
    "requester_notice",
    "submitted",
    "transition_text",
]
