"""The one health-check path shared by `/health check`, the SQS check worker, the notification
consumer and the escalation worker: fetch → evaluate → post → record the post.

Not a worker: the `/health` listener runs these checks in Slack too, so they live where both can import them.

Every account × marketplace has one digest message (handlers/health/digest.py: claimed before it is
posted, so two workers never post two; later checks and notifications `chat.update` it); every post
about a flag is a reply in its thread, and a new red flag (or one past a threshold) calls the pair's
responders once, broadcast. Posts go at Slack's pace (bot/slack_client.PACER) and a post that may have
been accepted is never retried blindly: its claim stands until the lease ends.

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
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.deps import Deps
from bot.logging_setup import bind
from bot.slack_client import PACER
from bot.views.health import alert_state_message, digest_message, mention_message, message_for, post_text
from handlers.health.alerts import AlertBook, split_flag_id
from handlers.health.check_state import CheckStateBook
from handlers.health.digest import Change, ChangeKind, DigestBook, DigestSummary, next_check, schedule_interval
from handlers.health.fetch import ReportPending, SpApiCall, await_report, download_report, start_report
from handlers.health.report import ReportUnreadable, parse_report
from handlers.health.service import AlertPost, CheckOutcome, check_account, report_unreadable
from infra import metrics
from infra.accounts import AccountConfig, AccountsConfig, MarketplaceConfig
from infra.spapi.errors import SpApiDeadlineExceeded, TokenRefused, explain, is_retryable, status_of
from infra.store.base import ConditionFailed, Item, Store

log = logging.getLogger("sellerbot.health")

POST_LEASE_SECONDS = 300
DIGEST_WAITS = 5  # seconds to wait for another worker's digest post before retrying later
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
    posted: int = 0  # replies about flags (alerts, resolutions, trends) in digest threads
    skipped: int = 0
    digests: int = 0  # top-level digest messages posted (a later check updates it in place)
    mentions: int = 0  # replies calling the responders
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
    """What makes a post the same post: an alert per episode and severity (a worse value per value), a
    resolution per episode, a trend per movement (its text)."""
    if post.kind == "alert" and post.change == "worsened" and post.flag is not None:
        return f"{post.episode:06d}#worse#{post.flag.value}"
    if post.kind == "alert":
        return f"{post.episode:06d}#{post.severity}"
    if post.kind == "trend":
        return "trend#" + hashlib.sha256(post_text(post).encode()).hexdigest()[:32]
    return f"{post.episode or 0:06d}#resolution"


class DigestBusy(RuntimeError):
    """Another worker claimed this pair's digest moments ago and has not recorded it yet: retry shortly."""


def _refused(exc: BaseException) -> bool:
    """Slack answered and did not take the message (ok=false, or 429 after the client's retries): safe to post
    again. Anything else (a 5xx, a dropped connection) may have been accepted: not reposted before the lease."""
    if not isinstance(exc, SlackApiError):
        return False
    return getattr(exc.response, "status_code", None) in (200, 429)


def _post(deps: HealthDeps, message: dict[str, Any]) -> Any:
    """chat.postMessage at the channel's pace (Slack: one message per second per channel)."""
    PACER.wait(str(message.get("channel") or ""), deps.clock, deps.sleep)
    return deps.slack.chat_postMessage(**message)


def _pair_config(deps: HealthDeps, flag_id: str) -> tuple[AccountConfig, MarketplaceConfig] | None:
    """The configured pair a flag belongs to; a marketplace Amazon did not name, or one not configured,
    is the account's first (where apply_notification sends it)."""
    account_id, code, _ = split_flag_id(flag_id)
    account = deps.accounts.get(account_id)
    if account is None or not account.marketplaces:
        return None
    return account, account.marketplace(code) or account.marketplaces[0]


