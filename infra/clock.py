"""Time in one place: epoch seconds and datetimes, always timezone-aware UTC.

Clocks are injected as `Callable[[], float]` returning epoch seconds (`time.time` in
production, a fake in tests); every stored or compared datetime is aware UTC.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], float]  # epoch seconds, like time.time

# Store keys sort lexicographically in time order with this layout (microseconds, "Z").
ISO_SORTABLE = "%Y-%m-%dT%H:%M:%S.%fZ"


def utc(ts: float) -> datetime:
    """The aware UTC datetime of epoch seconds `ts`."""
    return datetime.fromtimestamp(ts, tz=UTC)


def as_utc(dt: datetime) -> datetime:
    """`dt` in UTC; a naive datetime is taken to be UTC already."""
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def utc_now(clock: Clock | None = None) -> datetime:
    """Now, as an aware UTC datetime, read from `clock` (default: the wall clock)."""
    return utc((clock or time.time)())


def iso_sortable(dt: datetime) -> str:
    """`dt` in UTC as `2026-01-31T09:30:00.000000Z`: fixed width, so store keys sort by time."""
    return as_utc(dt).strftime(ISO_SORTABLE)
