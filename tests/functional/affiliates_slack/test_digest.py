"""The weekly affiliates digest over the fake Slack (HTTP) and a store: one message per account × marketplace ×
week, updated with chat.update when restated figures change, never posted twice (a retry, an overlapping run,
a lost ts), a refused post released for the next run, an audit entry per change."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from slack_sdk import WebClient

from bot.jobs.affiliates_digest import DIGEST_PK, DigestBook, pairs, run, week_end_for
from handlers.affiliates.models import AffiliatesUnavailable
from infra.accounts import load_accounts
from tests.unit.affiliates_slack.support import digest

NOW = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)  # Tuesday: the last whole week ended Sunday 2026-12-06


class Weekly:
    def __init__(self) -> None:
        self.sales = "100.00"
        self.calls: list[tuple[str, str, date]] = []
        self.unavailable_for: set[str] = set()

    def weekly(self, account, marketplace, week_end):
        self.calls.append((account.account_id, marketplace, week_end))
        if account.account_id in self.unavailable_for:
            return AffiliatesUnavailable(reason="no_credentials", message="no Ads credentials")
        d = digest()
        d.report.totals.sales = Decimal(self.sales)
        return d


@pytest.fixture
def slack(fake_slack):
    return WebClient(token=fake_slack.token, base_url=fake_slack.base_url)


def _run(source, store, slack, now=NOW):
    return run(source=source, store=store, slack=slack, accounts=load_accounts(), clock=now.timestamp)


def test_weeks_are_monday_to_sunday_in_the_marketplace_zone():
    assert week_end_for(NOW, "US") == date(2026, 12, 6)
    # Monday 07:00 UTC is still Sunday in Los Angeles: the week is not over there yet.
    monday_utc = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)
    assert week_end_for(monday_utc, "US") == date(2026, 11, 29) and week_end_for(monday_utc, "DE") == date(2026, 12, 6)


def test_one_message_per_pair_then_unchanged_then_updated_when_restated(store, slack, fake_slack):
    source = Weekly()
    counts = _run(source, store, slack)
    assert counts["posted"] == len(pairs(load_accounts())) == 4
    posts = fake_slack.calls_to("chat.postMessage")
    assert {p.params["channel"] for p in posts} == {"C0ACMEUS", "C0ACMECA", "C0GLOBEXUK", "C0GLOBEXDE"}
    assert "Weekly affiliates" in posts[0].params["text"]

    assert _run(source, store, slack)["unchanged"] == 4  # a retry or the next day: nothing new
    assert len(fake_slack.calls_to("chat.postMessage")) == 4 and not fake_slack.calls_to("chat.update")

    source.sales = "150.00"  # Amazon restated the week
    assert _run(source, store, slack)["updated"] == 4
    updates = fake_slack.calls_to("chat.update")
    assert len(updates) == 4 and "restated" in str(updates[0].params["blocks"])
    stored = {i.data["ts"] for i in store.query(DIGEST_PK)}
    assert {u.params["ts"] for u in updates} == stored and "" not in stored and len(stored) == 4
    assert len(fake_slack.calls_to("chat.postMessage")) == 4
    actions = [e.action for e in DigestBook(store, NOW.timestamp).audit_trail()]
    assert actions.count("affiliates_digest_posting") == 4 and actions.count("affiliates_digest_posted") == 4
    assert actions.count("affiliates_digest_updated") == 4


def test_a_claim_without_ts_is_never_posted_again(store, slack, fake_slack):
    source = Weekly()
    book = DigestBook(store, NOW.timestamp)
    _run(source, store, slack)
    # simulate a run that died after Slack's answer, before writing the ts
    key = book.key("acme", "US", date(2026, 12, 6))
    item = store.get(DIGEST_PK, key)
    assert item is not None
    store.update(DIGEST_PK, key, {**item.data, "ts": ""}, expected_version=item.version)
    counts = _run(source, store, slack)
    assert counts["claimed_elsewhere"] == 1 and len(fake_slack.calls_to("chat.postMessage")) == 4


def test_a_refused_post_is_released_and_posted_by_the_next_run(store, slack, fake_slack):
    source = Weekly()
    fake_slack.add_fault("chat.postMessage", "status:500", times=1)
    first = _run(source, store, slack)
    assert first["failed"] == 1 and first["posted"] == 3
    second = _run(source, store, slack)
    assert second["posted"] == 1 and second["unchanged"] == 3
    assert "affiliates_digest_post_failed" in [e.action for e in DigestBook(store, NOW.timestamp).audit_trail()]


def test_accounts_without_ads_credentials_get_nothing(store, slack, fake_slack):
    source = Weekly()
    source.unavailable_for = {"globex"}
    counts = _run(source, store, slack)
    assert counts["unavailable"] == 2 and counts["posted"] == 2
    assert {p.params["channel"] for p in fake_slack.calls_to("chat.postMessage")} == {"C0ACMEUS", "C0ACMECA"}


def test_the_week_s_figures_are_asked_for_each_pair(store, slack):
    source = Weekly()
    _run(source, store, slack)
    assert ("acme", "US", date(2026, 12, 6)) in source.calls and ("globex", "DE", date(2026, 12, 6)) in source.calls