def _summary(
    deps: HealthDeps,
    book: AlertBook,
    account: AccountConfig,
    marketplace: MarketplaceConfig,
    posts: list[AlertPost],
    outcome: CheckOutcome | None,
    event: str | None,
    previous: DigestSummary | None,
) -> DigestSummary:
    """The digest after this delivery: a check replaces the whole summary, a notification only the counts
    and its own line. Counts come from the alert book (what is open now), never from the posts alone."""
    now = deps.now()
    open_alerts = book.list_for(account.account_id, marketplace.code)
    counts = {
        "red": sum(a.severity == "critical" for a in open_alerts),
        "warnings": sum(a.severity == "warning" for a in open_alerts),
    }
    if outcome is None:
        base = previous or DigestSummary(
            account=account.account_id, account_name=account.name, marketplace=marketplace.code
        )
        return base.model_copy(update={**counts, "event": event, "event_at": now if event else base.event_at})
    changes = [c for c in (_change_of(p) for p in posts) if c is not None]
    return DigestSummary(
        account=account.account_id,
        account_name=account.name,
        marketplace=marketplace.code,
        ahr_score=outcome.ahr_score,
        ahr_status=outcome.ahr_status,
        account_status=outcome.account_status or (previous.account_status if previous else None),
        checked_at=now,
        check_failed=outcome.error if outcome.status == "unreadable" else None,
        changes=changes,
        next_check_at=next_check(now, schedule_interval()),
        **counts,
    )


def _change_of(post: AlertPost) -> Change | None:
    if post.flag is None:
        return None
    if post.kind == "resolution":
        return Change(kind="resolved", label=post.flag.label, severity=post.flag.severity)
    if post.kind != "alert":
        return None
    kind: ChangeKind = "new" if post.change == "new" else ("returned" if post.unsnoozed else "worsened")
    return Change(kind=kind, label=post.flag.label, severity=post.flag.severity)


def _needs_responder(post: AlertPost) -> bool:
    """A new red flag, or one that got past a threshold (warning → critical), calls the responders."""
    return post.kind == "alert" and post.severity == "critical" and post.change in ("new", "upgraded")


def _digest(
    deps: HealthDeps, account: AccountConfig, marketplace: MarketplaceConfig, summary: DigestSummary
) -> tuple[str, str, bool]:
    """(channel, ts, posted now) of the pair's digest: posted when absent (claimed first, so two workers never
    post two), else its summary is replaced and the message updated in place (chat.update)."""
    digests = DigestBook(deps.store)
    now = deps.now()
    for attempt in range(DIGEST_WAITS + 1):
        claim = digests.claim(account.account_id, marketplace.code, marketplace.alert_channel, summary, now)
        if claim.outcome == "post":
            try:
                response = _post(deps, digest_message(marketplace.alert_channel, summary))
            except Exception as exc:
                if _refused(exc):
                    digests.release(claim.record, now)
                raise
            channel = str(response.get("channel") or marketplace.alert_channel)
            ts = str(response.get("ts") or "")
            digests.posted(claim.record, channel, ts, now)
            return channel, ts, True
        if claim.outcome == "posted" and claim.record.ts:
            record = digests.save_summary(account.account_id, marketplace.code, summary, now)
            channel, ts = record.channel, str(claim.record.ts)
            try:
                deps.slack.chat_update(channel=channel, ts=ts, **_without_channel(digest_message(channel, summary)))
            except Exception as exc:  # the summary is stored; the next delivery updates the message again
                log.warning("digest %s/%s update failed: %s", account.account_id, marketplace.code, type(exc).__name__)
            return channel, ts, False
        if attempt < DIGEST_WAITS:
            deps.sleep(1.0)
            now = deps.now()
    raise DigestBusy(f"the digest of {account.account_id} {marketplace.code} is being posted by another worker")


def _without_channel(message: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in message.items() if k not in ("channel", "unfurl_links", "unfurl_media")}


def deliver(
    posts: list[AlertPost],
    deps: HealthDeps,
    *,
    book: AlertBook | None = None,
    outcome: CheckOutcome | None = None,
    event: str | None = None,
) -> Delivery:
    """Send the posts of a check or notification into the digest thread of their account × marketplace.

    With `outcome` (a check of that pair) the pair's digest is posted or updated even when there is nothing
    new; `event` names the notification the posts come from. Each alert's reply is recorded for threading
    and clicks; a new red flag or one past a threshold mentions the responders once, broadcast.
    """
    book = book or deps.book()
    out = Delivery()
    pairs: dict[tuple[str, str], tuple[AccountConfig, MarketplaceConfig, list[AlertPost]]] = {}
    if outcome is not None:
        found = deps.resolve(outcome.account, outcome.marketplace)
        pairs[(outcome.account, outcome.marketplace)] = (*found, [])
    for post in posts:
        config = _pair_config(deps, post.flag_id)
        if config is None:
            log.error("no configured account for a %s post; not posted", post.kind)
            continue
        key = (config[0].account_id, config[1].code)
        pairs.setdefault(key, (*config, []))[2].append(post)
    for account, marketplace, group in pairs.values():
        _deliver_pair(deps, book, account, marketplace, group, outcome=outcome, event=event, out=out)
    return out


