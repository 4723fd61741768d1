"""Review-request records in the Store: claim before calling Amazon, mark sent only after it accepted.

A claim is an item created with put_if_absent semantics and a lease (expires_at): of two
concurrent requests for one order exactly one wins and reaches Amazon. If the process dies
between the claim and the answer, the lease runs out and a later attempt re-checks Amazon's
offered actions first, so an accepted request is never sent twice. A request whose answer was
lost (Amazon may have taken it) is marked `unconfirmed` without a lease: like `sent`, it is never
requested again automatically. Every change writes an audit item (who, when, what) in the same
transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Literal

from pydantic import BaseModel

from handlers.reviews.target import Target
from infra.clock import utc
from infra.store.base import ConditionFailed, Item, Put, Store, Update

CLAIM_LEASE_SECONDS = 600


def record_pk(account_id: str) -> str:
    return f"REVIEW#{account_id}"


def record_sk(order_id: str) -> str:
    return f"ORDER#{order_id}"


def audit_pk(account_id: str) -> str:
    return f"AUDIT#REVIEW#{account_id}"


class ReviewRecord(BaseModel):
    order_id: str
    marketplace: str
    state: Literal["claimed", "sent", "unconfirmed"]
    by: str
    source: str  # "slack", "cli", "sweep:<run_id>"
    claimed_at: datetime
    sent_at: datetime | None = None


class ReviewAuditEntry(BaseModel):
    """Stored as is; its names differ from `handlers.audit.AuditEntry` (who/what, a text detail)."""

    at: datetime
    who: str
    what: Literal["claimed", "sent", "unconfirmed", "released"]
    order_id: str
    marketplace: str
    detail: str = ""


class ReviewLedger:
    def __init__(self, store: Store, clock: Callable[[], float]) -> None:
        self.store = store
        self.clock = clock

    def _audit(self, target: Target, order_id: str, who: str, what: str, detail: str = "") -> Put:
        now = utc(self.clock())
        entry = ReviewAuditEntry(at=now, who=who, what=what, order_id=order_id, marketplace=target.code, detail=detail)
        sk = f"{now.isoformat()}#{order_id}#{what}#{uuid.uuid4().hex[:8]}"
        return Put(item=Item(pk=audit_pk(target.account_id), sk=sk, data=entry.model_dump(mode="json")))

    def get(self, target: Target, order_id: str) -> ReviewRecord | None:
        item = self.store.get(record_pk(target.account_id), record_sk(order_id))
        return ReviewRecord.model_validate(item.data) if item else None

    def claim(self, target: Target, order_id: str, who: str, source: str) -> Item | None:
        """The claim item if this caller won it, else None (sent already, or another caller holds it)."""
        now = self.clock()
        record = ReviewRecord(
            order_id=order_id, marketplace=target.code, state="claimed", by=who, source=source, claimed_at=utc(now)
        )
        item = Item(
            pk=record_pk(target.account_id),
            sk=record_sk(order_id),
            data=record.model_dump(mode="json"),
            expires_at=int(now) + CLAIM_LEASE_SECONDS,
        )
        try:
            self.store.transact([Put(item=item), self._audit(target, order_id, who, "claimed", source)])
        except ConditionFailed as exc:
            if exc.pk == item.pk and exc.sk == item.sk:
                return None
            raise
        return item

    def mark_sent(self, target: Target, claim: Item, who: str) -> ReviewRecord:
        record = ReviewRecord.model_validate(claim.data).model_copy(
            update={"state": "sent", "sent_at": utc(self.clock())}
        )
        audit = self._audit(target, record.order_id, who, "sent", record.source)
        try:
            self.store.transact(
                [
                    Update(
                        pk=claim.pk,
                        sk=claim.sk,
                        data=record.model_dump(mode="json"),
                        expected_version=claim.version,
                        expires_at=None,
                    ),
                    audit,
                ]
            )
        except ConditionFailed:
            # The lease ran out while Amazon answered: Amazon accepted, so the record must exist.
            self.store.transact([Put(item=Item(pk=claim.pk, sk=claim.sk, data=record.model_dump(mode="json"))), audit])
        return record

    def mark_unconfirmed(self, target: Target, claim: Item, who: str, reason: str) -> ReviewRecord:
        """Amazon may have accepted (its answer was lost): keep the order taken for good, no lease,
        so no later /review or sweep sends it again."""
        record = ReviewRecord.model_validate(claim.data).model_copy(update={"state": "unconfirmed"})
        audit = self._audit(target, record.order_id, who, "unconfirmed", reason[:300])
        data = record.model_dump(mode="json")
        try:
            self.store.transact(
                [Update(pk=claim.pk, sk=claim.sk, data=data, expected_version=claim.version, expires_at=None), audit]
            )
        except ConditionFailed:
            # The lease ran out while Amazon answered: record it unless another attempt holds the order now.
            try:
                self.store.transact([Put(item=Item(pk=claim.pk, sk=claim.sk, data=data)), audit])
            except ConditionFailed:
                self.store.transact([audit])
        return record

    def release(self, target: Target, claim: Item, who: str, reason: str) -> None:
        """Amazon refused: drop the claim so a later attempt may try again."""
        try:
            self.store.delete(claim.pk, claim.sk, expected_version=claim.version)
        except ConditionFailed:
            pass  # lease already expired or taken over; nothing of ours left to drop
        order_id = claim.data["order_id"]
        self.store.transact([self._audit(target, order_id, who, "released", reason[:300])])

    def audit_trail(self, target: Target, order_id: str | None = None) -> list[ReviewAuditEntry]:
        entries = [ReviewAuditEntry.model_validate(i.data) for i in self.store.query(audit_pk(target.account_id))]
        return [e for e in entries if order_id is None or e.order_id == order_id]
