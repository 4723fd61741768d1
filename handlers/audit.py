"""The audit entry every state change of an alert or a promotion writes next to it.

Each domain adds what identifies its step (an alert's `episode`, a promotion's
`from_status`/`to_status`); the fields here are stored under these names by all of them.
Review requests keep their own entry (`handlers.reviews.ledger.ReviewAuditEntry`): it is
stored with different names (`who`, `what`, a text `detail`).
"""

from __future__ import annotations

import time
import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from infra.store.base import Item, Put


class AuditEntry(BaseModel):
    """Who did what, when; `detail` holds the action's own values (a reason, a target, ...)."""

    at: datetime
    by: str
    action: str
    detail: dict[str, Any] = Field(default_factory=dict)


def audit_put(pk: str, entry: AuditEntry) -> Put:
    """The store step that writes `entry` under `pk`, its sort key in time order: the wall clock in ns orders
    entries of the same (possibly fixed, in tests) `at`, a random tail keeps two processes apart."""
    sk = f"{entry.at.isoformat()}#{time.time_ns():020d}#{uuid.uuid4().hex[:6]}"
    return Put(item=Item(pk=pk, sk=sk, data=entry.model_dump(mode="json")))
