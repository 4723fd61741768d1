from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from handlers.promo.models import PromoStatus, Promotion
from handlers.promo.rules import PromoRules, canonical_code
from handlers.promo.validation import FIELDS, marketplace_needed, sharing_offered, validate
from infra.accounts import AccountConfig, MarketplaceConfig
from tests.support.promo import NOW, raw_request


@pytest.fixture
def uk_account() -> AccountConfig:
    """Like the demo's globex: sells only in the UK, not in Brand Registry."""
    return AccountConfig(
        account_id="globex",
        name="Globex",
        seller_id="A2",
        marketplaces=[MarketplaceConfig(code="UK", alert_channel="C3")],
    )


def fields(issues) -> set[str]:
    return {i.field for i in issues}


def test_valid_request_builds_uppercase_draft(account):
    r = validate(raw_request(code="summersale", percent_off="20%"), account=account, now=NOW)
    assert r.ok and r.errors == []
    assert r.draft.code == "SUMMERSALE" and r.draft.percent_off == 20 and r.draft.account_id == "acme"
    assert r.draft.end - r.draft.start < timedelta(days=20)
    # The sharing choice is irreversible: said wherever Amazon offers it.
    assert any(w.field == "share_with_influencers" and "cannot be changed" in w.message for w in r.warnings)


@pytest.mark.parametrize(
    "over, field, needle",
    [
        ({"code": "SHORT"}, "code", "8–12"),
        ({"code": "WAYTOOLONGCODE1"}, "code", "8–12"),
        ({"code": "SUMMER-SALE"}, "code", "letters A–Z and digits"),
        ({"code": ""}, "code", "required"),
        ({"code": 12345678}, "code", "required"),
        ({"percent_off": "twenty"}, "percent_off", "not a number"),
        ({"percent_off": "120%"}, "percent_off", "between 5 and 80"),
        ({"percent_off": 4}, "percent_off", "between 5 and 80"),
        ({"percent_off": None}, "percent_off", "required"),
        ({"asins": []}, "asins", "at least one"),
        ({"asins": ["B0ABC DEF!"]}, "asins", "neither an ASIN"),
        ({"asins": 42}, "asins", "list of ASINs"),
        ({"start": "2026-13-01"}, "start", "YYYY-MM-DD"),
        ({"end": "15/12/2026"}, "end", "YYYY-MM-DD"),
        ({"start": "2026-11-24T10:00:00Z"}, "start", "too soon"),
        ({"end": "2026-11-30"}, "end", "not after the start"),
        ({"end": "2027-01-05"}, "end", "at most 30"),
        ({"marketplace": "XX"}, "marketplace", "use one of"),
        ({"marketplace": "UK", "share_with_influencers": False}, "marketplace", "does not sell in UK"),
        ({"marketplace": "CA"}, "share_with_influencers", "only in US"),
        ({"share_with_influencers": "maybe"}, "share_with_influencers", "yes or no"),
        ({"one_per_customer": "perhaps"}, "one_per_customer", "yes or no"),
        ({"note": "x" * 501}, "note", "500"),
        ({"colour": "red"}, "colour", "unknown field"),
    ],
)
def test_each_rule_names_field_and_fix(account, over, field, needle):
    r = validate(raw_request(**over), account=account, now=NOW)
    assert not r.ok and r.draft is None
    hit = [e for e in r.errors if e.field == field]
    assert hit, r.errors
    assert needle in hit[0].message


def test_boundaries_are_inclusive(account):
    assert validate(raw_request(percent_off="5"), account=account, now=NOW).ok
    assert validate(raw_request(percent_off="80 %"), account=account, now=NOW).ok
    assert validate(raw_request(code="ABCDEFGH"), account=account, now=NOW).ok
    assert validate(raw_request(code="ABCDEFGHJKLM"), account=account, now=NOW).ok
    # 30 full days: 2026-12-01 00:00 → 2026-12-30 23:59:59
    assert validate(raw_request(end="2026-12-30"), account=account, now=NOW).ok
    assert validate(raw_request(start="2026-11-24T13:00:00Z", end="2026-12-20"), account=account, now=NOW).ok


def test_too_long_suggests_last_whole_day(account):
    r = validate(raw_request(end="2027-01-05"), account=account, now=NOW)
    assert "end on 2026-12-30 at the latest" in r.errors[0].message
    assert validate(raw_request(end="2026-12-30"), account=account, now=NOW).ok


def test_short_promotion_warns(account):
    r = validate(raw_request(end="2026-12-05"), account=account, now=NOW)
    assert r.ok and "end" in fields(r.warnings)


def test_confusables_warn_and_canonicalise(account):
    assert canonical_code("top10tix") == canonical_code("TOPIOTIX") == "TOPIOTIX"
    r = validate(raw_request(code="TOP10TIXS"), account=account, now=NOW)
    (warning,) = [w for w in r.warnings if w.field == "code"]
    assert r.ok and "1 as I and 0 as O" in warning.message and "TOPIOTIXS" in warning.message


