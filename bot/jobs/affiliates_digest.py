"""The weekly affiliates digest (issue 22 item 6): one message per account × marketplace × week in the
marketplace's channel, updated in place (chat.update) when Amazon restates the week's figures.

A week is Monday to Sunday in the marketplace's time zone. The schedule runs daily: the first run after a
week ends posts its digest; the runs of the following days pull the same week again (Amazon restates at
1 and 7 days) and update the message only when the figures changed. Accounts without Ads credentials,
or marketplaces without Attribution, get nothing: the rest of the bot does not change for them.

Which message shows which week is one store item per account × marketplace × week (pk `AFFILIATES#DIGEST`):
the channel, the message ts and a digest of the figures shown. Every change is a conditional write with an
audit entry (pk `AFFILIATES#AUDIT`) in the same transaction. Posting is claimed first (ts empty): a
retried or overlapping run finds the claim and never posts a second message; a post Slack refused
releases its claim so the next run posts it. A run that dies between Slack's answer and the write of the
ts leaves the claim, and that week is then not posted again: a missing digest over a duplicate one.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal, Protocol

from pydantic import BaseModel
from slack_sdk import WebClient

from bot.affiliates_service import marketplace_zone
from bot.views.affiliates import digest_message
from handlers.affiliates.models import ATTRIBUTION_MARKETPLACES, AffiliatesUnavailable, WeeklyDigest
from handlers.audit import AuditEntry, audit_put
from infra.accounts import AccountConfig, AccountsConfig, MarketplaceConfig
from infra.store.base import ConditionFailed, Item, Put, Store, Update

log = logging.getLogger("sellerbot.affiliates_digest")

DIGEST_PK = "AFFILIATES#DIGEST"
AUDIT_PK = "AFFILIATES#AUDIT"
KEEP_DAYS = 120  # a digest's record outlives Amazon's 28-day restatement window by far
ACTOR = "affiliatesDigest"

Outcome = Literal["posted", "updated", "unchanged", "claimed_elsewhere", "unavailable", "failed"]


class WeeklySource(Protocol):
    def weekly(
        self, account: AccountConfig, marketplace: str, week_end: date
    ) -> WeeklyDigest | AffiliatesUnavailable: ...


class DigestRecord(BaseModel):
    account: str
    marketplace: str
    week_end: date
    channel: str
    ts: str = ""  # empty while the message is being posted
    figures: str = ""  # sha256 of the figures shown
    version: int = 0


def week_end_for(now: datetime, marketplace: str) -> date:
    """The Sunday that ended the last whole local week (Monday to Sunday) before `now`."""
    today = now.astimezone(marketplace_zone(marketplace)).date()
    return today - timedelta(days=today.weekday() + 1)


def figures_of(digest: WeeklyDigest) -> str:
    return hashlib.sha256(digest.model_dump_json().encode()).hexdigest()


class DigestBook:
    def __init__(self, store: Store, clock: Callable[[], float]) -> None:
        self.store, self.clock = store, clock

    @staticmethod
    def key(account: str, marketplace: str, week_end: date) -> str:
        return f"{account}#{marketplace}#{week_end.isoformat()}"

    def get(self, account: str, marketplace: str, week_end: date) -> DigestRecord | None:
        item = self.store.get(DIGEST_PK, self.key(account, marketplace, week_end))
        if item is None:
            return None
        return DigestRecord.model_validate({**item.data, "version": item.version})

    def _audit(self, action: str, record: DigestRecord) -> Put:
        now = self.clock()
        at = datetime.fromtimestamp(now, UTC)
        detail = {"account": record.account, "marketplace": record.marketplace, "week_end": str(record.week_end)}
        entry = AuditEntry(at=at, by=ACTOR, action=action, detail={**detail, "ts": record.ts})
        return audit_put(AUDIT_PK, entry)

    def _write(self, record: DigestRecord, action: str) -> DigestRecord:
        key = self.key(record.account, record.marketplace, record.week_end)
        data = record.model_dump(mode="json", exclude={"version"})
        expires = int(self.clock()) + KEEP_DAYS * 86400
        step: Put | Update
        if record.version == 0:
            step = Put(item=Item(pk=DIGEST_PK, sk=key, data=data, expires_at=expires))
        else:
            step = Update(pk=DIGEST_PK, sk=key, data=data, expected_version=record.version, expires_at=expires)
        self.store.transact([step, self._audit(action, record)])
        return record.model_copy(update={"version": record.version + 1})

    def claim(self, record: DigestRecord) -> DigestRecord | None:
        """Claim posting the week's message; None when another run has (or had) it."""
        try:
            return self._write(record, "affiliates_digest_posting")
        except ConditionFailed:
            return None

    def posted(self, record: DigestRecord, ts: str) -> DigestRecord:
        return self._write(record.model_copy(update={"ts": ts}), "affiliates_digest_posted")

    def release(self, record: DigestRecord) -> None:
        """Slack refused the post: free the claim (only ours, unchanged) so the next run posts."""
        key = self.key(record.account, record.marketplace, record.week_end)
        try:
            self.store.delete(DIGEST_PK, key, expected_version=record.version)
            self.store.transact([self._audit("affiliates_digest_post_failed", record)])
        except ConditionFailed:
            pass

    def restated(self, record: DigestRecord, figures: str) -> DigestRecord | None:
        try:
            return self._write(record.model_copy(update={"figures": figures}), "affiliates_digest_updated")
        except ConditionFailed:
            return None

    def audit_trail(self) -> list[AuditEntry]:
        return [AuditEntry.model_validate(i.data) for i in self.store.query(AUDIT_PK)]


