"""`/message ORDER_ID TYPE text`: a compliance-checked proactive buyer message, sent once.

Flow: validate -> Amazon's allowed actions for the order -> compliance check -> a draft in the
Store (state pending) -> Send or Cancel. Send moves the draft pending -> sending with
compare-and-swap, so of two clicks exactly one reaches Amazon; it becomes `sent` only after
Amazon accepted, and goes back to `pending` if Amazon refused or never got it (the user may retry).
If Amazon may have taken it but its answer was lost (timeout, 5xx), the draft becomes
`unconfirmed` for good: Messaging has no idempotency key, so it is never sent again and every
later Send says to check Seller Central.
Only the draft's author may Send or Cancel it (buyer messages have no approver); anyone else is
refused, and the refusal is added to the draft's history.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field
from typing_extensions import TypedDict  # pydantic reads typing.TypedDict only from Python 3.12

from handlers.compliance import ComplianceResult, check
from handlers.reviews.errors import UNCONFIRMED, SpApiFailure
from handlers.reviews.orders import parse_order_id
from handlers.reviews.port import ReviewsSpApi
from handlers.reviews.target import Target, resolve_target
from infra.accounts import AccountsConfig, load_accounts
from infra.clock import utc
from infra.store.base import ConditionFailed, Item, Put, Store, Update

# Text-bearing send operations in Amazon's current Messaging model, with their text limits.
TEXT_ACTIONS: dict[str, int] = {
    "confirmCustomizationDetails": 800,
    "confirmDeliveryDetails": 2000,
    "confirmOrderDetails": 2000,
    "confirmServiceDetails": 2000,
    "digitalAccessKey": 400,
    "unexpectedProblem": 2000,
}
# In the model but attachment-only: not sendable from a Slack text command.
ATTACHMENT_ACTIONS = ("legalDisclosure", "warranty", "sendInvoice")
# Removed from Amazon's model (negativeFeedbackRemoval 2025-08-04, amazonMotors 2026-01-30).
REMOVED_ACTIONS = ("negativeFeedbackRemoval", "amazonMotors")
DRAFT_TTL_SECONDS = 24 * 3600
# Longer than any one Messaging call with its retries (the lazy listener has 29 s in all).
SEND_LEASE_SECONDS = 120


class MessageError(ValueError):
    """Bad /message input, named field first."""


def parse_action(text: str) -> str:
    wanted = (text or "").strip()
    by_lower = {a.lower(): a for a in TEXT_ACTIONS}
    if wanted.lower() in by_lower:
        return by_lower[wanted.lower()]
    if wanted.lower() in {r.lower() for r in REMOVED_ACTIONS}:
        raise MessageError(
            f"TYPE `{wanted}` was removed from Amazon's Messaging API and cannot be sent. "
            f"Use one of: {', '.join(TEXT_ACTIONS)}."
        )
    if wanted.lower() in {a.lower() for a in ATTACHMENT_ACTIONS}:
        raise MessageError(
            f"TYPE `{wanted}` needs file attachments, which /message does not send. "
            f"Text types: {', '.join(TEXT_ACTIONS)}."
        )
    raise MessageError(f"TYPE `{wanted[:40]}` is not a Messaging action; use one of: {', '.join(TEXT_ACTIONS)}.")


DraftState = Literal["pending", "sending", "sent", "unconfirmed", "cancelled"]
# States a draft never leaves: kept past the draft TTL, for the record and so Send keeps refusing.
FINAL_STATES = ("sent", "unconfirmed")


class DraftEvent(TypedDict):
    """One audit line of a draft, stored as this dict."""

    at: str  # ISO 8601, UTC
    who: str
    what: str  # "drafted", the state moved to, or "refused" (someone else pressed Send or Cancel)
    detail: str


class MessageDraft(BaseModel):
    draft_id: str
    account_id: str
    marketplace: str
    order_id: str
    action: str
    text: str
    state: DraftState
    created_by: str
    created_at: datetime
    history: list[DraftEvent] = Field(default_factory=list)


class DraftOutcome(BaseModel):
    """What /message answers: blocked (findings), refused (reason), or a draft awaiting Send/Cancel."""

    status: Literal["draft", "blocked", "not_allowed"]
    order_id: str
    action: str
    allowed: list[str] = Field(default_factory=list)
    compliance: ComplianceResult | None = None
    draft: MessageDraft | None = None
    reason: str = ""


class SendOutcome(BaseModel):
    status: Literal["sent", "already_sent", "in_progress", "unconfirmed", "cancelled", "failed", "unknown", "refused"]
    draft: MessageDraft | None = None
    detail: str = ""


def draft_key(draft_id: str) -> tuple[str, str]:
    return "MSGDRAFT", f"DRAFT#{draft_id}"


REFUSED = "refused"
AUDIT_ATTEMPTS = 3


def may_act(draft: MessageDraft, user: str) -> bool:
    """Whether `user` may Send or Cancel `draft`: its author only (buyer messages have no approver)."""
    return bool(user) and user == draft.created_by


class MessagingService:
    def __init__(
        self,
        store: Store,
        spapi: ReviewsSpApi,
        clock: Callable[[], float],
        checker: Callable[[str], ComplianceResult] = check,
        accounts: AccountsConfig | None = None,
    ) -> None:
        self.accounts = accounts
        self.store = store
        self.spapi = spapi
        self.clock = clock
        self.checker = checker

    def draft(self, target: Target, order_id: str, action: str, text: str, user: str) -> DraftOutcome:
        """Raises InvalidOrderId / MessageError on bad input, before any API call."""
        order_id = parse_order_id(order_id)
        action = parse_action(action)
        text = (text or "").strip()
        if not text:
            raise MessageError("TEXT is empty: write the message after the TYPE.")
        limit = TEXT_ACTIONS[action]
        if len(text) > limit:
            raise MessageError(f"TEXT is {len(text)} characters; {action} allows at most {limit}. Shorten it.")
        allowed = self.spapi.messaging_actions(target, order_id)  # SpApiFailure propagates to the caller
        offered = [a for a in allowed if a in TEXT_ACTIONS]
        if action not in allowed:
            why = f"Amazon does not offer `{action}` for order {order_id} now. " + (
                f"Allowed text types: {', '.join(offered)}." if offered else "No text message type is allowed."
            )
            return DraftOutcome(status="not_allowed", order_id=order_id, action=action, allowed=offered, reason=why)
        result = self.checker(text)
        if result.verdict == "violation":
            return DraftOutcome(status="blocked", order_id=order_id, action=action, allowed=offered, compliance=result)
        now = utc(self.clock())
        draft = MessageDraft(
            draft_id=uuid.uuid4().hex[:16],
            account_id=target.account_id,
            marketplace=target.code,
            order_id=order_id,
            action=action,
            text=text,
            state="pending",
            created_by=user,
            created_at=now,
            history=[DraftEvent(at=now.isoformat(), who=user, what="drafted", detail=result.verdict)],
        )
        pk, sk = draft_key(draft.draft_id)
        self.store.transact(
            [
                Put(
                    item=Item(
                        pk=pk,
                        sk=sk,
                        data=draft.model_dump(mode="json"),
                        expires_at=int(self.clock()) + DRAFT_TTL_SECONDS,
                    )
                )
            ]
        )
        return DraftOutcome(
            status="draft", order_id=order_id, action=action, allowed=offered, compliance=result, draft=draft
        )

    def get(self, draft_id: str) -> tuple[MessageDraft, Item] | None:
        item = self.store.get(*draft_key(draft_id))
        return (MessageDraft.model_validate(item.data), item) if item else None

    def _move(self, draft: MessageDraft, item: Item, state: DraftState, who: str, detail: str = "") -> Item:
        event = DraftEvent(at=utc(self.clock()).isoformat(), who=who, what=state, detail=detail)
        history = [*draft.history, event]
        moved = draft.model_copy(update={"state": state, "history": history})
        expires = None if state in FINAL_STATES else item.expires_at
        self.store.transact(
            [
                Update(
                    pk=item.pk,
                    sk=item.sk,
                    data=moved.model_dump(mode="json"),
                    expected_version=item.version,
                    expires_at=expires,
                )
            ]
        )
        moved_item = self.store.get(item.pk, item.sk)
        assert moved_item is not None
        draft.__dict__.update(moved.__dict__)
        return moved_item

    def send(self, draft_id: str, user: str, target: Target | None = None) -> SendOutcome:
        """Send a pending draft once; `target` defaults to the draft's own account and marketplace."""
        found = self.get(draft_id)
        if found is None:
            return SendOutcome(status="unknown", detail="This draft expired or does not exist; run /message again.")
        draft, item = found
        if not may_act(draft, user):
            return self._refuse(draft, item, user, "send")
        if target is None:
            target = resolve_target(self.accounts or load_accounts(), draft.account_id, draft.marketplace)
        if draft.state != "pending":
            return self._settled(draft)
        try:
            item = self._move(draft, item, "sending", user)
        except ConditionFailed:
            again = self.get(draft_id)
            return self._settled(again[0]) if again else SendOutcome(status="unknown")
        try:
            self.spapi.send_message(target, draft.order_id, draft.action, draft.text)
        except SpApiFailure as exc:
            if exc.kind == "unconfirmed":  # Amazon may have delivered it: never send it again
                self._move(draft, item, "unconfirmed", user, f"answer lost: {exc.detail}")
                return SendOutcome(status="unconfirmed", draft=draft, detail=exc.user_message())
            self._move(draft, item, "pending", user, f"failed: {exc.kind}")
            return SendOutcome(status="failed", draft=draft, detail=exc.user_message())
        except BaseException:
            # Unknown whether the request left: the same as a lost answer, never resent.
            self._move(draft, item, "unconfirmed", user, "answer lost: crashed during the call")
            raise
        self._move(draft, item, "sent", user)
        return SendOutcome(status="sent", draft=draft)

    def cancel(self, draft_id: str, user: str) -> SendOutcome:
        found = self.get(draft_id)
        if found is None:
            return SendOutcome(status="unknown", detail="This draft expired or does not exist.")
        draft, item = found
        if not may_act(draft, user):
            return self._refuse(draft, item, user, "cancel")
        if draft.state != "pending":
            return self._settled(draft)
        try:
            self._move(draft, item, "cancelled", user)
        except ConditionFailed:
            again = self.get(draft_id)
            return self._settled(again[0]) if again else SendOutcome(status="unknown")
        return SendOutcome(status="cancelled", draft=draft)

    def _refuse(self, draft: MessageDraft, item: Item, user: str, verb: str) -> SendOutcome:
        """Record who tried to `verb` someone else's draft (state unchanged), and say who may act."""
        detail = f"{verb} refused: only the author {draft.created_by} may {verb} this draft"
        for _ in range(AUDIT_ATTEMPTS):
            event = DraftEvent(at=utc(self.clock()).isoformat(), who=user, what=REFUSED, detail=detail)
            audited = draft.model_copy(update={"history": [*draft.history, event]})
            try:
                self.store.transact(
                    [
                        Update(
                            pk=item.pk,
                            sk=item.sk,
                            data=audited.model_dump(mode="json"),
                            expected_version=item.version,
                            expires_at=item.expires_at,
                        )
                    ]
                )
                break
            except ConditionFailed:
                again = self.get(draft.draft_id)
                if again is None:
                    break
                draft, item = again
        return SendOutcome(status="refused", draft=draft, detail=detail)

    def _settled(self, draft: MessageDraft) -> SendOutcome:
        status = {
            "sent": "already_sent",
            "sending": "in_progress",
            "unconfirmed": "unconfirmed",
            "cancelled": "cancelled",
        }.get(draft.state, "unknown")
        moves = [e for e in draft.history if e["what"] != REFUSED]  # a refusal does not restart the lease
        last = moves[-1] if moves else None
        started = last["at"] if last else None
        who = last["who"] if last else "?"
        when = started[:16].replace("T", " ") if started else "?"
        if status == "unconfirmed":
            return SendOutcome(
                status="unconfirmed",
                draft=draft,
                detail=(
                    f"Amazon may have delivered the send by {who} at {when} UTC, but its answer was lost, so it "
                    f"is {UNCONFIRMED} (the buyer conversation) before writing again with /message. "
                    "sellerbot does not send it again."
                ),
            )
        if (
            status == "in_progress"
            and started
            and self.clock() - datetime.fromisoformat(started).timestamp() > SEND_LEASE_SECONDS
        ):
            # The sender died mid-call (a Lambda timeout or crash). Amazon's Messaging API has no
            # idempotency key, so resending could message the buyer twice: say so instead of guessing.
            return SendOutcome(
                status="unconfirmed",
                draft=draft,
                detail=(
                    f"Not sent again: a send started by {who} at {when} UTC never finished, so Amazon may or "
                    f"may not have delivered it; it is {UNCONFIRMED} (the buyer conversation) before writing "
                    "again with /message."
                ),
            )
        return SendOutcome(status=status, draft=draft, detail=f"{draft.state} by {who}")
