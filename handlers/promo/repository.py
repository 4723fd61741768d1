"""Promotions in the Store, every change a conditional write with an audit item.

Key layout (one logical table):
  PROMO#<account>              ID#<promo id>           the promotion (data = Promotion minus history)
  PROMO#<account>              CODE#<canonical code>   code reservation {"promo_id","code","released"?}
  PROMO#<account>              OPEN#<requester>        fence for the open-requests cap (its version is what counts)
  PROMOAUDIT#<account>#<id>    AUDIT#<iso ts>#<seq>    {"by","at","action","from","to","detail"}
The reservation and the promotion are created in one transaction, so a duplicate
code leaves nothing behind. Each transition is a compare-and-swap on the
promotion's version plus a Put of its audit item in one transaction; `seq` is the
new version number, so two writers can never both append the same step.

A reject, or a cancel (by hand or by the dates) before the promotion was created in Seller
Central, releases the code in that same transaction (`lifecycle.releases_code`): a
compare-and-swap marks the reservation "released".
A later request takes it over with a compare-and-swap on that released version, so
two requests for a freed code cannot both win, and none can take a code whose
release has not committed. The old promotion and its audit trail stay, reachable
by code: the new request's "create" audit entry names it under "replaces" (a
chain back to the first request). Once created a cancel keeps the code: it exists in
Seller Central. Codes are compared as Amazon does (0/O, 1/I).
"""

from __future__ import annotations

import builtins  # inside PromoRepository, `list` names the method; annotations say builtins.list
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel

from handlers.promo.lifecycle import (
    BY_DATES,
    DATED,
    DECIDED,
    MAX_OPEN_REQUESTS_PER_USER,
    NEVER_CREATED,
    OPEN,
    SYSTEM_ACTOR,
    Action,
    Forbidden,
    holds_code,
    next_status,
    permission_error,
    releases_code,
    status_by_dates,
)
from handlers.promo.models import STATUS_TEXT, AuditEntry, HandoffInfo, PromoDraft, PromoStatus, Promotion
from handlers.promo.rules import canonical_code
from infra.accounts import AccountConfig
from infra.clock import as_utc, iso_sortable, utc_now
from infra.store.base import ConditionFailed, Item, Put, Store, StoreUnavailable, Update

Outcome = Literal["applied", "already_decided", "forbidden", "invalid", "not_found"]
# Within this many open requests of the cap, every new request compare-and-swaps the requester's fence.
FENCE_WINDOW = 8
_MAX_CAS_RETRIES = 8


class DuplicateCode(Exception):
    def __init__(self, code: str, existing_id: str | None) -> None:
        super().__init__(f"code {code} already exists in this account; choose another code")
        self.code = code
        self.existing_id = existing_id


class TooManyOpenRequests(Exception):
    """The requester already has `open_count` open requests in the account (the cap is `limit`)."""

    def __init__(self, account_id: str, open_count: int, limit: int) -> None:
        super().__init__(f"{open_count} open promo requests in {account_id} (at most {limit})")
        self.account_id = account_id
        self.open_count = open_count
        self.limit = limit


class TransitionResult(BaseModel):
    """What happened to a requested change (no exceptions for users); bot/views/promo.py says it in Slack.

    applied: this call wrote the change (`message`: from → to). already_decided: someone
    else decided first; `verdict` is what they did (approved, rejected, marked as created,
    or the status it reached) and `decided_by`/`decided_at` say who and when. forbidden:
    `forbidden` is the rule and the people it names. invalid / not_found: nothing written;
    `message` says why, in plain words.
    """

    outcome: Outcome
    message: str = ""
    promotion: Promotion | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    verdict: str | None = None
    forbidden: Forbidden | None = None

    @property
    def applied(self) -> bool:
        return self.outcome == "applied"


def promo_pk(account_id: str) -> str:
    return f"PROMO#{account_id}"


def audit_pk(account_id: str, promo_id: str) -> str:
    return f"PROMOAUDIT#{account_id}#{promo_id}"


def _audit_put(promo: Promotion, entry: AuditEntry, seq: int) -> Put:
    sk = f"AUDIT#{iso_sortable(entry.at)}#{seq:06d}"
    return Put(item=Item(pk=audit_pk(promo.account_id, promo.id), sk=sk, data=entry.model_dump(mode="json")))


