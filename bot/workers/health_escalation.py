"""Escalation of unacknowledged critical alerts (issue 6), on a schedule (every 15 min).

`AlertBook.due_escalations(now)` returns each due alert exactly once (a compare-and-swap
sets `escalated_at`), so overlapping runs never re-post twice. Each is re-posted in its
alert channel with the owner group's `<!subteam^ID>` mention and the buttons. A hint that
cannot be read is dropped and logged by error type, and the others still escalate.
The delay is `SELLERBOT_HEALTH_ESCALATION_MINUTES` (default 60).
"""

from __future__ import annotations

import logging
from typing import Any

from bot.jobs.health_checks import HealthDeps, health_deps_for
from bot.views.health import escalation_message
from bot.workers.entry import ContainerEntry, LambdaHandler

log = logging.getLogger("sellerbot.health_escalation")


def _dropped(error: str) -> None:
    # The hint's text is not logged: its flag id can carry a SKU or ASIN from a notification.
    log.error("escalation hint dropped: it could not be read (%s); the other alerts still escalate", error)


def escalate(deps: HealthDeps) -> dict[str, int]:
    book = deps.book()
    due = book.due_escalations(deps.now(), on_dropped=_dropped)
    posted, failed = 0, 0
    for escalation in due:
        # Each escalation on its own: one that cannot be rendered or posted does not stop the others.
        try:
            message = escalation_message(escalation)
            if not message.get("channel"):
                log.error("escalation %s has no channel recorded", escalation.alert.flag_id)
                failed += 1
                continue
            deps.slack.chat_postMessage(**message)
            posted += 1
        except Exception as exc:
            failed += 1
            log.error("escalation post for %s failed: %s", escalation.alert.flag_id, type(exc).__name__)
    log.info("escalations: %d due, %d posted, %d failed", len(due), posted, failed)
    return {"due": len(due), "posted": posted, "failed": failed}


def make_handler(deps: HealthDeps) -> LambdaHandler:
    def scheduled(event: dict[str, Any], context: Any) -> dict[str, int]:
        return escalate(deps)

    return scheduled


# Lambda entry `bot/workers/health_escalation.handler`.
handler = ContainerEntry(lambda deps: make_handler(health_deps_for(deps)))
