"""Scheduled LWA client secret rotation (`lwaRotation`, weekly; issue 21 item 4b).

When the stored secret is due within ROTATE_WITHIN_DAYS (Amazon's stated expiry, else 180 days after it was
stored), the run claims the day's one attempt with a conditional write, asks LWA for a rotation-scope grantless
token and calls rotateApplicationClientSecret once (0.0167 requests/s: never retried here). A 204 means Amazon
sends the new secret to the AppNotifications queue (bot/workers/app_notifications.py stores it and tells the
admins). A refusal tells the admins with the manual steps; 'not enrolled' says to set Notification Preferences.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

import httpx
from slack_sdk import WebClient

from bot import runtime
from bot.jobs.heartbeats import ran
from bot.views.lwa_rotation import rotation_failed
from bot.workers.entry import instrumented
from handlers.onboarding.amazon import AmazonRefused, token_url
from handlers.onboarding.rotation import (
    NA_ENDPOINT,
    ROTATE_WITHIN_DAYS,
    SCOPE_ROTATION,
    LwaSecretBook,
    grantless_token,
    request_rotation,
    rotation_due,
)
from infra.secrets import CredentialsSource, MissingSecret
from infra.store.base import Store

log = logging.getLogger("sellerbot.lwa_rotation")
BY = "schedule:lwaRotation"


def tell_admins(slack: WebClient | None, admins: Iterable[str], ops_channel: str | None, text: str) -> int:
    """Post `text` to each admin (their DM with the bot) and the ops channel; the number of posts that went out."""
    if slack is None:
        return 0
    sent = 0
    for target in dict.fromkeys([*admins, *([ops_channel] if ops_channel else [])]):
        try:
            slack.chat_postMessage(channel=target, text=text)
            sent += 1
        except Exception as exc:  # one unreachable admin must not hide the news from the others
            log.warning("could not tell %s: %s", target, type(exc).__name__)
    return sent


def run(
    *,
    store: Store,
    credentials: CredentialsSource,
    lwa_endpoint: str | None,
    spapi_endpoint: str | None,
    now: datetime,
    notify: Callable[[str], int],
    stage: str,
    http: httpx.Client | None = None,
) -> dict[str, Any]:
    book = LwaSecretBook(store)
    record = book.get()
    counts: dict[str, Any] = {"due": False, "attempted": False, "outcome": ""}
    if record is None:
        log.warning("LWA client secret age unknown: no rotation date recorded (sellerbot secrets put --lwa)")
        return counts
    if not rotation_due(record, now, within_days=ROTATE_WITHIN_DAYS):
        return counts
    counts["due"] = True
    if not book.claim_attempt(now, by=BY):
        counts["outcome"] = "attempted_recently"
        return counts
    counts["attempted"] = True
    code, outcome = "", ""
    client = http or httpx.Client(timeout=15)
    try:
        lwa = credentials.lwa()
        token = grantless_token(client, url=token_url(lwa_endpoint), lwa=lwa, scope=SCOPE_ROTATION)
        answer = request_rotation(client, endpoint=spapi_endpoint or NA_ENDPOINT, access_token=token)
        outcome, code = str(answer.outcome), answer.code
    except MissingSecret:
        outcome = "no_secret"
    except AmazonRefused as exc:
        outcome, code = "refused", exc.kind
    except httpx.HTTPError as exc:
        outcome, code = "unreachable", type(exc).__name__
    finally:
        if http is None:
            client.close()
    book.record_outcome(outcome + (f":{code}" if code else ""), at=now, by=BY)
    counts["outcome"] = outcome
    log.info("LWA client secret rotation", extra={"outcome": outcome, "code": code})
    if outcome != "requested":
        counts["told"] = notify(rotation_failed(outcome, code, stage=stage, due=record.due_at()))
    return counts


@instrumented
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """EventBridge schedule target; returns the counts."""
    deps = runtime.current().deps
    now = datetime.fromtimestamp(deps.clock(), UTC)
    settings = deps.settings
    from infra.secrets import credentials_source

    counts = run(
        store=deps.store,
        credentials=credentials_source(settings),
        lwa_endpoint=settings.lwa_endpoint,
        spapi_endpoint=settings.spapi_endpoint,
        now=now,
        notify=lambda text: tell_admins(deps.slack, deps.accounts.admins, settings.ops_channel, text),
        stage=settings.stage,
    )
    ran("lwaRotation", counts, store=deps.store, now=now)  # for /sellerbot status
    return counts
