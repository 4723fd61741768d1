"""What each scheduled worker calls when its run finished: `handlers.ops.heartbeat.record_run`.

The two dispatchers (health checks, review sweep) hold no store of their own, so they pass none and
the store is built from SELLERBOT_STORE_URL once per container (no Slack secrets, no runtime).
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from handlers.ops.heartbeat import record_run
from infra.store.base import Store

log = logging.getLogger("sellerbot.ops")


@lru_cache(maxsize=2)
def _store(url: str) -> Store:
    from infra.store.factory import build_store

    return build_store(url)


def ran(
    schedule: str, counts: dict[str, Any] | None = None, *, store: Store | None = None, now: datetime | None = None
) -> bool:
    """Record a finished run of `schedule` (its function's name in serverless.yml); never raises."""
    if store is None:
        url = os.environ.get("SELLERBOT_STORE_URL")
        if not url:
            log.warning("last run of %s not recorded: SELLERBOT_STORE_URL is not set", schedule)
            return False
        try:
            store = _store(url)
        except Exception as exc:
            log.warning("last run of %s not recorded: %s", schedule, type(exc).__name__)
            return False
    return record_run(store, schedule, now or datetime.now(UTC), counts)