@pytest.mark.parametrize("code", ["PROMOSALE", "WINTERDEAL", "SUMMER2026"])
def test_no_lookalike_warning_without_folded_digits(account, code):
    # O and I alone are stored as typed; 2 and 6 fold to nothing. (SUMMER2026 has a 0: see below.)
    r = validate(raw_request(code=code), account=account, now=NOW)
    assert r.ok
    assert ("code" in fields(r.warnings)) == ("0" in code or "1" in code)


def test_brand_registry_required_for_sharing(account):
    account.brand_registry = False
    r = validate(raw_request(), account=account, now=NOW)
    assert not r.ok and any("Brand Registry" in e.message for e in r.errors if e.field == "share_with_influencers")
    assert validate(raw_request(share_with_influencers="no"), account=account, now=NOW).ok
    relaxed = PromoRules(sharing_requires_brand_registry=False, sharing_marketplaces=["US", "CA"])
    assert validate(raw_request(marketplace="CA"), account=account, now=NOW, rules=relaxed).ok


def _existing(code: str, asins: list[str], status=PromoStatus.PENDING_APPROVAL) -> Promotion:
    r = validate(raw_request(code=code, asins=asins), account=None, now=NOW)
    return Promotion(
        **r.draft.model_dump() | {"account_id": "acme"}, id="p1", status=status, requester="U1", created_at=NOW
    )


def test_duplicate_code_after_canonicalisation_rejected(account):
    other = _existing("TOPIOTIXS", ["B0ZZZZZZZ1"])
    r = validate(raw_request(code="top10tixs"), account=account, existing=[other], now=NOW)
    assert not r.ok and any(e.field == "code" and "already exists" in e.message for e in r.errors)


def test_overlapping_asin_warns_but_ended_does_not(account):
    other = _existing("WINTERSALE", ["B0ABCDEFGH"])
    r = validate(raw_request(), account=account, existing=[other], now=NOW)
    assert r.ok and any(w.field == "asins" and "WINTERSALE" in w.message for w in r.warnings)
    ended = _existing("WINTERSALE", ["B0ABCDEFGH"], PromoStatus.ENDED)
    assert "asins" not in fields(validate(raw_request(), account=account, existing=[ended], now=NOW).warnings)


def test_asin_string_and_sku_accepted(account):
    r = validate(raw_request(asins="b0abcdefgh, SKU-RED-1"), account=account, now=NOW)
    assert r.ok and r.draft.asins == ["B0ABCDEFGH", "SKU-RED-1"]


def test_non_object_input_is_an_error_not_exception(account):
    r = validate(["nope"], account=account, now=NOW)  # type: ignore[arg-type]
    assert not r.ok and r.errors[0].field == "request"


def test_contract_shape(account):
    out = validate(raw_request(percent_off="abc"), account=account, now=NOW).contract()
    assert set(out) == {"ok", "errors", "warnings"}
    assert all(set(e) == {"field", "message"} for e in out["errors"] + out["warnings"])


# -- marketplace time ---------------------------------------------------------------------------------


def test_us_dates_are_local_and_stored_as_utc(account):
    # 1 December in the US starts 00:00 PST = 08:00 UTC, and 20 December ends 23:59:59 PST.
    r = validate(raw_request(), account=account, now=NOW)
    assert r.draft.start == datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    assert r.draft.end == datetime(2026, 12, 21, 7, 59, 59, tzinfo=UTC)


def test_relative_dates_in_the_json_contract(account):
    # NOW is 01:00 PST on 24 Nov: +1d..+15d is 25 Nov 00:00 PST .. 9 Dec 23:59:59 PST.
    r = validate(raw_request(start="+1d", end="+15d"), account=account, now=NOW)
    assert r.ok, r.errors
    assert r.draft.start == datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    assert r.draft.end == datetime(2026, 12, 10, 7, 59, 59, tzinfo=UTC)
    assert validate(raw_request(start="tomorrow", end="+2w"), account=account, now=NOW).ok


def test_thirty_local_days_across_dst_are_allowed(account):
    now = datetime(2026, 10, 1, tzinfo=UTC)
    # US summer time ends on 1 Nov: 15 Oct..13 Nov is 30 local days but 30 days and 1 hour in UTC.
    assert validate(raw_request(start="2026-10-15", end="2026-11-13"), account=account, now=now).ok
    r = validate(raw_request(start="2026-10-15", end="2026-11-14"), account=account, now=now)
    assert not r.ok and "end on 2026-11-13 at the latest" in r.errors[0].message


def test_two_whole_weeks_get_no_short_warning(account):
    assert "end" not in fields(validate(raw_request(end="2026-12-14"), account=account, now=NOW).warnings)
    assert "end" in fields(validate(raw_request(end="2026-12-13"), account=account, now=NOW).warnings)