def _deliver_pair(
    deps: HealthDeps,
    book: AlertBook,
    account: AccountConfig,
    marketplace: MarketplaceConfig,
    posts: list[AlertPost],
    *,
    outcome: CheckOutcome | None,
    event: str | None,
    out: Delivery,
) -> None:
    if not marketplace.alert_channel:
        # Connected from Slack, not configured yet: the check state and the open alerts are recorded (so
        # /health and /sellerbot accounts show them); the first delivery after Configure posts the digest and
        # every alert not posted yet (unposted_alerts). Slack would refuse an empty channel and fail the run.
        log.info(
            "health %s/%s: no alert channel yet, nothing posted (%d posts wait); an admin sets one with "
            "/sellerbot accounts, Configure",
            account.account_id,
            marketplace.code,
            len(posts),
        )
        out.skipped += len(posts)
        return
    previous = DigestBook(deps.store).get(account.account_id, marketplace.code)
    summary = _summary(deps, book, account, marketplace, posts, outcome, event, previous.summary if previous else None)
    channel, thread_ts, posted_now = _digest(deps, account, marketplace, summary)
    if posted_now:
        out.digests += 1
        out.messages.append({"kind": "digest", "flag_id": "", "channel": channel, "ts": thread_ts})
    calling: list[AlertPost] = []
    for post in posts:
        post = post.model_copy(update={"channel": channel})
        claim = _claim(deps.store, f"HEALTHPOST#{post.flag_id}", _post_key(post), deps.clock())
        if claim is None:
            out.skipped += 1
            continue
        try:
            response = _post(deps, message_for(post, thread_ts))
        except Exception as exc:
            if _refused(exc):
                _finish_claim(deps.store, claim, posted=False)
            raise
        ts = str(response.get("ts") or "")
        _finish_claim(deps.store, claim, posted=True, ts=ts)
        if post.kind == "alert" and post.episode is not None and ts:
            book.record_post(post.flag_id, channel, ts, episode=post.episode)
        elif post.kind == "resolution" and post.thread_ts:
            _mark_resolved(deps, book, post, post.thread_ts)
        if _needs_responder(post):
            calling.append(post)
        out.posted += 1
        out.messages.append({"kind": post.kind, "flag_id": post.flag_id, "channel": channel, "ts": ts})
    if calling:
        _call_responders(deps, account, marketplace, channel, thread_ts, summary, calling, out)


def _call_responders(
    deps: HealthDeps,
    account: AccountConfig,
    marketplace: MarketplaceConfig,
    channel: str,
    thread_ts: str,
    summary: DigestSummary,
    calling: list[AlertPost],
    out: Delivery,
) -> None:
    """One reply mentioning the owner group and responders for these flags, broadcast to the channel."""
    key = "|".join(sorted(f"{p.flag_id}@{p.episode}#{p.severity}" for p in calling))
    claim = _claim(
        deps.store,
        f"HEALTHCALL#{account.account_id}#{marketplace.code}",
        hashlib.sha256(key.encode()).hexdigest()[:32],
        deps.clock(),
    )
    if claim is None:
        return
    flags = [p.flag for p in calling if p.flag is not None]
    message = mention_message(channel, thread_ts, summary, marketplace.owner_group, marketplace.responders, flags)
    try:
        response = _post(deps, message)
    except Exception as exc:
        if _refused(exc):
            _finish_claim(deps.store, claim, posted=False)
        raise
    _finish_claim(deps.store, claim, posted=True, ts=str(response.get("ts") or ""))
    out.mentions += 1
    out.messages.append({"kind": "mention", "flag_id": "", "channel": channel, "ts": str(response.get("ts") or "")})


