"""One health check for one account × marketplace, from report bytes to "what to post".

    parse → evaluate against the last snapshot → store the snapshot → open new
    alerts / resolve cleared ones → return the posts

The caller (Slack listener or SQS worker) renders and sends `CheckOutcome.posts`
and then calls `AlertBook.record_post(flag_id, channel, ts, episode=...)` so
resolutions can be threaded. Nothing here talks to Slack or AWS.

An unreadable report never counts as "all clear": it opens one deduplicated
`reportUnreadable` alert, leaves every other alert and the snapshot history
untouched, and the next readable report resolves it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from handlers.health.alerts import AlertBook, OpenResult, Resolution, ResolveResult
from handlers.health.chart import trend_png
from handlers.health.evaluate import (
    Evaluation,
    RedFlag,
    ReportWarning,
    TrendWarning,
    diff_flags,
    evaluate_report,
    flag_id,
    marketplace_key,
)
from handlers.health.metrics import REPORT_NOTICE, REPORT_UNREADABLE, Severity
from handlers.health.notifications import (
    UNSPECIFIED_MARKETPLACE,
    Notification,
    ReportProcessingFinishedNotification,
    effect_of,
    seller_of,
)
from handlers.health.report import PerformanceReport, ReportUnreadable, parse_report
from handlers.health.snapshots import Snapshot, SnapshotStore
from infra.accounts import AccountConfig, AccountsConfig, MarketplaceConfig
from infra.clock import as_utc
from infra.store.base import Store


class AlertPost(BaseModel):
    """One message to send, as data; bot/views/health.py renders it.

    alert: `flag` (and `episode`, `owner_group`) is the red flag. resolution: `flag` is what was flagged and
    `resolution` how it ended, posted in the thread `thread_ts`. trend: `trend` is the movement.
    """

    kind: Literal["alert", "resolution", "trend"]
    flag_id: str
    episode: int | None = None
    # What happened to an alert's flag: a new episode, a warning turned critical (past a threshold: it mentions
    # the responders), or a value further from the target. `unsnoozed`: it got worse during a snooze.
    change: Literal["new", "upgraded", "worsened"] | None = None
    unsnoozed: bool = False
    channel: str
    thread_ts: str | None = None
    severity: Severity | None = None
    owner_group: str | None = None
    flag: RedFlag | None = None
    resolution: Resolution | None = None
    trend: TrendWarning | None = None


class CheckOutcome(BaseModel):
    account: str
    marketplace: str
    status: Literal["ok", "flags", "unreadable"]
    account_status: str | None = None
    # Account Health Rating of the marketplace when the report carries it.
    ahr_score: float | None = None
    ahr_status: str | None = None
    error: str | None = None
    flags: list[RedFlag] = Field(default_factory=list)
    warnings: list[TrendWarning] = Field(default_factory=list)
    # Fields or values of the report this bot could not evaluate: shown once as warning alerts.
    notices: list[ReportWarning] = Field(default_factory=list)
    new: list[RedFlag] = Field(default_factory=list)
    still_open: list[RedFlag] = Field(default_factory=list)
    resolved: list[RedFlag] = Field(default_factory=list)
    posts: list[AlertPost] = Field(default_factory=list)
    snapshot_saved: bool = False


_CHANGE = {"opened": "new", "reopened": "new", "upgraded": "upgraded", "worsened": "worsened"}


def _alert_post(opened: OpenResult, channel: str, owner_group: str | None) -> AlertPost:
    flag = opened.alert.flag
    return AlertPost(
        kind="alert",
        flag_id=flag.flag_id,
        episode=opened.alert.episode,
        change=_CHANGE.get(opened.outcome),
        unsnoozed=opened.unsnoozed,
        channel=channel,
        severity=flag.severity,
        owner_group=owner_group,
        flag=flag,
    )


def _resolution_post(result: ResolveResult, channel: str) -> AlertPost | None:
    if result.outcome != "resolved" or result.post is None or result.alert is None:
        return None
    return AlertPost(
        kind="resolution",
        flag_id=result.alert.flag_id,
        episode=result.alert.episode,
        channel=result.post.channel or channel,
        thread_ts=result.post.thread_ts,
        severity=result.alert.severity,
        flag=result.alert.flag,
        resolution=result.post.resolution,
    )


def _unreadable(
    reason: str, account: AccountConfig, marketplace: MarketplaceConfig, book: AlertBook, now: datetime
) -> CheckOutcome:
    mkt = marketplace.code
    flag = RedFlag(
        flag_id=flag_id(account.account_id, mkt, REPORT_UNREADABLE.name),
        account=account.account_id,
        marketplace=mkt,
        metric=REPORT_UNREADABLE.name,
        label=REPORT_UNREADABLE.label,
        value=None,
        target=None,
        severity="warning",
        message=f"Report unreadable — NOT an all-clear: {reason}",
        meaning=REPORT_UNREADABLE.meaning,
        next_step=REPORT_UNREADABLE.next_step,
        source="system",
    )
    opened = book.open(flag, channel=marketplace.alert_channel, owner_group=marketplace.owner_group, now=now)
    posts = [_alert_post(opened, marketplace.alert_channel, marketplace.owner_group)] if opened.should_post else []
    return CheckOutcome(account=account.account_id, marketplace=mkt, status="unreadable", error=reason, posts=posts)


def report_unreadable(
    reason: str,
    account: AccountConfig,
    marketplace: MarketplaceConfig,
    store: Store,
    now: datetime,
    *,
    book: AlertBook | None = None,
) -> CheckOutcome:
    """The report could not be fetched or read (CANCELLED/FATAL, Amazon refused, retries ran out): open the
    deduplicated "report unreadable" alert; never an all-clear, every other alert and snapshot stays as it is."""
    return _unreadable(reason, account, marketplace, book or AlertBook(store), as_utc(now))


def check_account(
    report_bytes: bytes | str | PerformanceReport,
    account: AccountConfig,
    marketplace: MarketplaceConfig,
    store: Store,
    now: datetime,
    *,
    book: AlertBook | None = None,
) -> CheckOutcome:
    """Evaluate one downloaded report for one account × marketplace and say what to post.

    `report_bytes` is the document as downloaded (gzip or not); an already parsed
    report is accepted too, since one document covers all of a seller's marketplaces.
    """
    now = as_utc(now)
    book = book or AlertBook(store)
    mkt = marketplace.code
    try:
        report = _report_for(report_bytes, marketplace)
    except ReportUnreadable as exc:
        return _unreadable(exc.reason, account, marketplace, book, now)
    snapshots = SnapshotStore(store)
    previous = snapshots.last(account.account_id, mkt, before=now)
    evaluation = evaluate_report(
        report,
        account=account.account_id,
        thresholds={mkt: marketplace.thresholds},
        previous={mkt: previous.metrics} if previous else None,
        marketplaces=[marketplace.marketplace_id],
    )
    diff = diff_flags(previous.flags if previous else [], evaluation.flags)
    saved = snapshots.save(
        Snapshot(
            account=account.account_id,
            marketplace=mkt,
            taken_at=now,
            account_status=evaluation.statuses.get(mkt),
            metrics=evaluation.metrics.get(mkt, {}),
            flags=evaluation.flags,
        )
    )

    posts = _report_posts(evaluation, account.account_id, marketplace, book, now)
    metrics = report.metrics_for(marketplace.marketplace_id)
    ahr = metrics.account_health_rating if metrics else None
    return CheckOutcome(
        account=account.account_id,
        marketplace=mkt,
        status="flags" if evaluation.flags else "ok",
        account_status=evaluation.statuses.get(mkt),
        ahr_score=ahr.score if ahr else None,
        ahr_status=ahr.status if ahr else None,
        flags=evaluation.flags,
        warnings=evaluation.warnings,
        notices=evaluation.notices,
        new=diff.new,
        still_open=diff.still_open,
        resolved=diff.resolved,
        posts=posts,
        snapshot_saved=saved,
    )


def _report_for(report_bytes: bytes | str | PerformanceReport, marketplace: MarketplaceConfig) -> PerformanceReport:
    """The parsed report; ReportUnreadable when it cannot be read or has no data for `marketplace`."""
    report = report_bytes if isinstance(report_bytes, PerformanceReport) else parse_report(report_bytes)
    if marketplace.marketplace_id not in report.marketplace_ids():
        listed = ", ".join(marketplace_key(m) for m in report.marketplace_ids())
        raise ReportUnreadable(
            f"report has no data for {marketplace.code} ({marketplace.marketplace_id}); it lists {listed}. "
            f"Request the report with marketplaceIds including {marketplace.marketplace_id}."
        )
    return report


def _report_posts(
    evaluation: Evaluation, account_id: str, marketplace: MarketplaceConfig, book: AlertBook, now: datetime
) -> list[AlertPost]:
    """Open the evaluation's flags and notices, resolve the alerts it no longer carries, add its trend warnings."""
    mkt = marketplace.code
    posts: list[AlertPost] = []
    # A notice goes through the alert book like a flag, so it is posted once and resolves when the
    # report no longer carries it; it is not a red flag of the account and stays out of the snapshot.
    alerting = [*evaluation.flags, *(_notice_flag(n, mkt) for n in evaluation.notices)]
    for flag in alerting:
        opened = book.open(flag, channel=marketplace.alert_channel, owner_group=marketplace.owner_group, now=now)
        if opened.should_post:
            posts.append(_alert_post(opened, marketplace.alert_channel, marketplace.owner_group))
    # Resolve from the alert book, not only from the previous snapshot: a lost snapshot must not strand an alert.
    current = {f.flag_id for f in alerting}
    for alert in book.list_for(account_id, mkt):
        if alert.flag.source == "notification" or alert.flag_id in current:
            continue
        reason = "the report is readable again" if alert.metric == REPORT_UNREADABLE.name else "back within target"
        post = _resolution_post(book.resolve(alert.flag_id, reason=reason, now=now), marketplace.alert_channel)
        if post:
            posts.append(post)
    for w in evaluation.warnings:
        posts.append(
            AlertPost(
                kind="trend",
                flag_id=w.flag_id,
                channel=marketplace.alert_channel,
                severity="warning",
                owner_group=marketplace.owner_group,
                trend=w,
            )
        )
    return posts


