"""`/affiliates` words: defaults like /promo report, the access rule, bounded input, errors that say what to type."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.access import AccessRefused, AccountGate
from bot.commands import UsageError
from bot.listeners.affiliates import parse_affiliates
from infra.accounts import load_accounts

NOW = datetime(2026, 12, 6, 7, 0, tzinfo=UTC)  # 2026-12-05 23:00 in Los Angeles


class _Slack:
    def usergroups_users_list(self, usergroup: str) -> dict:
        return {"users": ["U0ALICE"] if usergroup == "S0ACMEOPS" else []}


class _Deps:
    def __init__(self) -> None:
        self.accounts = load_accounts()
        self.clock = NOW.timestamp
        self.access = AccountGate(self.accounts, _Slack(), self.clock)  # type: ignore[arg-type]


def _parse(text: str, user: str = "U0DEMOUSER", channel: str = "C0DEMO"):
    return parse_affiliates(text, _Deps(), {"user_id": user, "channel_id": channel, "text": text})  # type: ignore[arg-type]


def test_defaults_are_the_callers_account_its_first_attribution_marketplace_and_30_local_days():
    r = _parse("")
    assert (r.account, r.marketplace, r.by_tag, r.tags) == ("acme", "US", False, False)
    assert r.period is not None and (r.period.start, r.period.end) == (date(2026, 11, 6), date(2026, 12, 5))


def test_account_marketplace_period_and_per_tag_in_any_order_after_the_account():
    r = _parse("globex DE 7d per-tag")
    assert (r.account, r.marketplace, r.by_tag) == ("globex", "DE", True)
    assert r.period is not None and r.period.start == date(2026, 11, 30)
    r = _parse("acme 2026-11-01..2026-11-30")
    assert r.period is not None and (r.period.start, r.period.end) == (date(2026, 11, 1), date(2026, 11, 30))


def test_the_channel_picks_the_account():
    assert _parse("", channel="C0GLOBEXUK").account == "globex"


def test_errors_say_what_to_type():
    with pytest.raises(UsageError, match="7d, 30d or YYYY-MM-DD"):
        _parse("acme 12d")
    with pytest.raises(UsageError, match="has no marketplace `DE`; it has US, CA"):
        _parse("acme DE")
    with pytest.raises(UsageError, match="only for US, CA, MX, UK, DE, FR, IT, ES, NL"):
        _parse("acme JP")
    with pytest.raises(UsageError, match=r"(?i)unknown account|no account"):
        _parse("initech")
    with pytest.raises(UsageError, match="longer than"):
        _parse("x" * 301)
    with pytest.raises(UsageError) as exc:
        _parse("help")
    assert exc.value.usage and "/affiliates tags" in exc.value.usage


def test_someone_without_the_account_is_refused():
    with pytest.raises(AccessRefused):
        _parse("globex UK", user="U0ALICE", channel="C0RANDOM")
    assert _parse("acme", user="U0ALICE", channel="C0RANDOM").account == "acme"


def test_tags_take_a_publisher_and_an_asin():
    r = _parse("tags acme US Google Ads --asin b0example1")
    assert (r.tags, r.account, r.marketplace, r.publisher, r.asin) == (True, "acme", "US", "Google Ads", "B0EXAMPLE1")
    assert _parse("tags").publisher is None
    with pytest.raises(UsageError, match="10-character ASIN"):
        _parse("tags --asin ../../x")
