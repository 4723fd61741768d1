"""The new-promo modal is built per account: its marketplaces, and sharing only where Amazon offers it."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.listeners.promo.parsing import modal_errors, modal_raw
from bot.views.promo import new_promo_modal
from handlers.promo.validation import Issue, validate
from infra.accounts import AccountConfig, MarketplaceConfig
from tests.support.promo import NOW


def _inputs(view: dict) -> dict[str, dict]:
    return {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}


def _globex() -> AccountConfig:
    return AccountConfig(
        account_id="globex",
        name="Globex Home",
        seller_id="A2",
        marketplaces=[
            MarketplaceConfig(code="UK", alert_channel="C3"),
            MarketplaceConfig(code="DE", alert_channel="C4"),
        ],
    )


def test_us_brand_registry_account_is_offered_sharing_with_amazons_default(account):
    inputs = _inputs(new_promo_modal(account, {}, now=NOW))
    marketplace = inputs["marketplace"]["element"]
    assert [o["value"] for o in marketplace["options"]] == ["US", "CA"] and "initial_option" not in marketplace
    share = inputs["share_with_influencers"]
    assert share["element"]["initial_option"]["value"] == "yes"
    assert "final" in share["hint"]["text"] and "only in US: choose No for CA" in share["hint"]["text"]


def test_account_without_sharing_gets_no_sharing_input():
    inputs = _inputs(new_promo_modal(_globex(), {}, now=NOW))
    assert "share_with_influencers" not in inputs
    assert "UK: Europe/London; DE: Europe/Paris" in inputs["start"]["hint"]["text"]


def test_single_marketplace_is_preselected(account):
    account.marketplaces = account.marketplaces[:1]
    marketplace = _inputs(new_promo_modal(account, {}, now=NOW))["marketplace"]["element"]
    assert marketplace["initial_option"]["value"] == "US"


def test_default_dates_are_tomorrow_local_for_two_weeks(account):
    # 07:00 UTC on 24 Nov is still 23 Nov in the US: tomorrow there is 24 Nov.
    inputs = _inputs(new_promo_modal(account, {}, now=datetime(2026, 11, 24, 7, 0, tzinfo=UTC)))
    assert inputs["start"]["element"]["initial_date"] == "2026-11-24"
    assert inputs["end"]["element"]["initial_date"] == "2026-12-07"


def _values(share: str | None, marketplace: str) -> dict:
    values = {
        "code": {"value": {"value": "WINTERDEAL"}},
        "percent_off": {"value": {"value": "20"}},
        "asins": {"value": {"value": "B0ABCDEFGH"}},
        "start": {"value": {"selected_date": "2026-12-01"}},
        "end": {"value": {"selected_date": "2026-12-20"}},
        "marketplace": {"value": {"selected_option": {"value": marketplace}}},
        "one_per_customer": {"value": {"selected_options": []}},
    }
    if share is not None:
        values["share_with_influencers"] = {"value": {"selected_option": {"value": share}}}
    return values


def test_form_without_sharing_input_submits_sharing_off():
    globex = _globex()
    r = validate(modal_raw(_values(None, "UK")), account=globex, now=NOW)
    assert r.ok and r.draft.share_with_influencers is False


def test_sharing_judged_on_submit_for_the_chosen_marketplace(account):
    r = validate(modal_raw(_values("yes", "CA")), account=account, now=NOW)
    errors = modal_errors(r.errors)
    assert set(errors) == {"share_with_influencers"} and "not in CA" in errors["share_with_influencers"]
    assert validate(modal_raw(_values("no", "CA")), account=account, now=NOW).ok


def test_errors_without_an_input_use_labels_not_field_names():
    out = modal_errors([Issue(field="account_id", message="Pick another account.")])
    assert out == {"code": "Account: Pick another account."}
