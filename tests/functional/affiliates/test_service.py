"""AffiliatesService against the fake Attribution server: reports, profiles, tags, weekly, and every
way it is unavailable, each with a message that says what to do."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from handlers.affiliates import profiles
from handlers.affiliates.models import AffiliateReport, AffiliatesUnavailable, Period, WeeklyDigest
from handlers.affiliates.service import AffiliatesService
from infra.accounts import AccountConfig, MarketplaceConfig
from infra.ads.factory import AttributionClientFactory, client_factory_from_env
from infra.fakes.attribution import FakeAttribution, Fault
from infra.secrets import EnvCredentials
from infra.store.sqlite import SQLiteStore

from .conftest import NOW, US


def account(account_id: str, *codes: str) -> AccountConfig:
    return AccountConfig(
        account_id=account_id,
        name=account_id.title(),
        seller_id="A1",
        marketplaces=[MarketplaceConfig(code=c, alert_channel="C1") for c in codes],
    )


ACME, GLOBEX = account("acme", "US", "CA"), account("globex", "UK", "DE")
NOV = Period(start=date(2026, 11, 1), end=date(2026, 11, 30))


@pytest.fixture
def service(fake: FakeAttribution) -> AffiliatesService:
    env = fake.credentials_env()
    return AffiliatesService(
        client_factory_from_env(EnvCredentials(env), env), SQLiteStore(":memory:"), clock=NOW.timestamp
    )


def test_report_per_publisher_with_totals_and_brb(service: AffiliatesService, fake: FakeAttribution) -> None:
    report = service.report(ACME, "US", NOV)
    assert isinstance(report, AffiliateReport)
    assert (report.currency, report.zone, report.marketplace) == ("USD", "America/Los_Angeles", "US")
    assert report.brb_present and report.totals.brb_estimate is not None
    unmasked = [p for p in report.publishers if not p.masked]
    assert report.totals.sales == sum((p.sales or Decimal(0) for p in unmasked), Decimal(0))
    sales = [p.sales or Decimal(0) for p in unmasked]
    assert sales == sorted(sales, reverse=True)
    assert report.incomplete_from is None and report.totals.halo is not None  # brand halo kept apart
    assert any("brand-halo" in n for n in report.notes)
    sent = [json.loads(s.body) for s in fake.requests if s.path.endswith("/attribution/report")]
    assert sent and all(b["groupBy"] == "ADGROUP" and "brb_bonus_amount" in b["metrics"] for b in sent)
    assert any("promo codes" in n for n in report.notes)


def test_sums_match_amazons_rows_to_the_cent(service: AffiliatesService, fake: FakeAttribution) -> None:
    report = service.report(ACME, "US", NOV)
    assert isinstance(report, AffiliateReport)
    bodies = [json.loads(s.body) for s in fake.requests if s.path.endswith("/attribution/report")]
    assert bodies[0]["startDate"] == "20261101" and bodies[-1]["endDate"] == "20261130"
    assert report.totals.sales is not None and report.totals.sales == report.totals.sales.quantize(Decimal("0.01"))


def test_masked_publisher_is_unknown_and_last(service: AffiliatesService) -> None:
    report = service.report(ACME, "US", Period(start=date(2026, 9, 8), end=date(2026, 12, 6)), by_tag=True)
    assert isinstance(report, AffiliateReport)
    assert report.masked_rows == 1 and report.publishers[-1].masked and report.publishers[-1].sales is None
    assert any("10-click threshold" in n and "not zero sales" in n for n in report.notes)


def test_last_two_days_are_flagged(service: AffiliatesService) -> None:
    report = service.report(ACME, "US", Period(start=date(2026, 11, 30), end=date(2026, 12, 6)))
    assert isinstance(report, AffiliateReport)
    assert report.incomplete_from == date(2026, 12, 5) and any("incomplete" in n for n in report.notes)


def test_long_periods_are_pulled_in_31_day_windows(service: AffiliatesService, fake: FakeAttribution) -> None:
    fake.settings.max_span_days = 31
    report = service.report(ACME, "US", Period(start=date(2026, 9, 8), end=date(2026, 12, 6)))
    assert isinstance(report, AffiliateReport) and report.totals.sales


def test_no_brb_for_a_non_enrolled_brand(service: AffiliatesService) -> None:
    report = service.report(GLOBEX, "UK", NOV)
    assert isinstance(report, AffiliateReport)
    assert not report.brb_present and report.totals.brb_estimate is None
    assert all(p.brb_estimate is None for p in report.publishers)
    assert report.currency == "GBP" and report.zone == "Europe/London"


def test_profile_is_discovered_once_stored_and_audited(service: AffiliatesService, fake: FakeAttribution) -> None:
    service.report(ACME, "US", NOV)
    service.report(ACME, "US", NOV)
    assert sum(1 for s in fake.requests if s.path.endswith("/v2/profiles")) == 1
    kept = profiles.stored(service._store, "acme", "US")
    assert kept is not None and kept.profile_id == US and kept.currency == "USD"
    assert [i.data["action"] for i in service._store.query("ADSPROFILEAUDIT#acme")] == ["discovered"]


def test_legacy_attribution_only_profile_is_skipped(service: AffiliatesService) -> None:
    service.report(ACME, "US", NOV)
    kept = profiles.stored(service._store, "acme", "US")
    assert kept is not None and kept.profile_id != 3312910465830000


@pytest.mark.parametrize(
    ("acct", "mp", "reason", "words"),
    [
        (ACME, "JP", "marketplace_not_supported", "US, CA, MX, UK, DE, FR, IT, ES and NL"),
        (ACME, "UK", "no_profile", "no UK profile"),
        (GLOBEX, "DE", "amazon_error", "may not be eligible"),
        (account("initech", "US"), "US", "no_credentials", "Amazon Ads credentials"),
    ],
)
def test_unavailable_says_what_to_do(
    service: AffiliatesService, acct: AccountConfig, mp: str, reason: str, words: str
) -> None:
    answer = service.report(acct, mp, NOV)
    assert isinstance(answer, AffiliatesUnavailable)
    assert answer.reason == reason and words in answer.message and "Error" not in answer.message


@pytest.mark.parametrize(
    ("kind", "words"), [("429", "busy"), ("500", "Try again later"), ("400_message", "refused the report")]
)
def test_amazon_errors_become_plain_messages(
    service: AffiliatesService, fake: FakeAttribution, kind: str, words: str
) -> None:
    fake.faults.append(Fault("/attribution/report", kind, times=10))
    env = fake.credentials_env()
    factory = AttributionClientFactory(
        EnvCredentials(env), endpoint=fake.endpoint, lwa_endpoint=fake.base_url, sleep=lambda seconds: None
    )
    answer = AffiliatesService(factory, service._store, NOW.timestamp).report(ACME, "US", NOV)
    assert isinstance(answer, AffiliatesUnavailable) and answer.reason == "amazon_error" and words in answer.message


def test_refused_profile_is_forgotten_and_rediscovered(service: AffiliatesService, fake: FakeAttribution) -> None:
    service.report(ACME, "US", NOV)
    fake.faults.append(Fault("/attribution/report", "401_expired"))
    answer = service.report(ACME, "US", NOV)
    assert isinstance(answer, AffiliatesUnavailable) and "profile" in answer.message
    assert profiles.stored(service._store, "acme", "US") is None
    assert isinstance(service.report(ACME, "US", NOV), AffiliateReport)
    actions = sorted(i.data["action"] for i in service._store.query("ADSPROFILEAUDIT#acme"))  # one fixed clock
    assert actions == ["discovered", "discovered", "forgotten"]


def test_tags_macro_and_template_links(service: AffiliatesService, fake: FakeAttribution) -> None:
    links = service.tags(ACME, "US", None, "B0ABCDEFGH")
    assert isinstance(links, list) and len(links) == 10
    google = next(link for link in links if link.publisher == "Google Ads")
    assert google.macro and google.url.startswith("https://www.amazon.com/dp/B0ABCDEFGH?maas=")
    blog = service.tags(ACME, "US", "blogpost", None)
    assert isinstance(blog, list) and [link.publisher for link in blog] == ["Blogpost - Other"]
    assert not blog[0].macro and blog[0].url.startswith("?maas=") and "{insertCampaignId}" in blog[0].url
    fake.settings.tag_shape = "wrapped"
    assert service.tags(ACME, "US", "blogpost", None) == blog
    assert isinstance(service.tags(ACME, "US", None, "not an asin!"), AffiliatesUnavailable)


def test_weekly_digest(service: AffiliatesService) -> None:
    digest = service.weekly(ACME, "US", date(2026, 11, 29))
    assert isinstance(digest, WeeklyDigest)
    assert digest.report.start == date(2026, 11, 23) and digest.previous_totals is not None
    assert 0 < len(digest.top) <= 5 and all(not p.masked for p in digest.top)


def test_restated_data_shows_on_the_next_pull(service: AffiliatesService, fake: FakeAttribution) -> None:
    first = service.report(ACME, "US", NOV)
    fake.restate()
    second = service.report(ACME, "US", NOV)
    assert isinstance(first, AffiliateReport) and isinstance(second, AffiliateReport)
    assert second.totals.sales is not None and first.totals.sales is not None
    assert second.totals.sales < first.totals.sales
