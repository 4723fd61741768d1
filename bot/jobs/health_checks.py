"""The one health-check path shared by `/health check`, the SQS check worker, the notification
consumer and the escalation worker: fetch → evaluate → post → record the post.

Not a worker: the `/health` listener runs these checks in Slack too, so they live where both can import them.

Posting is at-most-once per alert episode across concurrent deliveries: each alert post
first claims `HEALTHPOST#<flag_id> / <episode>#<severity>` with put_if_absent and a
short lease (an item past `expires_at` counts as absent). The claim is released when
Slack refuses the post, so a retry posts it; an alert opened by a worker that died
before posting (no `message_ts` recorded) is posted by the next check of that pair.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol, runtime_checkable

from pydantic import BaseModel
from slack_sdk import WebClient

from bot.deps import Deps
from bot.views.health import alert_state_message, message_for, post_text
from handlers.health.alerts import AlertBook
from handlers.health.check_state import CheckStateBook
from handlers.health.fetch import ReportPending, SpApiCall, await_report, download_report, start_report
from handlers.health.report import ReportUnreadable
from handlers.health.service import AlertPost, CheckOutcome, check_account, report_unreadable
from infra.accounts import AccountConfig, AccountsConfig, MarketplaceConfig
from infra.spapi.errors import SpApiDeadlineExceeded, explain, is_retryable, status_of
from infra.store.base import ConditionFailed, Item, Store

log = logging.getLogger("sellerbot.health")

POST_LEASE_SECONDS = 300
REPORT_REQUEST_TTL = timedelta(days=2)
POLL_ENV = "SELLERBOT_HEALTH_POLL_SECONDS"
ESCALATION_ENV = "SELLERBOT_HEALTH_ESCALATION_MINUTES"
MAX_RECEIVES_ENV = "SELLERBOT_HEALTH_MAX_RECEIVES"
POLL_BUDGET_ENV = "SELLERBOT_HEALTH_POLL_BUDGET_SECONDS"


def _utc_now(clock: Callable[[], float]) -> datetime:
    return datetime.fromtimestamp(clock(), tz=UTC)


@runtime_checkable
class ReportSource(Protocol):
    """Where a check gets Amazon's reports: handlers.health.spapi_adapter.ReportsGateway, or a stand-in."""

    def caller(self, account: AccountConfig, marketplace_code: str, *, deadline: float | None = None) -> SpApiCall: ...

    def download(self, url: str) -> bytes: ...


@dataclass
class HealthDeps:
    """What the health paths need; built once per Lambda container (bot/workers/entry.py)."""

    store: Store
    slack: WebClient
    accounts: AccountsConfig
    # A ReportSource, or a zero-argument callable building one on first use (the SP-API import costs
    # ~170 ms; /health without `check` never needs it).
    reports: ReportSource | Callable[[], ReportSource] | None = None
    clock: Callable[[], float] = time.time
    poll_interval: float = field(default_factory=lambda: float(os.environ.get(POLL_ENV, "10")))
    escalation_delay: timedelta = field(
        default_factory=lambda: timedelta(minutes=float(os.environ.get(ESCALATION_ENV, "60")))
    )
    sleep: Callable[[float], None] = time.sleep

    def gateway(self) -> ReportSource:
        reports = self.reports
        if reports is not None and not isinstance(reports, ReportSource):
            reports = self.reports = reports()
        if reports is None:
            raise RuntimeError("no SP-API reports gateway configured")
        return reports

    def book(self) -> AlertBook:
        return AlertBook(self.store, escalation_delay=self.escalation_delay, clock=lambda: _utc_now(self.clock))

    def now(self) -> datetime:
        return _utc_now(self.clock)

    def resolve(self, account_id: str, code: str) -> tuple[AccountConfig, MarketplaceConfig]:
        account = self.accounts.get(account_id)
        if account is None:
            raise LookupError(f"unknown account {account_id!r}")
        marketplace = account.marketplace(code)
        if marketplace is None:
            raise LookupError(
                f"account {account_id!r} has no marketplace {code!r} "
                f"(it has {', '.join(m.code for m in account.marketplaces)})"
            )
        return account, marketplace


def health_deps_for(deps: Deps) -> HealthDeps:
    """HealthDeps over the bot's `Deps` (the listener and the workers share them)."""

    def reports() -> ReportSource:
        # Lazy: the adapter imports httpx (~60 ms of cold start); only a check that fetches a report needs it.
        from handlers.health.spapi_adapter import ReportsGateway

        return ReportsGateway(deps.spapi)

    return HealthDeps(store=deps.store, slack=deps.slack, accounts=deps.accounts, reports=reports, clock=deps.clock)


# ---- posting -------------------------------------------------------------------------------------------------------


class Delivery(BaseModel):
    posted: int = 0
    skipped: int = 0
    messages: list[dict[str, str]] = []  # {"kind", "flag_id", "channel", "ts"}


