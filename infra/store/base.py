"""The storage contract every state change goes through.

Items live in one logical table keyed by (pk, sk), the way a DynamoDB single
table does. Every write is conditional: `put_if_absent` for creation and
compare-and-swap on `version` for updates, so a retried Slack request, a double
click or a Lambda retry can never apply the same change twice.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel, Field


class ConditionFailed(Exception):
    """A conditional write lost: the item exists already or changed under us."""

    def __init__(self, pk: str, sk: str, reason: str = "condition failed") -> None:
        super().__init__(f"{reason}: {pk}/{sk}")
        self.pk = pk
        self.sk = sk
        self.reason = reason


class StoreUnavailable(Exception):
    """The backend refused or throttled after its own retries; safe to retry later."""


class Item(BaseModel):
    pk: str = Field(min_length=1)
    sk: str = Field(min_length=1)
    data: dict[str, Any] = Field(default_factory=dict)
    version: int = 1
    # Epoch seconds. An item past its expiry is treated as absent even before
    # the backend deletes it (DynamoDB TTL may lag by up to 48 h).
    expires_at: int | None = None

    def is_expired(self, now: float | None = None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now if now is not None else time.time())


class Put(BaseModel):
    """Transaction step: create `item`, failing if a live item has its key."""

    item: Item


class Update(BaseModel):
    """Transaction step: replace data of (pk, sk) if its version is `expected_version`."""

    pk: str
    sk: str
    data: dict[str, Any]
    expected_version: int
    expires_at: int | None = None


@runtime_checkable
class Store(Protocol):
    def get(self, pk: str, sk: str) -> Item | None:
        """The live item, or None if absent or expired."""

    def put_if_absent(self, item: Item) -> bool:
        """Create the item. False (and no change) if a live item has the key."""

    def update(
        self, pk: str, sk: str, data: dict[str, Any], *, expected_version: int, expires_at: int | None = None
    ) -> Item:
        """Replace `data` when the stored version equals `expected_version`.

        Returns the new item (version + 1). Raises ConditionFailed otherwise,
        including when the item is absent or expired.
        """

    def delete(self, pk: str, sk: str, *, expected_version: int | None = None) -> bool:
        """Delete; with expected_version, only if it still matches (ConditionFailed otherwise)."""

    def query(self, pk: str, *, prefix: str = "", limit: int | None = None, descending: bool = False) -> list[Item]:
        """Live items of one partition whose sk starts with `prefix`, ordered by sk."""

    def transact(self, steps: Sequence[Put | Update]) -> None:
        """All steps or none. Raises ConditionFailed naming the first failing key."""