def test_messages_show_marketplace_local_time(account):
    r = validate(raw_request(start="2026-11-24T10:00:00Z"), account=account, now=NOW)
    message = next(e.message for e in r.errors if e.field == "start")
    # 10:00 UTC is 02:00 PST; the earliest start (NOW + 4 h) is 05:00 PST.
    assert "2026-11-24 02:00 PST" in message and "2026-11-24 05:00 PST" in message and "UTC" not in message


def test_lead_time_in_japan(account):
    account.marketplaces[0].code = "JP"
    # NOW is 18:00 JST on 24 Nov, so a code starting tomorrow 00:00 JST (6 h later) is fine; today is not.
    assert validate(
        raw_request(marketplace="JP", start="tomorrow", end="+15d", share_with_influencers=None),
        account=account,
        now=NOW,
    ).ok
    r = validate(
        raw_request(marketplace="JP", start="today", end="+15d", share_with_influencers=None), account=account, now=NOW
    )
    assert "2026-11-24 22:00 JST" in r.errors[0].message


# -- defaults from the account -----------------------------------------------------------------------


def test_single_marketplace_account_defaults_to_it(uk_account):
    r = validate(raw_request(marketplace=None, share_with_influencers=None), account=uk_account, now=NOW)
    assert r.ok and r.draft.marketplace == "UK" and "marketplace" not in fields(r.warnings)


def test_several_marketplaces_assume_the_first_and_say_so(account):
    r = validate(raw_request(marketplace=None), account=account, now=NOW)
    assert r.ok and r.draft.marketplace == "US"
    assert any("assumed US" in w.message for w in r.warnings if w.field == "marketplace")


def test_inline_request_without_marketplace_is_asked(account, uk_account):
    account.name = "Acme Outdoor"
    issue = marketplace_needed({"code": "X"}, account)
    assert issue.message == "Acme Outdoor sells in US and CA: add --marketplace US or --marketplace CA"
    assert marketplace_needed({"marketplace": "CA"}, account) is None
    assert marketplace_needed({}, uk_account) is None


def test_sharing_defaults_off_where_not_offered(uk_account):
    r = validate(raw_request(marketplace="UK", share_with_influencers=None), account=uk_account, now=NOW)
    assert r.ok and r.draft.share_with_influencers is False
    assert "share_with_influencers" not in fields(r.warnings)


def test_explicit_sharing_outside_us_says_why(uk_account):
    r = validate(raw_request(marketplace="UK", share_with_influencers="yes"), account=uk_account, now=NOW)
    (e,) = [e for e in r.errors if e.field == "share_with_influencers"]
    assert "only in US" in e.message and "not in UK" in e.message and "leave sharing out" in e.message


def test_sharing_needs_brand_registry_even_in_us(account):
    account.brand_registry = False
    r = validate(raw_request(share_with_influencers=None), account=account, now=NOW)
    assert r.ok and r.draft.share_with_influencers is False and "share_with_influencers" not in fields(r.warnings)


def test_sharing_where_offered_is_on_by_default_and_final(account):
    r = validate(raw_request(share_with_influencers=None), account=account, now=NOW)
    assert r.ok and r.draft.share_with_influencers is True
    (w,) = [w for w in r.warnings if w.field == "share_with_influencers"]
    assert "on (Amazon's default)" in w.message and "final" in w.message
    assert sharing_offered("US", account) and not sharing_offered("CA", account)


# -- errors for people --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "over",
    [
        {"code": "SUMMER-SALE"},
        {"percent_off": "twenty"},
        {"asins": ["B0ABC DEF!"]},
        {"start": "soon"},
        {"end": None},
        {"marketplace": "XX"},
        {"share_with_influencers": "maybe"},
        {"one_per_customer": "perhaps"},
        {"marketplace": "CA"},
    ],
)
def test_errors_name_no_fields_and_quote_nothing(account, over):
    r = validate(raw_request(**over), account=account, now=NOW)
    for issue in r.errors + r.warnings:
        assert "'" not in issue.message.replace("Amazon's", ""), issue.message
        assert not any(f in issue.message for f in FIELDS if "_" in f), issue.message
        assert "UTC" not in issue.message


def test_too_soon_suggests_the_first_whole_day_that_works(account):
    # 21:00 PST: tomorrow 00:00 is only 3 hours away, so the first whole day is the day after (+2d).
    evening = datetime(2026, 11, 25, 5, 0, tzinfo=UTC)
    r = validate(raw_request(start="+1d", end="+15d"), account=account, now=evening)
    message = next(e.message for e in r.errors if e.field == "start")
    assert "Start on 2026-11-26 (+2d)" in message and "2026-11-25 01:00 PST" in message
    assert validate(raw_request(start="+2d", end="+15d"), account=account, now=evening).ok
