"""The audit entry every state change of an alert or a promotion writes next to it.

Each domain adds what identifies its step (an alert's `episode`, a promotion's
`from_status`/`to_status`); the fields here are stored under these names by all of them.
Review requests keep their own entry (`handlers.reviews.ledger.ReviewAuditEntry`): it is
stored with different names (`who`, `what`, a text `detail`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class AuditEntry(BaseModel):
    """Who did what, when; `detail` holds the action's own values (a reason, a target, ...)."""

    at: datetime
    by: str
    action: str
    detail: dict[str, Any] = Field(default_factory=dict)