def _notice_flag(notice: ReportWarning, mkt: str) -> RedFlag:
    """The notice as a warning of this marketplace (a notice about the document root names none)."""
    metric = f"{REPORT_NOTICE.name}.{notice.metric}"
    return RedFlag(
        flag_id=flag_id(notice.account, mkt, metric),
        account=notice.account,
        marketplace=mkt,
        metric=metric,
        label=REPORT_NOTICE.label,
        value=notice.value,
        target=None,
        severity="warning",
        message=notice.message,
        meaning=REPORT_NOTICE.meaning,
        next_step=REPORT_NOTICE.next_step,
    )


class UnknownSeller(ValueError):
    """The notification names a seller that is not in the accounts config (DLQ reason)."""


def apply_notification(
    notification: Notification,
    accounts: AccountsConfig,
    store: Store,
    now: datetime,
    *,
    account_id: str | None = None,
    marketplace: str | None = None,
    book: AlertBook | None = None,
) -> list[AlertPost]:
    """Open/resolve alerts for a push notification; returns the posts. `account_id` when the payload has no seller
    (ACCOUNT_STATUS_CHANGED: the consumer knows it from the subscription)."""
    now = as_utc(now)
    book = book or AlertBook(store)
    # A report notification names its seller under payload.report but opens no alert: as before, it is not
    # matched to an account by seller (it needs account_id).
    seller = None if isinstance(notification, ReportProcessingFinishedNotification) else seller_of(notification)
    account = (
        accounts.get(account_id)
        if account_id
        else next((a for a in accounts.accounts if seller and a.seller_id == seller), None)
    )
    if account is None:
        raise UnknownSeller(
            f"no account configured for seller {seller!r}" if not account_id else f"unknown account_id {account_id!r}"
        )
    effect = effect_of(notification, account.account_id, marketplace)

    def config_for(code: str) -> MarketplaceConfig:
        # A marketplace Amazon did not name (ALL) or one not configured goes to the account's first channel.
        configured = account.marketplace(code) if code != UNSPECIFIED_MARKETPLACE else None
        return configured or account.marketplaces[0]

    posts: list[AlertPost] = []
    for flag in effect.open:
        cfg = config_for(flag.marketplace)
        opened = book.open(flag, channel=cfg.alert_channel, owner_group=cfg.owner_group, now=now)
        if opened.should_post:
            posts.append(_alert_post(opened, cfg.alert_channel, cfg.owner_group))
    for fid in effect.resolve:
        cfg = config_for(fid.split("#", 2)[1])
        post = _resolution_post(book.resolve(fid, reason="Amazon reports it cleared", now=now), cfg.alert_channel)
        if post:
            posts.append(post)
    return posts


def trend_chart(store: Store, account: str, marketplace: str, *, now: datetime, days: int = 90) -> bytes:
    """PNG of the last `days` days of rate metrics for `/health` (matplotlib is imported only when it is drawn)."""
    history = SnapshotStore(store).history(account, marketplace, days=days, now=now)
    return trend_png(history, title=f"{account} {marketplace}: account health, last {days} days")