# The verdict of a "Mark as created" that someone else confirmed first.
MARKED_CREATED = "marked as created"
# An action as the past participle a refusal uses: "SUMMERSALE is ended, so it cannot be approved".
_DONE = {
    Action.SUBMIT: "submitted",
    Action.APPROVE: "approved",
    Action.REJECT: "rejected",
    Action.HAND_OFF: "handed off to Seller Central",
    Action.CONFIRM_CREATED: "marked as created",
    Action.ACTIVATE: "activated",
    Action.END: "ended",
    Action.EXPIRE: "expired",
    Action.CANCEL: "cancelled",
}


def _already_decided(promo: Promotion) -> TransitionResult:
    """An approve/reject that arrives after the decision: what was decided, by whom, and when."""
    verdict = (
        "rejected"
        if promo.status is PromoStatus.REJECTED
        else "approved"
        if promo.approver
        else STATUS_TEXT[promo.status]
    )
    return TransitionResult(
        outcome="already_decided",
        promotion=promo,
        decided_by=promo.approver,
        decided_at=promo.decided_at,
        verdict=verdict,
    )


def _code_sk(code: str) -> str:
    return f"CODE#{canonical_code(code)}"


def _to_data(promo: Promotion) -> dict[str, Any]:
    return promo.model_dump(mode="json", exclude={"history", "version"})