def _claim(store: Store, pk: str, sk: str, now: float) -> Item | None:
    item = Item(pk=pk, sk=sk, data={"at": now}, expires_at=int(now) + POST_LEASE_SECONDS)
    return item if store.put_if_absent(item) else None


def _finish_claim(store: Store, item: Item, *, posted: bool, ts: str | None = None) -> None:
    try:
        if posted:
            store.update(
                item.pk,
                item.sk,
                {**item.data, "ts": ts},
                expected_version=item.version,
                expires_at=int(item.data["at"]) + 14 * 86400,
            )
        else:
            store.delete(item.pk, item.sk, expected_version=item.version)
    except ConditionFailed:
        pass


def _post_key(post: AlertPost) -> str:
    """What makes a post the same post: an alert per episode and severity, a resolution per episode,
    a trend per movement (its text)."""
    if post.kind == "alert":
        return f"{post.episode:06d}#{post.severity}"
    if post.kind == "trend":
        return "trend#" + hashlib.sha256(post_text(post).encode()).hexdigest()[:32]
    return f"{post.episode or 0:06d}#resolution"


def deliver(posts: list[AlertPost], deps: HealthDeps, *, book: AlertBook | None = None) -> Delivery:
    """Send the posts of a check or notification; record each alert's message for threading and clicks."""
    book = book or deps.book()
    out = Delivery()
    for post in posts:
        claim = _claim(deps.store, f"HEALTHPOST#{post.flag_id}", _post_key(post), deps.clock())
        if claim is None:
            out.skipped += 1
            continue
        try:
            response = deps.slack.chat_postMessage(**message_for(post))
        except Exception:
            _finish_claim(deps.store, claim, posted=False)
            raise
        ts = str(response.get("ts") or "")
        channel = str(response.get("channel") or post.channel)
        _finish_claim(deps.store, claim, posted=True, ts=ts)
        if post.kind == "alert" and post.episode is not None and ts:
            book.record_post(post.flag_id, channel, ts, episode=post.episode)
        elif post.kind == "resolution" and post.thread_ts:
            _mark_resolved(deps, book, post, post.thread_ts)
        out.posted += 1
        out.messages.append({"kind": post.kind, "flag_id": post.flag_id, "channel": channel, "ts": ts})
    return out


def _mark_resolved(deps: HealthDeps, book: AlertBook, post: AlertPost, alert_ts: str) -> None:
    """The original alert message (`alert_ts`) loses its buttons and says when it was resolved (best effort)."""
    record = book.get(post.flag_id)
    if record is None or record.state != "resolved" or record.episode != post.episode:
        return
    try:
        deps.slack.chat_update(
            channel=post.channel,
            ts=alert_ts,
            **alert_state_message(record, note=":white_check_mark: Resolved", now=deps.now()),
        )
    except Exception as exc:
        log.warning("could not mark alert %s resolved in place: %s", post.flag_id, type(exc).__name__)


def unposted_alerts(book: AlertBook, account: str, marketplace: str, already: set[str]) -> list[AlertPost]:
    """Open alerts whose message was never recorded (the worker that opened them died before posting)."""
    posts = []
    for alert in book.list_for(account, marketplace):
        if alert.message_ts or alert.flag_id in already or not alert.channel:
            continue
        posts.append(
            AlertPost(
                kind="alert",
                flag_id=alert.flag_id,
                episode=alert.episode,
                channel=alert.channel,
                severity=alert.severity,
                owner_group=alert.owner_group,
                flag=alert.flag,
            )
        )
    return posts


# ---- one check --------------------------------------------------------------------------------------------------------


class CheckRun(BaseModel):
    outcome: CheckOutcome
    delivery: Delivery
    report_id: str | None = None


def _request_pk(account: str, code: str) -> str:
    return f"HEALTHREQ#{account}#{code}"


def fetch_report(
    deps: HealthDeps,
    account: AccountConfig,
    marketplace: MarketplaceConfig,
    *,
    run_id: str,
    deadline: float,
    poll_budget: float | None = None,
) -> tuple[bytes, str]:
    """createReport once per run (a redelivered message resumes the same report), poll until the deadline
    (or for at most `poll_budget` seconds),
    then getReportDocument + download. Raises ReportUnreadable, ReportPending or the SP-API error."""
    gateway = deps.gateway()
    call = gateway.caller(account, marketplace.code, deadline=deadline)
    pk = _request_pk(account.account_id, marketplace.code)
    existing = deps.store.get(pk, run_id)
    if existing is not None:
        report_id = str(existing.data["report_id"])
    else:
        report_id = start_report(call, [marketplace.marketplace_id])
        expires = int(deps.clock() + REPORT_REQUEST_TTL.total_seconds())
        if not deps.store.put_if_absent(Item(pk=pk, sk=run_id, data={"report_id": report_id}, expires_at=expires)):
            raced = deps.store.get(pk, run_id)
            report_id = str(raced.data["report_id"]) if raced else report_id
    interval = max(deps.poll_interval, 0.01)
    window = deadline - deps.clock() - 3
    if poll_budget is not None:
        window = min(window, poll_budget)
    polls = max(1, int(window / interval) + 1)
    try:
        document_id = await_report(call, report_id, sleep=deps.sleep, poll_interval=interval, max_polls=polls)
    except SpApiDeadlineExceeded as exc:
        # getReport's bucket had no slot before the deadline: as good as "still pending", resume next time.
        raise ReportPending(report_id, "IN_PROGRESS") from exc
    return download_report(call, gateway.download, document_id), report_id


