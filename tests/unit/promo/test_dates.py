"""The promo date grammar: every date is read in the marketplace's local time and stored as UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from handlers.promo.dates import local_days, resolve, split_range

# 05:00 UTC on 24 Nov: still 23 Nov (21:00 PST) in the US, already 24 Nov (14:00 JST) in Japan.
NOW = datetime(2026, 11, 24, 5, 0, tzinfo=UTC)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_us_date_only_start_is_local_midnight():
    # 1 December in the US starts at 00:00 PST, which is 08:00 UTC; not 30 November.
    assert resolve("2026-12-01", marketplace="US", now=NOW, end=False) == utc(2026, 12, 1, 8, 0)
    assert resolve("2026-12-15", marketplace="US", now=NOW, end=True) == utc(2026, 12, 16, 7, 59, 59)


def test_jp_date_only_is_tokyo_day():
    assert resolve("2026-12-01", marketplace="JP", now=NOW, end=False) == utc(2026, 11, 30, 15, 0)
    assert resolve("2026-12-01", marketplace="JP", now=NOW, end=True) == utc(2026, 12, 1, 14, 59, 59)


def test_uk_summer_and_winter():
    assert resolve("2026-07-01", marketplace="UK", now=NOW, end=False) == utc(2026, 6, 30, 23, 0)  # BST
    assert resolve("2026-12-01", marketplace="UK", now=NOW, end=False) == utc(2026, 12, 1, 0, 0)  # GMT


def test_naive_datetime_is_local_and_offset_is_honoured():
    assert resolve("2026-12-01T10:00", marketplace="US", now=NOW, end=False) == utc(2026, 12, 1, 18, 0)
    assert resolve("2026-12-01T10:00Z", marketplace="US", now=NOW, end=False) == utc(2026, 12, 1, 10, 0)
    assert resolve("2026-12-01T10:00+09:00", marketplace="US", now=NOW, end=False) == utc(2026, 12, 1, 1, 0)
    assert resolve(datetime(2026, 12, 1, 10, 0), marketplace="JP", now=NOW, end=False) == utc(2026, 12, 1, 1, 0)
    assert resolve(date(2026, 12, 1), marketplace="US", now=NOW, end=False) == utc(2026, 12, 1, 8, 0)


@pytest.mark.parametrize(
    "text, end, expected",
    [
        # US local today is 23 Nov (21:00 PST on 23 Nov).
        ("today", False, utc(2026, 11, 23, 8, 0)),
        ("tomorrow", False, utc(2026, 11, 24, 8, 0)),
        ("Tomorrow", False, utc(2026, 11, 24, 8, 0)),
        ("+1d", False, utc(2026, 11, 24, 8, 0)),
        ("+3d", True, utc(2026, 11, 27, 7, 59, 59)),
        ("+2w", True, utc(2026, 12, 8, 7, 59, 59)),
        ("+15D", True, utc(2026, 12, 9, 7, 59, 59)),
    ],
)
def test_relative_dates_count_from_local_today(text, end, expected):
    assert resolve(text, marketplace="US", now=NOW, end=end) == expected


def test_relative_dates_in_japan_use_tokyo_today():
    # Japan's today is already 24 Nov, so tomorrow is 25 Nov 00:00 JST.
    assert resolve("tomorrow", marketplace="JP", now=NOW, end=False) == utc(2026, 11, 24, 15, 0)


@pytest.mark.parametrize("bad", ["", "soon", "+d", "+3", "+3m", "-3d", "+1000d", "2026-13-01", "15/12/2026", None, 7])
def test_unreadable_dates_are_none(bad):
    assert resolve(bad, marketplace="US", now=NOW, end=False) is None


def test_split_range():
    assert split_range("+1d..+15d") == ("+1d", "+15d")
    assert split_range("tomorrow..+2w") == ("tomorrow", "+2w")
    assert split_range("2026-12-01T10:00..2026-12-15") == ("2026-12-01T10:00", "2026-12-15")
    assert split_range("2026-12-01") is None
    assert split_range("..+2w") is None


def test_thirty_days_across_dst_are_thirty_days():
    # US summer time ends on 1 Nov 2026: in UTC this span is 30 days and 1 hour.
    start = resolve("2026-10-15", marketplace="US", now=NOW, end=False)
    end = resolve("2026-11-13", marketplace="US", now=NOW, end=True)
    assert (end - start).total_seconds() / 86400 > 30.04
    assert local_days(start, end, "US") == 30
    # Europe: summer time ends on 25 Oct 2026.
    start = resolve("2026-10-10", marketplace="DE", now=NOW, end=False)
    end = resolve("2026-11-08", marketplace="DE", now=NOW, end=True)
    assert local_days(start, end, "DE") == 30


def test_local_days_of_timed_promotion():
    start = resolve("2026-12-01T12:00", marketplace="US", now=NOW, end=False)
    end = resolve("2026-12-02T00:00", marketplace="US", now=NOW, end=True)
    assert local_days(start, end, "US") == 0.5
