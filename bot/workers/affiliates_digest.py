"""The weekly affiliates digest's Lambda (issue 22 item 6): `bot/workers/affiliates_digest.handler`, on a daily
EventBridge schedule (the week's message is posted on the first run after the week ends and updated on the
next days when Amazon restates it; bot/jobs/affiliates_digest.py says how)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.deps import Deps
from bot.jobs.affiliates_digest import run
from bot.jobs.heartbeats import ran
from bot.workers.entry import ContainerEntry, LambdaHandler


def make_handler(deps: Deps) -> LambdaHandler:
    def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
        counts = run(
            source=deps.affiliates, store=deps.store, slack=deps.slack, accounts=deps.accounts, clock=deps.clock
        )
        ran("affiliatesDigest", counts, store=deps.store, now=datetime.fromtimestamp(deps.clock(), UTC))
        return counts

    return handle


handler = ContainerEntry(make_handler)
