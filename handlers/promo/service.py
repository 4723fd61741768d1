"""The calls the Slack listeners make, returning plain result objects to render.

Each function does one user action end to end (validate → store → gateway)
and never raises for user mistakes: the result says what happened and why.
`PromoCard` is a Block Kit-free view of a promotion: render `fields` as
label/value pairs (a field with a `user` names that Slack user first) and offer
the `actions` as buttons (bot/views/promo.py maps them to action ids).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from datetime import datetime

from pydantic import BaseModel, Field

from handlers.promo.catalog import ProductCatalog, card_warnings, product_lines
from handlers.promo.gateway import HandoffResult, PromotionGateway
from handlers.promo.lifecycle import MAX_OPEN_REQUESTS_PER_USER, Action, next_status, permission_error
from handlers.promo.models import STATUS_TEXT, PromoStatus, Promotion
from handlers.promo.repository import DuplicateCode, PromoRepository, TooManyOpenRequests, TransitionResult
from handlers.promo.rules import DEFAULT_RULES, PromoRules
from handlers.promo.validation import Issue, ValidationResult, open_requests_issue, validate
from infra.accounts import AccountConfig
from infra.marketplaces import format_local as local_time

log = logging.getLogger(__name__)
MAX_OPEN_REQUESTS_ENV = "SELLERBOT_MAX_OPEN_PROMO_REQUESTS"

# What a card can offer, in this order; `PromoCard.button_value` is "<account>:<promo id>".
OFFERED_ACTIONS: tuple[Action, ...] = (
    Action.APPROVE,
    Action.REJECT,
    Action.HAND_OFF,
    Action.CONFIRM_CREATED,
    Action.CANCEL,
)


class RequestOutcome(BaseModel):
    validation: ValidationResult
    promotion: Promotion | None = None

    @property
    def ok(self) -> bool:
        return self.promotion is not None


class HandoffOutcome(BaseModel):
    transition: TransitionResult
    handoff: HandoffResult | None = None


class CardField(BaseModel):
    """One label/value pair of a card; with `user`, the value is that user (a Slack user id) followed by `value`."""

    label: str
    value: str = ""
    user: str | None = None


class PromoCard(BaseModel):
    promo_id: str
    account_id: str
    title: str
    status: PromoStatus
    fields: list[CardField]
    warnings: list[str] = Field(default_factory=list)
    actions: list[Action] = Field(default_factory=list)  # OFFERED_ACTIONS valid in this status (for the viewer)
    button_value: str

    @property
    def code(self) -> str:
        return next((f.value for f in self.fields if f.label == "Code"), "")


def open_request_limit() -> int:
    """How many open requests a user may have per account: $SELLERBOT_MAX_OPEN_PROMO_REQUESTS or the default."""
    raw = os.environ.get(MAX_OPEN_REQUESTS_ENV, "").strip()
    if not raw:
        return MAX_OPEN_REQUESTS_PER_USER
    if raw.isdigit() and int(raw) > 0:
        return int(raw)
    # A typo must not lift the cap (or refuse everyone): keep the default and say so in the logs.
    log.warning(
        "%s=%r is not a positive whole number; using %d", MAX_OPEN_REQUESTS_ENV, raw, MAX_OPEN_REQUESTS_PER_USER
    )
    return MAX_OPEN_REQUESTS_PER_USER


def request_promo(
    repo: PromoRepository,
    account: AccountConfig,
    raw: Mapping[str, object],
    requester: str,
    *,
    now: datetime,
    rules: PromoRules = DEFAULT_RULES,
    submit: bool = True,
) -> RequestOutcome:
    """Validate against the account's stored promotions, then store and submit for approval.

    The Slack flows store a draft (`submit=False`: it holds the code, so a double submit or a lost
    race is answered in the ack) and submit it in `check_products` once Amazon's catalog has been
    asked. Who may request for `account` is the caller's check (the listeners'); here any requester
    gets the same code and open-requests rules.
    """
    result = validate(raw, account=account, existing=repo.list(account.account_id), now=now, rules=rules)
    if not result.ok or result.draft is None:
        return RequestOutcome(validation=result)
    try:
        promo = repo.create(result.draft, requester, submit=submit, now=now, max_open=open_request_limit())
    except DuplicateCode as exc:
        # Lost a race with another request for the same code: same message as validation gives.
        return RequestOutcome(validation=_refused(result, Issue(field="code", message=str(exc))))
    except TooManyOpenRequests as exc:
        return RequestOutcome(validation=_refused(result, open_requests_issue(exc.open_count, exc.account_id)))
    return RequestOutcome(validation=result, promotion=promo)


class ProductsOutcome(BaseModel):
    """The catalog's verdict on a stored draft: submitted (`promotion`), or cancelled with `errors`."""

    promotion: Promotion | None = None
    errors: list[Issue] = Field(default_factory=list)
    warnings: list[Issue] = Field(default_factory=list)


