from datetime import UTC, date, datetime

import pytest

from handlers.affiliates.models import Period
from handlers.affiliates.period import PERIOD_FORMS, PeriodError, parse_period

TODAY = date(2026, 12, 6)


def test_relative_periods_end_today_inclusive() -> None:
    assert parse_period("7d", "America/Los_Angeles", TODAY) == Period(start=date(2026, 11, 30), end=TODAY)
    assert parse_period("30D", "America/Los_Angeles", TODAY) == Period(start=date(2026, 11, 7), end=TODAY)


def test_empty_text_means_30_days() -> None:
    assert parse_period("", "Europe/London", TODAY).days == 30


def test_range_is_inclusive() -> None:
    period = parse_period("2026-11-01..2026-11-30", "Europe/Paris", TODAY)
    assert (period.start, period.end, period.days) == (date(2026, 11, 1), date(2026, 11, 30), 30)


def test_today_is_the_marketplace_local_day() -> None:
    # 05:00 UTC on 6 December is still 5 December in Los Angeles, already 6 December in Paris.
    now = datetime(2026, 12, 6, 5, 0, tzinfo=UTC)
    assert parse_period("7d", "America/Los_Angeles", now).end == date(2026, 12, 5)
    assert parse_period("7d", "Europe/Paris", now).end == date(2026, 12, 6)


@pytest.mark.parametrize(
    "text",
    ["14d", "last week", "2026-11-31..2026-12-01", "2026-12-01..2026-11-01", "2026-12-01..2026-12-07", "x" * 200],
)
def test_bad_periods_say_what_is_accepted(text: str) -> None:
    with pytest.raises(PeriodError) as err:
        parse_period(text, "America/Los_Angeles", TODAY)
    message = str(err.value)
    assert "Traceback" not in message
    assert PERIOD_FORMS in message or "first" in message or "after today" in message


def test_start_older_than_13_months_is_refused() -> None:
    with pytest.raises(PeriodError, match="13 months"):
        parse_period("2025-10-01..2025-10-31", "America/Los_Angeles", TODAY)