class PromoRepository:
    def __init__(self, store: Store, clock: Callable[[], datetime] = utc_now) -> None:
        self.store = store
        self.clock = clock

    # -- reads -------------------------------------------------------------
    def _from_item(self, item: Item) -> Promotion:
        return Promotion.model_validate({**item.data, "version": item.version})

    def get(self, account_id: str, promo_id: str, *, with_history: bool = False) -> Promotion | None:
        item = self.store.get(promo_pk(account_id), f"ID#{promo_id}")
        if item is None:
            return None
        promo = self._from_item(item)
        if with_history:
            promo.history = self.history(account_id, promo_id)
        return promo

    def get_by_code(self, account_id: str, code: str, *, with_history: bool = True) -> Promotion | None:
        ref = self.store.get(promo_pk(account_id), _code_sk(code))
        return self.get(account_id, ref.data["promo_id"], with_history=with_history) if ref else None

    def list(self, account_id: str, status: PromoStatus | Iterable[PromoStatus] | None = None) -> list[Promotion]:
        wanted = {status} if isinstance(status, PromoStatus) else (set(status) if status is not None else None)
        promos = [self._from_item(i) for i in self.store.query(promo_pk(account_id), prefix="ID#")]
        promos = [p for p in promos if wanted is None or p.status in wanted]
        return sorted(promos, key=lambda p: p.created_at)

    def history(self, account_id: str, promo_id: str) -> builtins.list[AuditEntry]:
        return [
            AuditEntry.model_validate(i.data) for i in self.store.query(audit_pk(account_id, promo_id), prefix="AUDIT#")
        ]

    # -- creation ------------------------------------------------------------
    def create(
        self,
        draft: PromoDraft,
        requester: str,
        *,
        submit: bool = True,
        now: datetime | None = None,
        max_open: int = MAX_OPEN_REQUESTS_PER_USER,
    ) -> Promotion:
        """Store a validated draft (and submit it for approval unless submit=False).

        Raises, with nothing written, DuplicateCode if the account already has the code
        (compared as Amazon does: uppercase, 0→O, 1→I) and TooManyOpenRequests if the
        requester already has `max_open` open requests in the account.
        """
        if not draft.account_id:
            raise ValueError("draft.account_id is required to store a promotion")
        now = as_utc(now or self.clock())
        promo = Promotion(
            **draft.model_dump(),
            id=uuid.uuid4().hex[:12],
            status=PromoStatus.DRAFT,
            requester=requester,
            created_at=now,
        )
        entries = [AuditEntry(at=now, by=requester, action="create", from_status=None, to_status=PromoStatus.DRAFT)]
        if submit:
            promo.status = PromoStatus.PENDING_APPROVAL
            entries.append(
                AuditEntry(
                    at=now,
                    by=requester,
                    action=Action.SUBMIT.value,
                    from_status=PromoStatus.DRAFT,
                    to_status=PromoStatus.PENDING_APPROVAL,
                )
            )
        for _ in range(_MAX_CAS_RETRIES):
            # The code first: a double submit is reported as the duplicate it is, not as the cap.
            reserve, previous = self._reserve(promo)
            entries[0].detail = {"replaces": previous} if previous else {}
            fence = self._open_fence(promo, max_open)
            steps: list[Put | Update] = [
                reserve,
                *([fence] if fence else []),
                Put(item=Item(pk=promo_pk(promo.account_id), sk=f"ID#{promo.id}", data=_to_data(promo))),
                *(_audit_put(promo, e, n) for n, e in enumerate(entries)),
            ]
            try:
                self.store.transact(steps)
            except ConditionFailed as exc:
                if exc.sk.startswith(("CODE#", "OPEN#")):
                    continue  # another request or release got there first: re-read and decide again
                raise
            promo.history = entries
            return promo
        raise StoreUnavailable(f"promo requests in {promo.account_id} kept changing; try again")

    def _reserve(self, promo: Promotion) -> tuple[Put | Update, str | None]:
        """The step that reserves `promo.code`, and the id of the released request it takes over.

        A code never reserved is a put_if_absent; a released one a compare-and-swap on the
        version read here, so only one request can take it. Raises DuplicateCode if it is held.
        """
        pk, sk = promo_pk(promo.account_id), _code_sk(promo.code)
        data: dict[str, Any] = {"promo_id": promo.id, "code": promo.code}
        ref = self.store.get(pk, sk)
        if ref is None:
            return Put(item=Item(pk=pk, sk=sk, data=data)), None
        holder = ref.data.get("promo_id")
        if not self._released(promo.account_id, ref):
            raise DuplicateCode(promo.code, holder)
        return Update(pk=pk, sk=sk, data=data, expected_version=ref.version), holder

    def _released(self, account_id: str, ref: Item) -> bool:
        if ref.data.get("released"):
            return True
        # Reservations written before releases existed carry no mark: the holder's status says.
        # Rejected and cancelled are final, so this read cannot go stale before our write.
        holder = self.get(account_id, str(ref.data.get("promo_id")))
        return holder is not None and not holds_code(holder)

    def _open_fence(self, promo: Promotion, max_open: int) -> Put | Update | None:
        """The step that keeps the requester under the open-requests cap, or TooManyOpenRequests.

        The fence item is read before the promotions are counted and written (put_if_absent or
        compare-and-swap) with the new request, so of two requests counted against the same
        promotions only one commits; the other re-reads and counts again. Transitions need not
        touch the fence: none moves a promotion into OPEN, so the count can only have dropped.
        """
        pk, sk = promo_pk(promo.account_id), f"OPEN#{promo.requester}"
        fence = self.store.get(pk, sk)
        open_count = sum(1 for p in self.list(promo.account_id, OPEN) if p.requester == promo.requester)
        if open_count >= max_open:
            raise TooManyOpenRequests(promo.account_id, open_count, max_open)
        data = {"last_request": promo.id}
        if open_count < max_open - FENCE_WINDOW:
            # Far from the cap the fence is left alone: one user's burst of requests (a script, a load
            # test) must not turn into compare-and-swap retries. The cap still holds unless one user
            # sends more than FENCE_WINDOW requests at the very same moment.
            return None
        if fence is None:
            return Put(item=Item(pk=pk, sk=sk, data=data))
        return Update(pk=pk, sk=sk, data=data, expected_version=fence.version)

    # -- transitions ---------------------------------------------------------
    def _transition(
        self,
        account: AccountConfig | None,
        account_id: str,
        promo_id: str,
        action: Action,
        actor: str,
        *,
        now: datetime | None,
        detail: dict[str, Any] | None = None,
        mutate: Callable[[Promotion, datetime], None] | None = None,
    ) -> TransitionResult:
        now = as_utc(now or self.clock())
        for _ in range(_MAX_CAS_RETRIES):
            promo = self.get(account_id, promo_id)
            if promo is None:
                return TransitionResult(outcome="not_found", message=f"no promotion {promo_id} in account {account_id}")
            if action in (Action.APPROVE, Action.REJECT) and promo.status in DECIDED:
                return _already_decided(promo)
            forbidden = permission_error(action, promo, actor, account)
            if forbidden:
                return TransitionResult(outcome="forbidden", forbidden=forbidden, promotion=promo)
            target = next_status(action, promo.status)
            if target is None:
                return TransitionResult(
                    outcome="invalid",
                    message=f"{promo.code} is {STATUS_TEXT[promo.status]}, so it cannot be {_DONE[action]}",
                    promotion=promo,
                )
            before = promo.status
            updated = promo.model_copy(deep=True)
            updated.status = target
            if mutate:
                mutate(updated, now)
            # A request rejected, or cancelled before it was created in Seller Central, gives its code
            # back in the same transaction. Once created a cancel keeps it: the code exists there.
            release = self._release_step(promo) if releases_code(before, target) else None
            entry = AuditEntry(
                at=now,
                by=actor,
                action=action.value,
                from_status=before,
                to_status=target,
                detail={**(detail or {}), **({"code_released": True} if release else {})},
            )
            if not self._save(promo, updated, entry, release):
                continue  # someone changed it first: re-read and re-decide
            return TransitionResult(
                outcome="applied",
                message=f"{promo.code}: {STATUS_TEXT[before]} → {STATUS_TEXT[target]}",
                promotion=updated,
                decided_by=updated.approver,
                decided_at=updated.decided_at,
            )
        return TransitionResult(outcome="invalid", message="the promotion kept changing; try again")

    def _release_step(self, promo: Promotion) -> Update | None:
        """Mark `promo`'s code reservation released (compare-and-swap), or None if it is not promo's."""
        ref = self.store.get(promo_pk(promo.account_id), _code_sk(promo.code))
        if ref is None or ref.data.get("promo_id") != promo.id:
            return None  # never someone else's reservation
        return Update(pk=ref.pk, sk=ref.sk, data={**ref.data, "released": True}, expected_version=ref.version)

    def _save(self, promo: Promotion, updated: Promotion, entry: AuditEntry, release: Update | None = None) -> bool:
        """Compare-and-swap `promo` (as read) to `updated` with its audit item (and the code's
        release); False when either changed meanwhile."""
        steps: list[Put | Update] = [
            Update(
                pk=promo_pk(promo.account_id),
                sk=f"ID#{promo.id}",
                data=_to_data(updated),
                expected_version=promo.version,
            ),
            _audit_put(updated, entry, promo.version + 1),
        ]
        try:
            self.store.transact([*steps, *([release] if release else [])])
        except ConditionFailed:
            return False
        updated.version = promo.version + 1
        return True

    def submit(
        self,
        account: AccountConfig,
        promo_id: str,
        actor: str,
        *,
        now: datetime | None = None,
        product_titles: dict[str, str] | None = None,
    ) -> TransitionResult:
        """draft → pending approval; with the catalog's titles when the products were checked."""

        def titles(p: Promotion, at: datetime) -> None:
            p.product_titles = dict(product_titles or {})

        detail = {"catalog": "checked" if product_titles is not None else "not checked"}
        return self._transition(
            account, account.account_id, promo_id, Action.SUBMIT, actor, now=now, detail=detail, mutate=titles
        )

    def approve(
        self, account: AccountConfig, promo_id: str, actor: str, *, now: datetime | None = None
    ) -> TransitionResult:
        def decide(p: Promotion, at: datetime) -> None:
            p.approver, p.decided_at = actor, at

        return self._transition(account, account.account_id, promo_id, Action.APPROVE, actor, now=now, mutate=decide)

    def reject(
        self, account: AccountConfig, promo_id: str, actor: str, reason: str, *, now: datetime | None = None
    ) -> TransitionResult:
        if not reason.strip():
            return TransitionResult(
                outcome="invalid", message="a rejection needs a reason so the requester can fix the request"
            )

        def decide(p: Promotion, at: datetime) -> None:
            p.approver, p.decided_at, p.reason = actor, at, reason.strip()

        return self._transition(
            account,
            account.account_id,
            promo_id,
            Action.REJECT,
            actor,
            now=now,
            detail={"reason": reason.strip()},
            mutate=decide,
        )

    def cancel(
        self, account: AccountConfig, promo_id: str, actor: str, reason: str = "", *, now: datetime | None = None
    ) -> TransitionResult:
        def note(p: Promotion, at: datetime) -> None:
            p.reason = reason or p.reason

        result = self._transition(
            account, account.account_id, promo_id, Action.CANCEL, actor, now=now, detail={"reason": reason}, mutate=note
        )
        promo = result.promotion
        if result.applied and promo and promo.handoff:
            result.message += (
                " — it exists in Seller Central: end it there too"
                if promo.handoff.created_confirmed
                else " — if you already created it in Seller Central, end it there too"
            )
        return result

    def mark_handed_off(
        self,
        account: AccountConfig,
        promo_id: str,
        actor: str,
        *,
        gateway: str,
        deep_link: str = "",
        now: datetime | None = None,
    ) -> TransitionResult:
        def record(p: Promotion, at: datetime) -> None:
            p.handoff = HandoffInfo(gateway=gateway, handed_off_by=actor, handed_off_at=at, deep_link=deep_link)

        return self._transition(
            account,
            account.account_id,
            promo_id,
            Action.HAND_OFF,
            actor,
            now=now,
            detail={"gateway": gateway},
            mutate=record,
        )

    def confirm_created(
        self,
        account: AccountConfig,
        promo_id: str,
        actor: str,
        *,
        external_id: str | None = None,
        now: datetime | None = None,
    ) -> TransitionResult:
        """ "Mark as created": handed_off → created with Seller Central's promotion ID (audited with it);
        activate right away if the start has passed. Check the ID's format first (gateway.py)."""
        current = self.get(account.account_id, promo_id)
        if current and current.handoff and current.handoff.created_confirmed:
            return TransitionResult(
                outcome="already_decided",
                promotion=current,
                decided_by=current.handoff.confirmed_by,
                decided_at=current.handoff.confirmed_at,
                verdict=MARKED_CREATED,
            )

        def confirm(p: Promotion, at: datetime) -> None:
            assert p.handoff is not None
            p.handoff.created_confirmed, p.handoff.confirmed_by, p.handoff.confirmed_at = True, actor, at
            p.handoff.external_id = external_id

        result = self._transition(
            account,
            account.account_id,
            promo_id,
            Action.CONFIRM_CREATED,
            actor,
            now=now,
            detail={"promotion_id": external_id},
            mutate=confirm,
        )
        if result.applied and result.promotion:
            return self.refresh_status(result.promotion, now) or result
        return result

    # -- expiry --------------------------------------------------------------
    def refresh_status(self, promo: Promotion, now: datetime | None = None) -> TransitionResult | None:
        """Apply what the dates say (`lifecycle.status_by_dates`): created → active once started,
        created/active → ended after the end, handed_off → cancelled after the end (never created,
        which releases its code).

        None when nothing changes; otherwise the result of the last step.
        """
        now = as_utc(now or self.clock())
        result = None
        for _ in range(2):  # created → active → ended at most
            target = status_by_dates(promo, now)
            if target == promo.status:
                break
            action = BY_DATES[target]
            never_created = action is Action.EXPIRE

            def lapse(p: Promotion, at: datetime) -> None:
                p.reason = NEVER_CREATED

            step = self._transition(
                None,
                promo.account_id,
                promo.id,
                action,
                SYSTEM_ACTOR,
                now=now,
                detail={"by_dates": True, **({"reason": NEVER_CREATED} if never_created else {})},
                mutate=lapse if never_created else None,
            )
            if not step.applied or step.promotion is None:
                break  # another worker moved it first; its result is theirs to report
            result = step
            promo = step.promotion
        return result

    def expire_due(self, account_ids: Iterable[str], now: datetime | None = None) -> builtins.list[TransitionResult]:
        """Run `refresh_status` over every promotion the dates can still move (scheduled job)."""
        now = as_utc(now or self.clock())
        results = []
        for account_id in account_ids:
            for promo in self.list(account_id, DATED):
                r = self.refresh_status(promo, now)
                if r is not None:
                    results.append(r)
        return results
