"""What a person may type for an affiliate report's period, as whole days in the marketplace's zone.

Forms: `7d` (the last 7 days, today included), `30d`, and `YYYY-MM-DD..YYYY-MM-DD` (both days
included). Days are the marketplace's local days (the Ads profile's time zone), so "today" in the US
is today in Los Angeles. Amazon keeps PERFORMANCE data for 13 months (amazon-attribution.md §3.1), so
an older start is refused, and so is a day after today.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from handlers.affiliates.models import Period

PERIOD_FORMS = "7d, 30d or YYYY-MM-DD..YYYY-MM-DD (e.g. 2026-11-01..2026-11-30)"
DEFAULT_PERIOD = "30d"
MAX_INPUT_CHARS = 40
# 13 months back, counted generously in days (Amazon: "the last 13 months").
MAX_AGE_DAYS = 395
_RELATIVE = {"7d": 7, "30d": 30}
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")


class PeriodError(ValueError):
    """Text that is not a period; the message says which forms are accepted."""


def local_today(zone: str | ZoneInfo, now: datetime) -> date:
    """Today in `zone` at the aware instant `now`."""
    tz = zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)
    return now.astimezone(tz).date()


def parse_period(text: str, zone: str | ZoneInfo, today: date | datetime) -> Period:
    """The period `text` names; `today` is a local date, or an aware instant read in `zone`."""
    day = local_today(zone, today) if isinstance(today, datetime) else today
    value = (text or DEFAULT_PERIOD).strip().lower()
    if len(value) > MAX_INPUT_CHARS:
        raise PeriodError(f"That period is too long. Use {PERIOD_FORMS}.")
    if value in _RELATIVE:
        return Period(start=day - timedelta(days=_RELATIVE[value] - 1), end=day)
    match = _RANGE.match(value)
    if match is None:
        raise PeriodError(f"I can't read the period {text.strip()[:MAX_INPUT_CHARS]!r}. Use {PERIOD_FORMS}.")
    try:
        start, end = (date.fromisoformat(match.group(i)) for i in (1, 2))
    except ValueError:
        raise PeriodError(f"One of those dates does not exist. Use {PERIOD_FORMS}.") from None
    if start > end:
        raise PeriodError("The period starts after it ends: put the earlier date first.")
    if end > day:
        raise PeriodError(f"The period ends after today ({day.isoformat()} in the marketplace's time zone).")
    if (day - start).days > MAX_AGE_DAYS:
        raise PeriodError("Amazon keeps Attribution data for 13 months: choose a start within that.")
    return Period(start=start, end=end)
