"""The promotion state machine and who may move it. Pure: no store, no clock.

draft → pending_approval → approved → handed_off (to be created in Seller Central) → created
(someone entered the Seller Central promotion ID) → active (its start passed) → ended (its end
passed), plus rejected and cancelled. Only a created promotion goes active: a handed_off one
whose end passes without ever being created is cancelled by the dates ("never created", EXPIRE).
Rejected and never-created codes go back to the account (`releases_code`); a created one never does.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum

from pydantic import BaseModel

from handlers.promo.models import PromoStatus, Promotion
from infra.accounts import AccountConfig

S = PromoStatus

SYSTEM_ACTOR = "system"

# At most this many open requests (OPEN below) per user and account, so nobody can reserve
# every good code of an account; SELLERBOT_MAX_OPEN_PROMO_REQUESTS overrides it (service.py).
MAX_OPEN_REQUESTS_PER_USER = 10


class Action(str, Enum):
    SUBMIT = "submit"
    APPROVE = "approve"
    REJECT = "reject"
    HAND_OFF = "hand_off"
    CONFIRM_CREATED = "confirm_created"
    ACTIVATE = "activate"
    END = "end"
    EXPIRE = "expire"  # the end passed before anyone marked it created: cancelled, never created
    CANCEL = "cancel"


# (action, from) → to. Anything not listed is forbidden.
TRANSITIONS: dict[tuple[Action, PromoStatus], PromoStatus] = {
    (Action.SUBMIT, S.DRAFT): S.PENDING_APPROVAL,
    (Action.APPROVE, S.PENDING_APPROVAL): S.APPROVED,
    (Action.REJECT, S.PENDING_APPROVAL): S.REJECTED,
    (Action.HAND_OFF, S.APPROVED): S.HANDED_OFF,
    (Action.CONFIRM_CREATED, S.HANDED_OFF): S.CREATED,
    (Action.ACTIVATE, S.CREATED): S.ACTIVE,
    (Action.END, S.CREATED): S.ENDED,  # created, and the whole window passed before anyone looked
    (Action.END, S.ACTIVE): S.ENDED,
    (Action.EXPIRE, S.HANDED_OFF): S.CANCELLED,
    (Action.CANCEL, S.DRAFT): S.CANCELLED,
    (Action.CANCEL, S.PENDING_APPROVAL): S.CANCELLED,
    (Action.CANCEL, S.APPROVED): S.CANCELLED,
    (Action.CANCEL, S.HANDED_OFF): S.CANCELLED,
    (Action.CANCEL, S.CREATED): S.CANCELLED,
    (Action.CANCEL, S.ACTIVE): S.CANCELLED,
}
# Reaching one of these is a "decision": a later approve/reject reports it instead of failing.
DECIDED = frozenset({S.APPROVED, S.REJECTED, S.HANDED_OFF, S.CREATED, S.ACTIVE, S.ENDED, S.CANCELLED})
# The moves the dates make (actor SYSTEM_ACTOR only), by the status the dates call for.
BY_DATES = {S.ACTIVE: Action.ACTIVATE, S.ENDED: Action.END, S.CANCELLED: Action.EXPIRE}
# Statuses the dates can still move (the expiry worker's work list).
DATED = frozenset({S.HANDED_OFF, S.CREATED, S.ACTIVE})
# Why EXPIRE cancelled a promotion (its `reason`, and its audit entry's).
NEVER_CREATED = "never created in Seller Central before its end date"


# Requests not yet handed off to Seller Central and not finished: they hold their code and count
# towards MAX_OPEN_REQUESTS_PER_USER. Drafts count: submitting one must not pass the cap, and no
# transition moves a promotion into this set, so a count can only go down behind a writer's back.
OPEN = frozenset({S.DRAFT, S.PENDING_APPROVAL, S.APPROVED})
# A promotion leaving one of these for rejected/cancelled was never created in Seller Central.
NEVER_CREATED_STATUSES = OPEN | {S.HANDED_OFF}


def next_status(action: Action, current: PromoStatus) -> PromoStatus | None:
    return TRANSITIONS.get((action, current))


def releases_code(before: PromoStatus, after: PromoStatus) -> bool:
    """Whether moving `before` → `after` frees the promotion's code for a new request.

    Rejecting, or cancelling (by hand or by the dates) a request that was never created in Seller
    Central does: nobody confirmed the code exists there, and the rejection tells the requester to
    resubmit. A cancel after "created" does not: the code exists in Seller Central, and a new request
    for it would collide with it.
    """
    return before in NEVER_CREATED_STATUSES and after in (S.REJECTED, S.CANCELLED)


def was_created(promo: Promotion) -> bool:
    """Whether someone confirmed `promo` exists in Seller Central ("Mark as created")."""
    return promo.handoff is not None and promo.handoff.created_confirmed


def holds_code(promo: Promotion) -> bool:
    """Whether `promo` keeps its code reserved: everything but a rejected request and a cancelled one
    that was never created in Seller Central (the stored-status twin of `releases_code`)."""
    if promo.status is S.REJECTED:
        return False
    return not (promo.status is S.CANCELLED and not was_created(promo))


class Rule(str, Enum):
    """The rule a refused action broke."""

    BY_DATES = "by_dates"  # activation, expiry and "never created" follow the dates; nobody sets them by hand
    REQUESTER_SUBMITS = "requester_submits"  # only the requester submits a draft
    NOT_OWN_REQUEST = "not_own_request"  # the requester cannot decide on their own request
    APPROVERS_DECIDE = "approvers_decide"  # only the account's approvers approve or reject
    REQUESTER_OR_APPROVER = "requester_or_approver"  # hand-off, confirmation and cancel


class Forbidden(BaseModel):
    """Why an actor may not do an action: the rule, and the people it names (user ids)."""

    rule: Rule
    requester: str
    approvers: list[str] = []


def permission_error(action: Action, promo: Promotion, actor: str, account: AccountConfig | None) -> Forbidden | None:
    """Why `actor` may not do `action` on `promo`, or None if allowed."""
    approvers = set(account.approvers) if account else set()
    rule = _broken_rule(action, promo, actor, approvers)
    return None if rule is None else Forbidden(rule=rule, requester=promo.requester, approvers=sorted(approvers))


def _broken_rule(action: Action, promo: Promotion, actor: str, approvers: set[str]) -> Rule | None:
    if action in (Action.ACTIVATE, Action.END, Action.EXPIRE):
        return None if actor == SYSTEM_ACTOR else Rule.BY_DATES
    if action is Action.SUBMIT:
        return None if actor == promo.requester else Rule.REQUESTER_SUBMITS
    if action in (Action.APPROVE, Action.REJECT):
        if actor == promo.requester:
            return Rule.NOT_OWN_REQUEST
        return None if actor in approvers else Rule.APPROVERS_DECIDE
    # Hand-off, confirmation and cancel: the requester or an approver.
    return None if actor == promo.requester or actor in approvers else Rule.REQUESTER_OR_APPROVER


def status_by_dates(promo: Promotion, now: datetime) -> PromoStatus:
    """Where the dates put a promotion (`promo.end` is the last second it runs, `end_of_day`).

    handed_off: cancelled once its end passed (never created; before that it may still be created);
    created: active once its start passed, ended once its end passed; active: ended after its end.
    Other statuses are unchanged.
    """
    if promo.status not in DATED:
        return promo.status
    if now >= promo.end:
        return S.CANCELLED if promo.status is S.HANDED_OFF else S.ENDED
    if promo.status is S.CREATED and now >= promo.start:
        return S.ACTIVE
    return promo.status
