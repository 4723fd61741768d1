"""Scheduled promo expiry: apply what the dates say to every handed-off/active promotion.

Lambda entry `bot/workers/promo_expiry.handler`, meant for an EventBridge schedule
(`rate(15 minutes)`). For each configured account it runs
`PromoRepository.expire_due` (created → active once the start passed; created or
active → ended after the end; handed_off → cancelled after the end when nobody
marked it created, which frees its code), then edits each changed promotion's
approval card in place and tells the requester once when it ended or lapsed.
Every step is a compare-and-swap, so overlapping runs (or a `/promo list` that
refreshes at the same moment) move each promotion once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from slack_sdk import WebClient

from bot import runtime
from bot.jobs.heartbeats import ran
from bot.jobs.revocation import remind_renewals
from bot.views.promo import card_message, ended_notice, handoff_note, never_created_notice
from bot.workers.entry import instrumented
from handlers.promo import service
from handlers.promo.cards import CardRefs
from handlers.promo.models import PromoStatus, Promotion
from handlers.promo.repository import PromoRepository
from infra.accounts import AccountsConfig
from infra.store.base import Store

log = logging.getLogger("sellerbot.promo_expiry")
# Where the dates moved a promotion → its count (and notice kind); the dates only reach these three.
_KIND = {PromoStatus.ACTIVE: "activated", PromoStatus.ENDED: "ended", PromoStatus.CANCELLED: "never_created"}
_NOTICE: dict[PromoStatus, Callable[[Promotion], str]] = {
    PromoStatus.ENDED: ended_notice,
    PromoStatus.CANCELLED: never_created_notice,
}


def run(
    *,
    store: Store,
    accounts: AccountsConfig,
    slack: WebClient | None = None,
    now: datetime | None = None,
    clock: Callable[[], float] | None = None,
) -> dict[str, Any]:
    now = now or datetime.fromtimestamp((clock or time.time)(), UTC)
    repo = PromoRepository(store, clock=lambda: now)
    cards = CardRefs(store)
    counts = {"accounts": 0, "activated": 0, "ended": 0, "never_created": 0, "failed_accounts": 0}
    for account in accounts.accounts:
        counts["accounts"] += 1
        try:
            results = repo.expire_due([account.account_id], now)
        except Exception as exc:
            counts["failed_accounts"] += 1
            log.error("promo expiry failed for %s: %s", account.account_id, type(exc).__name__)
            continue
        for result in results:
            promo = result.promotion
            if promo is None:
                continue
            kind = _KIND[promo.status]
            counts[kind] += 1
            if slack is None:
                continue
            ref = cards.get(account.account_id, promo.id)
            try:
                if ref and ref.ts:
                    msg = card_message(service.card(promo, account), note=handoff_note(promo))
                    slack.chat_update(channel=ref.channel, ts=ref.ts, **msg)
                notice = _NOTICE.get(promo.status)
                if notice and cards.claim_notice(account.account_id, promo.id, kind):
                    slack.chat_postMessage(channel=promo.requester, text=notice(promo))
            except Exception as exc:
                log.warning("promo expiry: Slack update failed for %s: %s", promo.id, type(exc).__name__)
    log.info("promo expiry done", extra=counts)
    return counts


@instrumented
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """EventBridge schedule target; returns the counts (visible in the Lambda console/logs)."""
    deps = runtime.current().deps
    counts = run(store=deps.store, accounts=deps.accounts, slack=deps.slack, clock=deps.clock)
    # The 365-day authorization reminder rides on this schedule (a claim per account and authorization makes it
    # one message, however often this runs); it never fails the promo run.
    try:
        told = remind_renewals(
            registry=deps.registry,
            store=deps.store,
            slack=deps.slack,
            admins=deps.admins.named(),
            now=datetime.fromtimestamp(deps.clock(), UTC),
        )
        if told:
            log.info("renewal reminders sent for %s", ", ".join(told))
    except Exception as exc:
        log.error("renewal reminders failed: %s", type(exc).__name__)
    ran("promoExpiry", counts, store=deps.store, now=datetime.fromtimestamp(deps.clock(), UTC))  # for /sellerbot status
    return counts
