from __future__ import annotations

from datetime import timedelta

import pytest

from handlers.promo.models import PromoStatus, Promotion
from handlers.promo.rules import PromoRules, canonical_code
from handlers.promo.validation import validate
from tests.support.promo import NOW, raw_request


def fields(issues) -> set[str]:
    return {i.field for i in issues}


def test_valid_request_builds_uppercase_draft(account):
    r = validate(raw_request(code="summersale", percent_off="20%"), account=account, now=NOW)
    assert r.ok and r.errors == []
    assert r.draft.code == "SUMMERSALE" and r.draft.percent_off == 20 and r.draft.account_id == "acme"
    assert r.draft.end - r.draft.start < timedelta(days=20)
    # The sharing choice is irreversible: always said.
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
        ({"end": "2026-11-30"}, "end", "not after start"),
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
    assert r.ok and any(w.field == "code" and "0→O" in w.message for w in r.warnings)


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