def digest_thread(deps: HealthDeps, account: str, marketplace: str) -> tuple[str, str] | None:
    """(channel, ts) of a pair's digest, when it was posted."""
    record = DigestBook(deps.store).get(account, marketplace)
    return (record.channel, record.ts) if record is not None and record.ts else None


def _mark_resolved(deps: HealthDeps, book: AlertBook, post: AlertPost, alert_ts: str) -> None:
    """The original alert message (`alert_ts`) loses its buttons and says when it was resolved (best effort)."""
    record = book.get(post.flag_id)
    if record is None or record.state != "resolved" or record.episode != post.episode:
        return
    try:
        deps.slack.chat_update(
            channel=record.channel or post.channel,
            ts=alert_ts,
            **alert_state_message(record, note=":white_check_mark: Resolved", now=deps.now()),
        )
    except Exception as exc:
        log.warning("could not mark alert %s resolved in place: %s", post.flag_id, type(exc).__name__)


def unposted_alerts(book: AlertBook, account: str, marketplace: str, already: set[str]) -> list[AlertPost]:
    """Open alerts whose message was never recorded (the worker that opened them died before posting, or the
    pair had no alert channel yet); each is posted in the digest's channel."""
    posts = []
    for alert in book.list_for(account, marketplace):
        if alert.message_ts or alert.flag_id in already:
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


def _request_pk(account: str, codes: list[str]) -> str:
    """The report request item of one fetch: `HEALTHREQ#<account>#<codes>`. One marketplace gives the key the
    per-pair checks always used, so a per-pair message still in flight across a deploy resumes its report; the
    schedule's one message per account keys it by the account's marketplaces (one report covers them all)."""
    return f"HEALTHREQ#{account}#{'+'.join(sorted(codes))}"


def _report_pk(report_id: str) -> str:
    """What a REPORT_PROCESSING_FINISHED notification looks up: the check that requested this report."""
    return f"HEALTHREPORT#{report_id}"


def fetch_report(
    deps: HealthDeps,
    account: AccountConfig,
    marketplace: MarketplaceConfig,
    *,
    run_id: str,
    deadline: float,
    poll_budget: float | None = None,
) -> tuple[bytes, str]:
    """`fetch_account_report` for one marketplace."""
    return fetch_account_report(deps, account, [marketplace], run_id=run_id, deadline=deadline, poll_budget=poll_budget)


def fetch_account_report(
    deps: HealthDeps,
    account: AccountConfig,
    marketplaces: list[MarketplaceConfig],
    *,
    run_id: str,
    deadline: float,
    poll_budget: float | None = None,
) -> tuple[bytes, str]:
    """One createReport per run for all `marketplaces` (Amazon's marketplaceIds list; the V2 report carries
    each marketplace's status and metrics), so a redelivered message resumes the same report; poll until the
    deadline (or for at most `poll_budget` seconds), then getReportDocument + download, once.
    Raises ReportUnreadable, ReportPending or the SP-API error."""
    gateway = deps.gateway()
    # One seller x region: every marketplace of the account shares its endpoint and its rate-limit bucket.
    call = gateway.caller(account, marketplaces[0].code, deadline=deadline)
    pk = _request_pk(account.account_id, [m.code for m in marketplaces])
    existing = deps.store.get(pk, run_id)
    if existing is not None:
        report_id = str(existing.data["report_id"])
    else:
        report_id = start_report(call, [m.marketplace_id for m in marketplaces])
        expires = int(deps.clock() + REPORT_REQUEST_TTL.total_seconds())
        if deps.store.put_if_absent(Item(pk=pk, sk=run_id, data={"report_id": report_id}, expires_at=expires)):
            codes = [m.code for m in marketplaces]
            request = {"account": account.account_id, "codes": codes, "run_id": run_id}
            deps.store.put_if_absent(Item(pk=_report_pk(report_id), sk="request", data=request, expires_at=expires))
        else:
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
    """Fetch, evaluate and post for one account × marketplace (`run_account_check` with one marketplace)."""
    [run] = run_account_check(
        deps, account_id, [code], run_id=run_id, deadline=deadline, last_attempt=last_attempt, poll_budget=poll_budget
    )
    return run


