"""Escalation of unacknowledged critical alerts (issue 6), and snoozes that ran out (issue 18), on a
schedule (every 15 min).

`AlertBook.due_escalations(now)` returns each due alert exactly once (a compare-and-swap
sets `escalated_at`), so overlapping runs never re-post twice. Each is posted in the digest
thread of its account × marketplace with the owner group's `<!subteam^ID>` and the responders'
`<@U…>` mentions, and the buttons. A hint that cannot be read is dropped and logged by error
type, and the others still escalate. The delay is `SELLERBOT_HEALTH_ESCALATION_MINUTES` (default 60).

`AlertBook.ended_snoozes(now)` returns each snooze that ran out once: the flag comes back in the
digest thread (its buttons again) and its own message loses the "snoozed" line; its escalation
clock restarts at the end of the snooze.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.jobs.health_checks import HealthDeps, digest_thread, health_deps_for
from bot.jobs.heartbeats import ran
from bot.slack_client import PACER
from bot.views.health import alert_state_message, escalation_message, snooze_ended_message
from bot.workers.entry import ContainerEntry, LambdaHandler
from handlers.health.alerts import AlertRecord
from infra.accounts import MarketplaceConfig

log = logging.getLogger("sellerbot.health_escalation")


def _dropped(error: str) -> None:
    # The hint's text is not logged: its flag id can carry a SKU or ASIN from a notification.
    log.error("escalation hint dropped: it could not be read (%s); the other alerts still escalate", error)


def _config(deps: HealthDeps, record: AlertRecord) -> MarketplaceConfig | None:
    account = deps.accounts.get(record.account)
    if account is None or not account.marketplaces:
        return None
    return account.marketplace(record.marketplace) or account.marketplaces[0]


def _thread(deps: HealthDeps, record: AlertRecord) -> tuple[str | None, str | None, MarketplaceConfig | None]:
    """(channel, digest ts, config) for the alert's pair; an alert posted before digests has no digest ts."""
    config = _config(deps, record)
    found = digest_thread(deps, record.account, config.code) if config else None
    if found:
        return found[0], found[1], config
    return record.channel, None, config


def _post(deps: HealthDeps, message: dict[str, Any]) -> None:
    PACER.wait(str(message.get("channel") or ""), deps.clock, deps.sleep)
    deps.slack.chat_postMessage(**message)


def escalate(deps: HealthDeps) -> dict[str, int]:
    book = deps.book()
    due = book.due_escalations(deps.now(), on_dropped=_dropped)
    posted, failed = 0, 0
    for escalation in due:
        # Each escalation on its own: one that cannot be rendered or posted does not stop the others.
        try:
            channel, thread_ts, config = _thread(deps, escalation.alert)
            if not channel:
                log.error("escalation %s has no channel recorded", escalation.alert.flag_id)
                failed += 1
                continue
            message = escalation_message(escalation, thread_ts, config.responders if config else ())
            _post(deps, {**message, "channel": channel})
            posted += 1
        except Exception as exc:
            failed += 1
            log.error("escalation post for %s failed: %s", escalation.alert.flag_id, type(exc).__name__)
    returned = _return_snoozed(deps)
    log.info("escalations: %d due, %d posted, %d failed; %d snoozes ended", len(due), posted, failed, returned)
    return {"due": len(due), "posted": posted, "failed": failed}


def _return_snoozed(deps: HealthDeps) -> int:
    """Flags whose snooze ran out come back in their digest thread; their message drops the snooze line."""
    count = 0
    for record in deps.book().ended_snoozes(deps.now()):
        try:
            channel, thread_ts, _ = _thread(deps, record)
            if not channel:
                continue
            _post(deps, snooze_ended_message(record, channel, thread_ts))
            if record.message_ts and record.channel:
                deps.slack.chat_update(
                    channel=record.channel, ts=record.message_ts, **alert_state_message(record, now=deps.now())
                )
            count += 1
        except Exception as exc:
            log.error("snooze end of %s not posted: %s", record.flag_id, type(exc).__name__)
    return count


def make_handler(deps: HealthDeps) -> LambdaHandler:
    def scheduled(event: dict[str, Any], context: Any) -> dict[str, int]:
        counts = escalate(deps)
        ran("healthEscalation", counts, store=deps.store, now=deps.now())  # for /sellerbot status
        return counts

    return scheduled


# Lambda entry `bot/workers/health_escalation.handler`.
handler = ContainerEntry(lambda deps: make_handler(health_deps_for(deps)))
