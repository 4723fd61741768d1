"""`/review sweep`: request reviews for every eligible order of one account x marketplace.

Resumable: a checkpoint item (page token, orders done in that page, counts) is saved with
compare-and-swap after every order, so a run cut by a Lambda timeout or crash continues where
it stopped. Per-order claims (ReviewLedger) make a re-processed order safe: it is never sent
twice. A second sweep of the same target takes the checkpoint over; the first one notices at
its next save (ConditionFailed) and stops.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, Protocol

from pydantic import BaseModel, Field

from handlers.reviews.errors import UNCONFIRMED, SpApiFailure
from handlers.reviews.port import OrdersPage, OrderSummary, ReviewsSpApi
from handlers.reviews.requests import ReviewOutcome, ReviewRequestService
from handlers.reviews.target import Target
from infra.clock import utc
from infra.store.base import ConditionFailed, Item, Store

DEFAULT_LOOKBACK_DAYS = 60  # latest delivery + 30 d, with room for slow deliveries
RESUME_WITHIN_SECONDS = 6 * 3600  # Orders NextTokens do not live forever; start over after this
STOP_MARGIN_SECONDS = 10.0  # stop this long before the deadline so the checkpoint save always lands
MAX_FAILURES_KEPT = 20


class SweepCounts(BaseModel):
    seen: int = 0
    sent: int = 0
    would_send: int = 0  # dry run only
    failed: int = 0
    unconfirmed: int = 0  # sent, perhaps: the answer was lost; never requested again
    skipped: dict[str, int] = Field(default_factory=dict)
    pages: int = 0

    def add(self, outcome: ReviewOutcome, dry_run: bool) -> None:
        self.seen += 1
        if outcome.status == "sent":
            self.sent += 1
        elif outcome.status == "failed":
            self.failed += 1
        elif outcome.status == "unconfirmed":
            self.unconfirmed += 1
        else:
            self.skipped[outcome.status] = self.skipped.get(outcome.status, 0) + 1


class SweepFailure(BaseModel):
    order_id: str
    reason: str


class Checkpoint(BaseModel):
    run_id: str
    status: Literal["running", "paused", "done"]
    created_after: datetime
    page_token: str | None = None  # token that fetches the page in progress; None = first page
    done_in_page: int = 0
    counts: SweepCounts = Field(default_factory=SweepCounts)
    failures: list[SweepFailure] = Field(default_factory=list)
    started_at: datetime
    updated_at: datetime
    by: str


class SweepReport(BaseModel):
    run_id: str
    target: str
    dry_run: bool
    status: Literal["running", "paused", "done", "superseded"]
    # Why a paused run stopped: the time limit (continue it) or an SP-API error on getOrders (retry later).
    stop_reason: Literal["", "deadline", "api_error"] = ""
    resumed: bool = False
    counts: SweepCounts
    failures: list[SweepFailure] = Field(default_factory=list)
    would_send: list[str] = Field(default_factory=list)  # dry run: order IDs (capped)

    def summary_text(self) -> str:
        c = self.counts
        skipped = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in sorted(c.skipped.items())) or "none"
        paused = (
            "Sweep paused: SP-API failed to list orders (resumes from the checkpoint)"
            if self.stop_reason == "api_error"
            else "Sweep paused before the time limit (resumes from the checkpoint)"
        )
        head = {
            "done": "Sweep finished",
            "paused": paused,
            "running": "Sweep running",
            "superseded": "Sweep stopped: another sweep took over",
        }[self.status]
        mode = " (dry run: nothing sent)" if self.dry_run else ""
        first = f"{head}{mode} for {self.target}{' (resumed)' if self.resumed else ''}: {c.seen} orders checked"
        if self.dry_run:
            return f"{first}; would request {c.would_send}; skipped: {skipped}."
        unconfirmed = f"; {c.unconfirmed} {UNCONFIRMED}" if c.unconfirmed else ""
        return f"{first}; sent {c.sent}; skipped: {skipped}; failed {c.failed}{unconfirmed}."


class ProgressSink(Protocol):
    def __call__(self, report: SweepReport, final: bool) -> None: ...


def checkpoint_key(target: Target) -> tuple[str, str]:
    return f"SWEEP#{target.account_id}", f"CHECKPOINT#{target.code}"


class Superseded(Exception):
    pass


@dataclass
class _Run:
    """One live (not dry) sweep in progress: its checkpoint, the store item holding it, what it reports."""

    target: Target
    user: str
    cp: Checkpoint
    item: Item
    report: SweepReport
    deadline: float | None
    call_deadline: float | None
    progress: ProgressSink | None
    last_progress: float

    def pause(self, reason: Literal["deadline", "api_error"]) -> None:
        self.report.status, self.cp.status, self.report.stop_reason = "paused", "paused", reason

    def fail(self, order_id: str, reason: str) -> None:
        self.cp.failures = [*self.cp.failures, SweepFailure(order_id=order_id, reason=reason)][-MAX_FAILURES_KEPT:]


class SweepRunner:
    def __init__(
        self,
        store: Store,
        spapi: ReviewsSpApi,
        clock: Callable[[], float],
        *,
        lookback_days: int = DEFAULT_LOOKBACK_DAYS,
        stop_margin: float = STOP_MARGIN_SECONDS,
        progress_every: float = 3.0,
    ) -> None:
        self.store = store
        self.spapi = spapi
        self.clock = clock
        self.service = ReviewRequestService(store, spapi, clock)
        self.lookback = timedelta(days=lookback_days)
        self.stop_margin = stop_margin
        self.progress_every = progress_every

    def checkpoint(self, target: Target) -> Checkpoint | None:
        item = self.store.get(*checkpoint_key(target))
        return Checkpoint.model_validate(item.data) if item else None

    def _begin(self, target: Target, user: str) -> tuple[Checkpoint, Item, bool]:
        pk, sk = checkpoint_key(target)
        now = utc(self.clock())
        item = self.store.get(pk, sk)
        if item is not None:
            old = Checkpoint.model_validate(item.data)
            fresh = (now - old.updated_at).total_seconds() < RESUME_WITHIN_SECONDS
            if old.status != "done" and fresh:
                cp = old.model_copy(update={"status": "running", "updated_at": now})
                return cp, self.store.update(pk, sk, cp.model_dump(mode="json"), expected_version=item.version), True
        cp = Checkpoint(
            run_id=uuid.uuid4().hex[:12],
            status="running",
            created_after=now - self.lookback,
            started_at=now,
            updated_at=now,
            by=user,
        )
        data = cp.model_dump(mode="json")
        if item is None:
            new = Item(pk=pk, sk=sk, data=data)
            if not self.store.put_if_absent(new):
                raise Superseded()
            return cp, new, False
        return cp, self.store.update(pk, sk, data, expected_version=item.version), False

    def _save(self, cp: Checkpoint, item: Item) -> Item:
        cp.updated_at = utc(self.clock())
        try:
            return self.store.update(item.pk, item.sk, cp.model_dump(mode="json"), expected_version=item.version)
        except ConditionFailed as exc:
            raise Superseded() from exc

    def _out_of_time(self, deadline: float | None) -> bool:
        return deadline is not None and self.clock() >= deadline - self.stop_margin

    def run(
        self,
        target: Target,
        user: str,
        *,
        dry_run: bool = False,
        deadline: float | None = None,
        progress: ProgressSink | None = None,
    ) -> SweepReport:
        """Sweep until done or `deadline` (epoch seconds on `clock`) is near; never raises for one order."""
        if dry_run:
            return self._dry_run(target, user, deadline, progress)
        try:
            cp, item, resumed = self._begin(target, user)
        except (Superseded, ConditionFailed):
            return SweepReport(
                run_id="-", target=target.label(), dry_run=False, status="superseded", counts=SweepCounts()
            )
        report = SweepReport(
            run_id=cp.run_id,
            target=target.label(),
            dry_run=False,
            status="running",
            resumed=resumed,
            counts=cp.counts,
            failures=cp.failures,
        )
        run = _Run(
            target=target,
            user=user,
            cp=cp,
            item=item,
            report=report,
            deadline=deadline,
            call_deadline=None if deadline is None else deadline - self.stop_margin,
            progress=progress,
            last_progress=self.clock(),
        )
        if progress:
            progress(report, False)
        try:
            self._sweep(run)
            run.item = self._save(cp, run.item)
        except Superseded:
            report.status = "superseded"
        report.counts, report.failures = cp.counts, cp.failures
        if progress:
            progress(report, True)
        return report

    def _sweep(self, run: _Run) -> None:
        """Page by page until done, out of time or getOrders fails; the checkpoint is saved after every order."""
        cp = run.cp
        while True:
            if self._out_of_time(run.deadline):
                run.pause("deadline")
                return
            try:
                page = self.spapi.list_orders(
                    run.target, created_after=cp.created_after, next_token=cp.page_token, deadline=run.call_deadline
                )
            except SpApiFailure as exc:
                # Leave the checkpoint on this page: the next run retries it.
                run.pause("deadline" if exc.kind == "deadline" else "api_error")
                run.fail("-", exc.user_message())
                return
            if cp.done_in_page == 0:
                cp.counts.pages += 1
            if not self._page(run, page):
                run.pause("deadline")
                return
            if not page.next_token:
                run.report.status = cp.status = "done"
                return
            cp.page_token, cp.done_in_page = page.next_token, 0
            run.item = self._save(cp, run.item)

    def _page(self, run: _Run, page: OrdersPage) -> bool:
        """The page's orders not done yet, one by one; False when stopped for the deadline (resumed later)."""
        cp = run.cp
        source = f"sweep:{cp.run_id}"
        for order in page.orders[cp.done_in_page :]:
            if self._out_of_time(run.deadline):
                return False
            outcome = self.service.process(run.target, order, run.user, source=source, deadline=run.call_deadline)
            if outcome.failure_kind == "deadline":
                return False  # the claim was released; this order is redone on resume
            cp.counts.add(outcome, dry_run=False)
            if outcome.status == "failed":
                run.fail(order.order_id, outcome.detail)
            elif outcome.status == "unconfirmed":
                run.fail(order.order_id, outcome.text())
            cp.done_in_page += 1
            run.item = self._save(cp, run.item)
            if run.progress and self.clock() - run.last_progress >= self.progress_every:
                run.last_progress = self.clock()
                run.progress(run.report.model_copy(update={"counts": cp.counts, "failures": cp.failures}), False)
        return True

    def _dry_run(self, target: Target, user: str, deadline: float | None, progress: ProgressSink | None) -> SweepReport:
        """Orders in the window that the store has no record of; no claims, no sends, no checkpoint."""
        created_after = utc(self.clock()) - self.lookback
        report = SweepReport(
            run_id="dry-run", target=target.label(), dry_run=True, status="running", counts=SweepCounts()
        )
        call_deadline = None if deadline is None else deadline - self.stop_margin
        token: str | None = None
        while True:
            if self._out_of_time(deadline):
                report.status, report.stop_reason = "paused", "deadline"
                break
            try:
                page = self.spapi.list_orders(
                    target, created_after=created_after, next_token=token, deadline=call_deadline
                )
            except SpApiFailure as exc:
                report.status, report.stop_reason = "paused", "api_error"
                report.failures.append(SweepFailure(order_id="-", reason=exc.user_message()))
                break
            report.counts.pages += 1
            for order in page.orders:
                self._dry_one(target, order, report)
            if progress:
                progress(report, False)
            token = page.next_token
            if not token:
                report.status = "done"
                break
        if progress:
            progress(report, True)
        return report

    def _dry_one(self, target: Target, order: OrderSummary, report: SweepReport) -> None:
        skip = self.service.precheck(target, order)
        if skip:
            report.counts.add(skip, dry_run=True)
            return
        report.counts.seen += 1
        report.counts.would_send += 1
        if len(report.would_send) < 200:
            report.would_send.append(order.order_id)