def is_permanent(exc: BaseException) -> bool:
    """An SP-API refusal that a retry will not fix (400/403/404: authorisation, marketplace)."""
    status = status_of(exc)
    return isinstance(status, int) and 400 <= status < 500 and status != 429 and not is_retryable(exc)


def run_check(
    deps: HealthDeps,
    account_id: str,
    code: str,
    *,
    run_id: str,
    deadline: float,
    last_attempt: bool = False,
    poll_budget: float | None = None,
) -> CheckRun:
    """Fetch, evaluate and post for one account × marketplace.

    Unreadable documents, CANCELLED/FATAL reports and permanent SP-API refusals open the
    "report unreadable" alert (never an all-clear). Transient failures raise so SQS retries;
    on the last attempt they open the same alert first, then raise (the message goes to the DLQ).
    """
    account, marketplace = deps.resolve(account_id, code)
    book = deps.book()
    # Last attempt / success / failure and the in-flight marker, for an honest `/health` (issue 18).
    tracking = CheckStateBook(deps.store).tracking(
        account.account_id, marketplace.code, run_id, now=deps.now, last_attempt=last_attempt
    )
    with tracking as track:
        outcome, report_id = _evaluate(
            deps,
            book,
            account,
            marketplace,
            run_id=run_id,
            deadline=deadline,
            last_attempt=last_attempt,
            poll_budget=poll_budget,
        )
        track.finished(ok=outcome.status != "unreadable", reason=outcome.error)
    delivery = _deliver_with_repair(deps, book, outcome, account.account_id, marketplace.code)
    log.info(
        "health check %s/%s: %s, %d flags, %d posted",
        account.account_id,
        marketplace.code,
        outcome.status,
        len(outcome.flags),
        delivery.posted,
    )
    return CheckRun(outcome=outcome, delivery=delivery, report_id=report_id)


def _evaluate(
    deps: HealthDeps,
    book: AlertBook,
    account: AccountConfig,
    marketplace: MarketplaceConfig,
    *,
    run_id: str,
    deadline: float,
    last_attempt: bool,
    poll_budget: float | None,
) -> tuple[CheckOutcome, str | None]:
    """The check's outcome (alerts opened and resolved in the book) and the report it read, if any."""
    report_id = None
    try:
        data, report_id = fetch_report(
            deps, account, marketplace, run_id=run_id, deadline=deadline, poll_budget=poll_budget
        )
        return check_account(data, account, marketplace, deps.store, deps.now(), book=book), report_id
    except ReportUnreadable as exc:
        return report_unreadable(exc.reason, account, marketplace, deps.store, deps.now(), book=book), report_id
    except ReportPending:
        if last_attempt:
            _give_up(deps, book, account, marketplace, "Amazon did not finish the report in time on any attempt")
        raise
    except Exception as exc:
        if not is_permanent(exc):
            if last_attempt:
                _give_up(deps, book, account, marketplace, f"fetching failed on every attempt: {explain(exc)}")
            raise
        reason = f"Amazon refused the report request: {explain(exc)}"
        return report_unreadable(reason, account, marketplace, deps.store, deps.now(), book=book), report_id


def _deliver_with_repair(
    deps: HealthDeps, book: AlertBook, outcome: CheckOutcome, account_id: str, code: str
) -> Delivery:
    """The outcome's posts, then every open alert of the pair whose post was lost (its worker died first)."""
    delivery = deliver(outcome.posts, deps, book=book)
    already = {m["flag_id"] for m in delivery.messages}
    repair = unposted_alerts(book, account_id, code, already)
    if repair:
        extra = deliver(repair, deps, book=book)
        delivery.posted += extra.posted
        delivery.skipped += extra.skipped
        delivery.messages += extra.messages
    return delivery


def _give_up(
    deps: HealthDeps, book: AlertBook, account: AccountConfig, marketplace: MarketplaceConfig, reason: str
) -> None:
    outcome = report_unreadable(reason, account, marketplace, deps.store, deps.now(), book=book)
    deliver(outcome.posts, deps, book=book)