CATALOG_REFUSED = "its products were refused by Amazon's catalog"


def check_products(
    repo: PromoRepository,
    account: AccountConfig,
    promo: Promotion,
    requester: str,
    catalog: ProductCatalog,
    *,
    now: datetime,
) -> ProductsOutcome:
    """The second half of a request stored as a draft (an SP-API call: a lazy listener's work, never
    the 3-second ack). Every ASIN found in the marketplace, of the account's brand: submitted for
    approval with the catalog's titles. An unknown or foreign ASIN: the draft is cancelled (its code
    released, audited) and the errors say what to fix. A catalog that cannot be reached refuses
    nothing: the card then says which ASINs are unchecked (catalog.card_warnings)."""
    found = catalog.check(account, promo.marketplace, promo.asins)
    if found.errors:
        repo.cancel(account, promo.id, requester, reason=CATALOG_REFUSED, now=now)
        return ProductsOutcome(errors=found.errors, warnings=found.warnings)
    titles = found.titles if found.checked else None
    result = repo.submit(account, promo.id, requester, now=now, product_titles=titles)
    return ProductsOutcome(promotion=result.promotion if result.applied else None, warnings=found.warnings)


def _refused(result: ValidationResult, issue: Issue) -> ValidationResult:
    return result.model_copy(update={"ok": False, "draft": None, "errors": [issue]})


def hand_off(
    repo: PromoRepository,
    gateway: PromotionGateway,
    account: AccountConfig,
    promo_id: str,
    actor: str,
    *,
    now: datetime | None = None,
) -> HandoffOutcome:
    """approved → handed_off, then the gateway's instructions (re-shown while it is still to be created;
    once created there is nothing left to type, so none)."""
    promo = repo.get(account.account_id, promo_id)
    link = gateway.submit(promo).deep_link if promo else ""
    t = repo.mark_handed_off(account, promo_id, actor, gateway=gateway.name, deep_link=link, now=now)
    shown = t.promotion if t.promotion and t.promotion.status is PromoStatus.HANDED_OFF else None
    return HandoffOutcome(
        transition=t, handoff=gateway.submit(shown) if shown and (t.applied or t.outcome == "invalid") else None
    )


def confirm_created(
    repo: PromoRepository,
    gateway: PromotionGateway,
    account: AccountConfig,
    promo_id: str,
    actor: str,
    *,
    external_id: str | None = None,
    now: datetime | None = None,
) -> TransitionResult:
    """handed_off → created with Seller Central's promotion ID, which the gateway checks first.

    Permission and status come first, so a wrong ID is only reported to someone who may move
    this promotion now; the repository re-checks both in its conditional write.
    """
    promo = repo.get(account.account_id, promo_id)
    if promo is None:
        return TransitionResult(outcome="not_found", message="no promotion behind this button any more")
    if promo.status is not PromoStatus.HANDED_OFF or permission_error(Action.CONFIRM_CREATED, promo, actor, account):
        return repo.confirm_created(account, promo_id, actor, external_id=external_id, now=now)  # says why not
    ack = gateway.confirm_created(promo, actor, external_id)
    if not ack.ok:
        return TransitionResult(outcome="invalid", message=ack.message, promotion=promo)
    return repo.confirm_created(account, promo_id, actor, external_id=ack.external_id, now=now)


