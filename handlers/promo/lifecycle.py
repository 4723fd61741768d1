"""The promotion state machine and who may move it. Pure: no store, no clock.

draft → pending_approval → approved → handed_off → active → ended, plus
rejected and cancelled. "Mark as created" does not change the status by itself:
it records the confirmation on a handed_off promotion, which becomes active
only once it is confirmed AND its start has passed (`status_by_dates`).
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum

from handlers.promo.models import PromoStatus, Promotion
from infra.accounts import AccountConfig

S = PromoStatus

SYSTEM_ACTOR = "system"


class Action(str, Enum):
    SUBMIT = "submit"
    APPROVE = "approve"
    REJECT = "reject"
    HAND_OFF = "hand_off"
    CONFIRM_CREATED = "confirm_created"
    ACTIVATE = "activate"
    END = "end"
    CANCEL = "cancel"


# (action, from) → to. Anything not listed is forbidden.
TRANSITIONS: dict[tuple[Action, PromoStatus], PromoStatus] = {
    (Action.SUBMIT, S.DRAFT): S.PENDING_APPROVAL,
    (Action.APPROVE, S.PENDING_APPROVAL): S.APPROVED,
    (Action.REJECT, S.PENDING_APPROVAL): S.REJECTED,
    (Action.HAND_OFF, S.APPROVED): S.HANDED_OFF,
    (Action.CONFIRM_CREATED, S.HANDED_OFF): S.HANDED_OFF,  # may then activate by dates
    (Action.ACTIVATE, S.HANDED_OFF): S.ACTIVE,
    (Action.END, S.HANDED_OFF): S.ENDED,
    (Action.END, S.ACTIVE): S.ENDED,
    (Action.CANCEL, S.DRAFT): S.CANCELLED,
    (Action.CANCEL, S.PENDING_APPROVAL): S.CANCELLED,
    (Action.CANCEL, S.APPROVED): S.CANCELLED,
    (Action.CANCEL, S.HANDED_OFF): S.CANCELLED,
    (Action.CANCEL, S.ACTIVE): S.CANCELLED,
}
# Reaching one of these is a "decision": a later approve/reject reports it instead of failing.
DECIDED = frozenset({S.APPROVED, S.REJECTED, S.HANDED_OFF, S.ACTIVE, S.ENDED, S.CANCELLED})


def next_status(action: Action, current: PromoStatus) -> PromoStatus | None:
    return TRANSITIONS.get((action, current))


def permission_error(action: Action, promo: Promotion, actor: str, account: AccountConfig | None) -> str | None:
    """Why `actor` may not do `action` on `promo`, or None if allowed."""
    approvers = set(account.approvers) if account else set()
    if action in (Action.ACTIVATE, Action.END):
        return None if actor == SYSTEM_ACTOR else "activation and expiry follow the dates; nobody sets them by hand"
    if action is Action.SUBMIT:
        return None if actor == promo.requester else f"only the requester <@{promo.requester}> can submit this draft"
    if action in (Action.APPROVE, Action.REJECT):
        if actor == promo.requester:
            return "you requested this promotion, so someone else from the approvers list must decide"
        if actor not in approvers:
            return "only the account's approvers can approve or reject promotions: " + (
                ", ".join(f"<@{a}>" for a in sorted(approvers)) or "none configured"
            )
        return None
    # Hand-off, confirmation and cancel: the requester or an approver.
    if actor == promo.requester or actor in approvers:
        return None
    return "only the requester or an approver can do this"


def status_by_dates(promo: Promotion, now: datetime) -> PromoStatus:
    """Where the dates put a handed_off/active promotion; other statuses unchanged."""
    if promo.status not in (S.HANDED_OFF, S.ACTIVE):
        return promo.status
    if now >= promo.end:
        return S.ENDED
    confirmed = promo.handoff is not None and promo.handoff.created_confirmed
    if promo.status is S.HANDED_OFF and confirmed and now >= promo.start:
        return S.ACTIVE
    return promo.status