def show_pair(
    source: WeeklySource,
    book: DigestBook,
    slack: WebClient,
    account: AccountConfig,
    marketplace: MarketplaceConfig,
    week_end: date,
) -> Outcome:
    """Post the week's digest for one pair, or update it when the figures changed."""
    result = source.weekly(account, marketplace.code, week_end)
    if isinstance(result, AffiliatesUnavailable):
        log.info("no digest for %s %s: %s", account.account_id, marketplace.code, result.reason)
        return "unavailable"
    figures = figures_of(result)
    record = book.get(account.account_id, marketplace.code, week_end)
    if record is None:
        claimed = book.claim(
            DigestRecord(
                account=account.account_id,
                marketplace=marketplace.code,
                week_end=week_end,
                channel=marketplace.alert_channel,
                figures=figures,
            )
        )
        if claimed is None:
            return "claimed_elsewhere"
        try:
            ts = str(slack.chat_postMessage(channel=claimed.channel, **digest_message(result))["ts"])
        except Exception:
            book.release(claimed)
            raise
        book.posted(claimed, ts)
        return "posted"
    if not record.ts:
        return "claimed_elsewhere"  # being posted, or lost after Slack's answer: never a second message
    if record.figures == figures:
        return "unchanged"
    slack.chat_update(channel=record.channel, ts=record.ts, **digest_message(result, restated=True))
    book.restated(record, figures)
    return "updated"


def pairs(accounts: AccountsConfig) -> list[tuple[AccountConfig, MarketplaceConfig]]:
    return [(a, m) for a, m in accounts.pairs() if m.code in ATTRIBUTION_MARKETPLACES]


def run(
    *, source: WeeklySource, store: Store, slack: WebClient, accounts: AccountsConfig, clock: Callable[[], float]
) -> dict[str, Any]:
    """Every Attribution pair's digest; one pair's failure is counted and logged, the others go on."""
    now = datetime.fromtimestamp(clock(), UTC)
    book = DigestBook(store, clock)
    counts: dict[str, Any] = {"pairs": 0}
    for account, marketplace in pairs(accounts):
        counts["pairs"] += 1
        try:
            outcome: Outcome = show_pair(source, book, slack, account, marketplace, week_end_for(now, marketplace.code))
        except Exception as exc:
            log.error(
                "affiliates digest failed for %s %s: %s", account.account_id, marketplace.code, type(exc).__name__
            )
            outcome = "failed"
        counts[outcome] = counts.get(outcome, 0) + 1
    log.info("affiliates digest done", extra=counts)
    return counts