def run_account_check(
    deps: HealthDeps,
    account_id: str,
    codes: list[str],
    *,
    run_id: str,
    deadline: float,
    last_attempt: bool = False,
    poll_budget: float | None = None,
    skip_done: bool = False,
) -> list[CheckRun]:
    """Fetch one report for the account's marketplaces `codes`, parse it once, then evaluate and post for each
    account × marketplace as its own check (digest, thread, alerts and check state per pair).

    Unreadable documents, CANCELLED/FATAL reports and permanent SP-API refusals open the
    "report unreadable" alert of each pair (never an all-clear). Transient failures raise so SQS retries;
    on the last attempt they open the same alerts first, then raise (the message goes to the DLQ).
    Counted per pair in HealthChecksSucceeded / HealthChecksFailed (a report still pending is neither).
    Raises LookupError for an unknown account or marketplace. With `skip_done` (the queue worker and the
    REPORT_PROCESSING_FINISHED path) a run already evaluated and delivered is not repeated: returns [].
    """
    bind(account=account_id, marketplace=codes[0] if len(codes) == 1 else "+".join(codes))
    account = deps.accounts.get(account_id)
    if account is None:
        raise LookupError(f"unknown account {account_id!r}")
    marketplaces = [deps.resolve(account_id, code)[1] for code in dict.fromkeys(codes)]
    if skip_done and _done(deps, account_id, [m.code for m in marketplaces], run_id):
        log.info("health check %s/%s run %s: already done", account_id, "+".join(codes), run_id)
        return []
    try:
        runs = _run_account_check(
            deps,
            account,
            marketplaces,
            run_id=run_id,
            deadline=deadline,
            last_attempt=last_attempt,
            poll_budget=poll_budget,
        )
    except ReportPending:
        raise
    except Exception:
        metrics.count(metrics.HEALTH_CHECKS_FAILED, len(marketplaces))
        raise
    ok = sum(run.outcome.status != "unreadable" for run in runs)
    if ok:
        metrics.count(metrics.HEALTH_CHECKS_SUCCEEDED, ok)
    if len(runs) - ok:
        metrics.count(metrics.HEALTH_CHECKS_FAILED, len(runs) - ok)
    return runs


def _run_account_check(
    deps: HealthDeps,
    account: AccountConfig,
    marketplaces: list[MarketplaceConfig],
    *,
    run_id: str,
    deadline: float,
    last_attempt: bool,
    poll_budget: float | None,
) -> list[CheckRun]:
    book = deps.book()
    states = CheckStateBook(deps.store)
    outcomes: list[CheckOutcome] = []
    # Last attempt / success / failure and the in-flight marker of each pair, for an honest `/health` (issue 18).
    with ExitStack() as stack:
        tracks = [
            stack.enter_context(
                states.tracking(account.account_id, m.code, run_id, now=deps.now, last_attempt=last_attempt)
            )
            for m in marketplaces
        ]
        evaluated, report_id = _evaluate(
            deps,
            book,
            account,
            marketplaces,
            run_id=run_id,
            deadline=deadline,
            last_attempt=last_attempt,
            poll_budget=poll_budget,
        )
        for track, outcome in zip(tracks, evaluated, strict=True):
            track.finished(ok=outcome.status != "unreadable", reason=outcome.error)
            outcomes.append(outcome)
    runs = []
    for marketplace, outcome in zip(marketplaces, outcomes, strict=True):
        delivery = _deliver_with_repair(deps, book, outcome, account.account_id, marketplace.code)
        log.info(
            "health check %s/%s: %s, %d flags, %d posted",
            account.account_id,
            marketplace.code,
            outcome.status,
            len(outcome.flags),
            delivery.posted,
        )
        runs.append(CheckRun(outcome=outcome, delivery=delivery, report_id=report_id))
    _mark_done(deps, account.account_id, [m.code for m in marketplaces], run_id)
    return runs


def _done(deps: HealthDeps, account_id: str, codes: list[str], run_id: str) -> bool:
    item = deps.store.get(_request_pk(account_id, codes), run_id)
    return item is not None and bool(item.data.get("done_at"))


