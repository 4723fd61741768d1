"""What a person may type for a promotion's start or end, read in the marketplace's local time.

Seller Central enters and shows promotion times in the marketplace's time zone, so a code planned
for 1 December in the US starts at 00:00 Pacific time, not at 00:00 UTC (which is still 30 November
there). Grammar, for a start or an end:

- `YYYY-MM-DD`: the whole local day (a start at 00:00, an end at 23:59:59);
- `YYYY-MM-DDTHH:MM[:SS]`: that local time; with `Z` or `+HH:MM` the given offset is honoured;
- `today`, `tomorrow`, `+3d`, `+2w`: days or weeks from today in that marketplace, as whole days.

`START..END` joins the two in one word. Every result is an aware UTC datetime, the stored form.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

from infra.marketplaces import end_of_day, local, local_today, start_of_day, zone_of

# For messages: what a date may look like.
DATE_FORMS = "YYYY-MM-DD (e.g. 2026-12-01), today, tomorrow, +3d or +2w"
RANGE_SEPARATOR = ".."
_RELATIVE = re.compile(r"^\+(\d{1,3})([dw])$", re.IGNORECASE)
_NAMED = {"today": 0, "tomorrow": 1}
_LAST_SECOND = time(23, 59, 59)


def resolve(value: object, *, marketplace: str, now: datetime, end: bool) -> datetime | None:
    """`value` (text, date or datetime) as aware UTC; None when it is not a date this grammar reads."""
    if isinstance(value, datetime):
        return _aware(value, marketplace)
    if isinstance(value, date):
        return _day_bound(value, marketplace, end=end)
    if not isinstance(value, str):
        return None
    text = value.strip().lower()
    day = _relative_day(text, marketplace, now)
    if day is not None:
        return _day_bound(day, marketplace, end=end)
    if len(text) == 10:
        try:
            return _day_bound(date.fromisoformat(text), marketplace, end=end)
        except ValueError:
            return None
    try:
        return _aware(datetime.fromisoformat(value.strip().upper().replace("Z", "+00:00")), marketplace)
    except ValueError:
        return None


def split_range(text: str) -> tuple[str, str] | None:
    """`START..END` → (start, end); None unless both sides are there."""
    start, sep, end = text.partition(RANGE_SEPARATOR)
    return (start, end) if sep and start and end else None


def local_days(start: datetime, end: datetime, marketplace: str) -> float:
    """How long a promotion runs, counted on the local wall clock (so a DST week does not add an hour).

    An end at 23:59:59 local means the whole day, so 1 December..30 December is 30 days exactly.
    """
    wall_start = local(start, marketplace).replace(tzinfo=None)
    wall_end = local(end, marketplace).replace(tzinfo=None)
    if wall_end.time() == _LAST_SECOND:
        wall_end += timedelta(seconds=1)
    return (wall_end - wall_start).total_seconds() / 86400


def _relative_day(text: str, marketplace: str, now: datetime) -> date | None:
    if text in _NAMED:
        return local_today(now, marketplace) + timedelta(days=_NAMED[text])
    m = _RELATIVE.match(text)
    if m is None:
        return None
    count = int(m.group(1)) * (7 if m.group(2) == "w" else 1)
    return local_today(now, marketplace) + timedelta(days=count)


def _day_bound(day: date, marketplace: str, *, end: bool) -> datetime:
    return end_of_day(day, marketplace) if end else start_of_day(day, marketplace)


def _aware(dt: datetime, marketplace: str) -> datetime:
    """A naive datetime is the marketplace's local time; an aware one keeps its offset."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=zone_of(marketplace))
    return dt.astimezone(UTC)