def possible_actions(promo: Promotion) -> list[Action]:
    """The OFFERED_ACTIONS a person can take from `promo`'s status, in button order. Hand-off on a
    promotion still to be created re-shows the Seller Central steps (nothing moves)."""
    return [
        a
        for a in OFFERED_ACTIONS
        if next_status(a, promo.status) is not None or (a is Action.HAND_OFF and promo.status is PromoStatus.HANDED_OFF)
    ]


def can_view(account: AccountConfig, user: str, promo: Promotion) -> bool:
    """Approvers see every promotion of the account; others only their own requests."""
    return user in account.approvers or user == promo.requester


def list_visible(
    repo: PromoRepository, account: AccountConfig, user: str, status: PromoStatus | None = None
) -> list[Promotion]:
    return [p for p in repo.list(account.account_id, status) if can_view(account, user, p)]


def show(repo: PromoRepository, account: AccountConfig, user: str, code: str) -> Promotion | None:
    """The promotion with its audit trail, or None if absent or not visible to `user`."""
    promo = repo.get_by_code(account.account_id, code, with_history=True)
    return promo if promo and can_view(account, user, promo) else None


def cancel_by_code(
    repo: PromoRepository,
    account: AccountConfig,
    user: str,
    code: str,
    reason: str = "",
    *,
    now: datetime | None = None,
) -> TransitionResult:
    promo = repo.get_by_code(account.account_id, code, with_history=False)
    if promo is None:
        return TransitionResult(
            outcome="not_found", message=f"no promotion with code {code.upper()} in {account.account_id}"
        )
    return repo.cancel(account, promo.id, user, reason, now=now)


def card(
    promo: Promotion, account: AccountConfig | None = None, *, viewer: str | None = None, warnings: Sequence[Issue] = ()
) -> PromoCard:
    """What the approval/status card shows. With `viewer`, only actions that user may take."""
    mp = promo.marketplace  # every time on the card is the marketplace's local time, zone named
    f = [
        CardField(label="Code", value=promo.code),
        CardField(label="Discount", value=f"{promo.percent_off:g}% off"),
        CardField(label="Products", value=product_lines(promo)),  # with the catalog's titles
        CardField(label="Dates", value=f"{local_time(promo.start, mp)} → {local_time(promo.end, mp)}"),
        CardField(label="Marketplace", value=promo.marketplace),
        CardField(label="Share with Influencers and Associates", value="Yes" if promo.share_with_influencers else "No"),
        CardField(label="One redemption per customer", value="Yes" if promo.one_per_customer else "No"),
        CardField(label="Requested by", user=promo.requester),
        CardField(label="Status", value=STATUS_TEXT[promo.status]),
    ]
    if promo.note:
        f.append(CardField(label="Note", value=promo.note))
    if promo.approver and promo.decided_at:
        verb = "Rejected" if promo.status is PromoStatus.REJECTED else "Approved"
        f.append(CardField(label=f"{verb} by", user=promo.approver, value=f"at {local_time(promo.decided_at, mp)}"))
    if promo.reason:
        f.append(CardField(label="Reason", value=promo.reason))
    actions = []
    for action in possible_actions(promo):
        if viewer is not None and permission_error(action, promo, viewer, account):
            continue
        actions.append(action)
    return PromoCard(
        promo_id=promo.id,
        account_id=promo.account_id,
        title=f"Promo code {promo.code} — {promo.percent_off:g}% off",
        status=promo.status,
        fields=f,
        # The catalog's caveats come from the stored promotion, so every later edit of the card keeps them.
        warnings=list(dict.fromkeys([w.message for w in warnings] + [w.message for w in card_warnings(promo)])),
        actions=actions,
        button_value=f"{promo.account_id}:{promo.id}",
    )