def _mark_done(deps: HealthDeps, account_id: str, codes: list[str], run_id: str) -> None:
    """Every pair of the run evaluated and delivered: a later delivery of the same run (the delayed re-poll
    after REPORT_PROCESSING_FINISHED finished it, or a duplicate) acknowledges it without fetching again."""
    pk = _request_pk(account_id, codes)
    item = deps.store.get(pk, run_id)
    if item is None or item.data.get("done_at"):
        return
    try:
        deps.store.update(
            pk,
            run_id,
            {**item.data, "done_at": deps.clock()},
            expected_version=item.version,
            expires_at=item.expires_at,
        )
    except ConditionFailed:
        pass  # another delivery of the run marked it first


class RequestedCheck(BaseModel):
    """The check that requested a report: what a REPORT_PROCESSING_FINISHED notification resumes."""

    account: str
    codes: list[str]
    run_id: str


def requested_check(deps: HealthDeps, report_id: str, *, seller_id: str | None) -> RequestedCheck | None:
    """The pending health check that requested `report_id`, or None: another report type, another app's report,
    a seller that does not own it, a removed account or marketplace."""
    item = deps.store.get(_report_pk(report_id), "request")
    if item is None:
        return None
    account = deps.accounts.get(str(item.data.get("account", "")))
    if account is None or (seller_id and account.seller_id and seller_id != account.seller_id):
        log.warning("REPORT_PROCESSING_FINISHED for report %s names another seller or a removed account", report_id)
        return None
    codes = [str(c) for c in item.data.get("codes") or [] if account.marketplace(str(c)) is not None]
    if not codes:
        return None
    return RequestedCheck(account=account.account_id, codes=codes, run_id=str(item.data["run_id"]))


def finish_check(deps: HealthDeps, request: RequestedCheck, *, deadline: float) -> list[CheckRun]:
    """Finish a notified check in this process (one getReport, download, evaluate and post per marketplace);
    [] when its run is done already or Amazon still says pending (the delayed re-poll finishes it then)."""
    try:
        return run_account_check(
            deps,
            request.account,
            request.codes,
            run_id=request.run_id,
            deadline=deadline,
            poll_budget=0,
            skip_done=True,
        )
    except ReportPending as exc:
        log.info(
            "health check %s: notified, but getReport still says %s; the re-poll finishes it",
            request.account,
            exc.status,
        )
        return []


def _evaluate(
    deps: HealthDeps,
    book: AlertBook,
    account: AccountConfig,
    marketplaces: list[MarketplaceConfig],
    *,
    run_id: str,
    deadline: float,
    last_attempt: bool,
    poll_budget: float | None,
) -> tuple[list[CheckOutcome], str | None]:
    """Each marketplace's outcome (alerts opened and resolved in the book) and the report it read, if any."""
    report_id = None

    def unreadable(reason: str) -> list[CheckOutcome]:
        return [report_unreadable(reason, account, m, deps.store, deps.now(), book=book) for m in marketplaces]

    try:
        data, report_id = fetch_account_report(
            deps, account, marketplaces, run_id=run_id, deadline=deadline, poll_budget=poll_budget
        )
        report = parse_report(data)  # once for all marketplaces
        return [check_account(report, account, m, deps.store, deps.now(), book=book) for m in marketplaces], report_id
    except ReportUnreadable as exc:
        return unreadable(exc.reason), report_id
    except TokenRefused:
        raise  # not a report problem: the account is disconnected (told once), no "report unreadable" alert
    except ReportPending:
        if last_attempt:
            for m in marketplaces:
                _give_up(deps, book, account, m, "Amazon did not finish the report in time on any attempt")
        raise
    except Exception as exc:
        if not is_permanent(exc):
            if last_attempt:
                for m in marketplaces:
                    _give_up(deps, book, account, m, f"fetching failed on every attempt: {explain(exc)}")
            raise
        return unreadable(f"Amazon refused the report request: {explain(exc)}"), report_id


def _deliver_with_repair(
    deps: HealthDeps, book: AlertBook, outcome: CheckOutcome, account_id: str, code: str
) -> Delivery:
    """The outcome's posts, then every open alert of the pair whose post was lost (its worker died first)."""
    delivery = deliver(outcome.posts, deps, book=book, outcome=outcome)
    if not deps.resolve(account_id, code)[1].alert_channel:
        return delivery  # nothing can be posted (deliver said so); the alerts wait for a channel
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
    deliver(outcome.posts, deps, book=book, outcome=outcome)
