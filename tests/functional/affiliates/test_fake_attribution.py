"""The fake Attribution server: every documented error, masking, metric selection, types and paging
(amazon-attribution.md §9), over real HTTP."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
import pytest

from infra.fakes.attribution import FakeAttribution, Fault
from infra.fakes.attribution.data import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, demo_refresh_token

from .conftest import ACME_ADV, CA, DE, LEGACY, UK, UK_ADV, US, Raw, body

# -- LWA token -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "status", "error"),
    [
        ({"grant_type": "refresh_token", "refresh_token": "Atzr|nope"}, 400, "invalid_grant"),
        ({"grant_type": "refresh_token", "client_secret": "wrong"}, 401, "invalid_client"),
        ({"grant_type": "password"}, 400, "unsupported_grant_type"),  # authorization_code is served (Ads connect)
    ],
)
def test_token_errors(fake: FakeAttribution, form: dict[str, str], status: int, error: str) -> None:
    full = {
        "client_id": DEMO_CLIENT_ID,
        "client_secret": DEMO_CLIENT_SECRET,
        "refresh_token": demo_refresh_token("acme"),
    }
    response = httpx.post(fake.base_url + "/auth/o2/token", data={**full, **form})
    assert response.status_code == status
    assert response.json()["error"] == error and "error_description" in response.json()


def test_token_answer_has_amazon_fields(fake: FakeAttribution) -> None:
    form = {
        "grant_type": "refresh_token",
        "client_id": DEMO_CLIENT_ID,
        "client_secret": DEMO_CLIENT_SECRET,
        "refresh_token": demo_refresh_token("acme"),
    }
    answer = httpx.post(fake.base_url + "/auth/o2/token", data=form).json()
    assert set(answer) == {"access_token", "token_type", "expires_in", "refresh_token"}
    assert answer["token_type"] == "bearer" and answer["expires_in"] == 3600


# -- 401 / 403 ------------------------------------------------------------------------------------


def test_missing_and_invalid_bearer_are_401(raw: Raw) -> None:
    no_auth = {"Amazon-Advertising-API-ClientId": DEMO_CLIENT_ID, "Amazon-Advertising-API-Scope": str(US)}
    for headers in (no_auth, {**no_auth, "Authorization": "Bearer Atza|forged"}):
        response = raw.get("/attribution/publishers", headers=headers)
        assert response.status_code == 401 and response.json()["code"] == "401"


def test_client_id_must_match_the_token(raw: Raw) -> None:
    headers = raw.headers(US, **{"Amazon-Advertising-API-ClientId": "amzn1.application-oa2-client.other"})
    assert raw.get("/attribution/publishers", headers=headers).status_code == 401


def test_scope_header_missing_is_401(raw: Raw) -> None:
    response = raw.get("/attribution/advertisers", scope=None)
    assert response.status_code == 401 and response.json() == {"code": "401", "details": "Scope header is missing"}


@pytest.mark.parametrize(("scope", "region"), [(999, "na"), (UK, "na"), (US, "eu")])
def test_unknown_or_other_region_profile_is_401(raw: Raw, scope: int, region: str) -> None:
    response = raw.get("/attribution/advertisers", scope=scope, region=region)
    assert response.status_code == 401 and response.json()["details"] == "Not authorized to access scope"


def test_other_sellers_profile_is_401(fake: FakeAttribution) -> None:
    globex = Raw(fake, "globex")
    assert globex.get("/attribution/advertisers", scope=US).status_code == 401


def test_not_eligible_profile_is_403(fake: FakeAttribution) -> None:
    response = Raw(fake, "globex").get("/attribution/publishers", scope=DE, region="eu")
    assert response.status_code == 403 and response.json()["code"] == "403"
    assert "eligible" in response.json()["details"]


# -- profiles, advertisers, publishers --------------------------------------------------------------


def test_profiles_only_for_the_hosts_region(fake: FakeAttribution, raw: Raw) -> None:
    na = raw.get("/v2/profiles", scope=None).json()
    assert {p["profileId"] for p in na} == {US, CA, LEGACY}
    legacy = next(p for p in na if p["profileId"] == LEGACY)
    assert legacy["accountInfo"]["subType"] == "AMAZON_ATTRIBUTION"
    assert raw.get("/v2/profiles", scope=None, region="eu").json() == []
    eu = Raw(fake, "globex").get("/v2/profiles", scope=None, region="eu").json()
    assert [(p["countryCode"], p["currencyCode"], p["timezone"]) for p in eu] == [
        ("UK", "GBP", "Europe/London"),
        ("DE", "EUR", "Europe/Paris"),
    ]


def test_advertisers_and_publishers_shapes(raw: Raw) -> None:
    assert raw.get("/attribution/advertisers").json() == {
        "advertisers": [{"advertiserId": ACME_ADV, "advertiserName": "Acme Brand"}]
    }
    publishers = raw.get("/attribution/publishers").json()["publisher"]
    assert publishers[0] == {"id": "1", "name": "Google Ads", "macroEnabled": True}
    assert all(set(p) == {"id", "name", "macroEnabled"} for p in publishers)


# -- tags -------------------------------------------------------------------------------------------


def test_tags_need_publisher_ids(raw: Raw) -> None:
    response = raw.get("/attribution/tags/macroTag", params={"advertiserIds": ACME_ADV})
    assert response.status_code == 400 and response.json()["code"] == "400"


def test_tags_unwrapped_and_wrapped(fake: FakeAttribution, raw: Raw) -> None:
    params = [("publisherIds", "1"), ("publisherIds", "9"), ("advertiserIds", ACME_ADV)]
    bare = raw.get("/attribution/tags/nonMacroTemplateTag", params=params).json()
    assert set(bare[ACME_ADV]) == {"1", "9"} and "{insertCampaignId}" in bare[ACME_ADV]["9"]
    assert fake.tags_requested == {US}
    fake.settings.tag_shape = "wrapped"
    wrapped = raw.get("/attribution/tags/macroTag", params=params).json()
    assert set(wrapped) == {"advertiserAttributionTagMap"}
    assert "aa_campaignid={campaignid}" in wrapped["advertiserAttributionTagMap"][ACME_ADV]["1"]


def test_comma_separated_publisher_ids_both_ways(fake: FakeAttribution, raw: Raw) -> None:
    params = {"publisherIds": "1,9", "advertiserIds": ACME_ADV}
    assert set(raw.get("/attribution/tags/macroTag", params=params).json()[ACME_ADV]) == {"1", "9"}
    fake.settings.comma_publisher_ids = False
    assert raw.get("/attribution/tags/macroTag", params=params).status_code == 400


def test_placeholder_spelling_both_ways(fake: FakeAttribution, raw: Raw) -> None:
    fake.settings.placeholders = "plain"
    tag = raw.get("/attribution/tags/nonMacroTemplateTag", params={"publisherIds": "9"}).json()[ACME_ADV]["9"]
    assert "{campaignId}" in tag and "insert" not in tag


# -- report: validation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"startDate": "2026-11-01"}, "startDate"),
        ({"endDate": "20261131"}, "endDate"),
        ({"startDate": "20261201", "endDate": "20261101"}, "after"),
        ({"groupBy": "AD_GROUP"}, "groupBy"),
        ({"reportType": "PRODUCTS"}, "groupBy"),
        ({"reportType": "PRODUCTS", "groupBy": ..., "startDate": "20260801"}, "90 days"),
        ({"groupBy": "CREATIVE", "metrics": "Click-throughs,brb_bonus_amount"}, "brb_bonus_amount"),
        ({"groupBy": ..., "metrics": "brb_bonus_amount"}, "brb_bonus_amount"),
        ({"count": 0}, "count"),
        ({"count": 5001}, "count"),
        ({"advertiserIds": [ACME_ADV]}, "comma-delimited"),
        ({"metrics": ["Click-throughs"]}, "comma-delimited"),
        ({"metrics": "clicks"}, "Invalid metrics"),
        ({"cursorId": "bm9wZTox"}, "cursorId"),
        ({"reportType": "SALES"}, "reportType"),
        ({"advertiserIds": ""}, "advertiserIds"),
    ],
)
def test_report_400s(raw: Raw, overrides: dict[str, object], words: str) -> None:
    response = raw.report(body(**overrides))
    assert response.status_code == 400
    assert response.json()["code"] == "400" and words in response.json()["details"]


def test_report_body_must_be_json(raw: Raw) -> None:
    response = raw.http.post(raw.fake.base_url + "/na/attribution/report", content=b"{nope", headers=raw.headers())
    assert response.status_code == 400 and response.json()["code"] == "400"


def test_array_bodies_accepted_when_set(fake: FakeAttribution, raw: Raw) -> None:
    fake.settings.array_bodies = True
    response = raw.report(body(advertiserIds=[ACME_ADV], metrics=["Click-throughs"]))
    assert response.status_code == 200 and response.json()["size"] > 0


def test_max_span_both_ways(fake: FakeAttribution, raw: Raw) -> None:
    assert raw.report(body(startDate="20260901", endDate="20261130")).status_code == 200
    fake.settings.max_span_days = 31
    response = raw.report(body(startDate="20260901", endDate="20261130"))
    assert response.status_code == 400 and "31 days" in response.json()["details"]
    assert raw.report(body(startDate="20261101", endDate="20261130")).status_code == 200


# -- report: faults ----------------------------------------------------------------------------------


def test_429_carries_retry_after_then_succeeds(fake: FakeAttribution, raw: Raw) -> None:
    fake.faults.append(Fault("/attribution/report", "429"))
    first = raw.report(body())
    assert first.status_code == 429 and first.headers["Retry-After"] == "1" and first.json()["code"] == "429"
    assert raw.report(body()).status_code == 200


@pytest.mark.parametrize("kind", ["500", "502", "504"])
def test_server_errors(fake: FakeAttribution, raw: Raw, kind: str) -> None:
    fake.faults.append(Fault("/attribution/report", kind))
    response = raw.report(body())
    assert response.status_code == int(kind) and response.json()["code"] == kind


def test_airbyte_observed_message_400(fake: FakeAttribution, raw: Raw) -> None:
    fake.faults.append(Fault("/attribution/report", "400_message"))
    response = raw.report(body())
    assert response.status_code == 400
    assert response.json() == {"message": "This profileID is not authorized to use Amazon Attribution"}


def test_expired_token_fault_is_401(fake: FakeAttribution, raw: Raw) -> None:
    fake.faults.append(Fault("/attribution/", "401_expired"))
    assert raw.get("/attribution/publishers").status_code == 401


# -- report: data ------------------------------------------------------------------------------------


def _rows(raw: Raw, **overrides: object) -> list[dict[str, Any]]:
    response = raw.report(body(**overrides))
    assert response.status_code == 200, response.text
    return response.json()["reports"]


def test_masked_rows_show_every_metric_as_zero(raw: Raw) -> None:
    rows = _rows(
        raw, startDate="20260901", endDate="20261206", metrics="Click-throughs,attributedSales14d,brb_bonus_amount"
    )
    tiny = [r for r in rows if r["publisher"] == "Video - Other" and r["adGroupId"].endswith("01")]
    assert tiny and all(r["Click-throughs"] == r["attributedSales14d"] == r["brb_bonus_amount"] == "0" for r in tiny)
    busy = [r for r in rows if r["publisher"] == "Video - Other" and r["adGroupId"].endswith("00")]
    assert busy and any(r["Click-throughs"] != "0" for r in busy)


def test_masking_applies_at_creative_level_too(raw: Raw) -> None:
    rows = _rows(raw, groupBy="CREATIVE", startDate="20260901", endDate="20261206", metrics="Click-throughs")
    tiny = [r for r in rows if r["publisher"] == "Video - Other" and r["adGroupId"].endswith("01")]
    assert tiny and all(r["Click-throughs"] == "0" for r in tiny) and all("creativeId" in r for r in rows)


def test_campaign_rows_have_no_publisher(raw: Raw) -> None:
    rows = _rows(raw, groupBy="CAMPAIGN", metrics="Click-throughs,brb_bonus_amount")
    assert rows and all("publisher" not in r and "adGroupId" not in r and "campaignId" in r for r in rows)


def test_default_metrics_are_all_but_brb(raw: Raw) -> None:
    row = _rows(raw, metrics=...)[0]
    assert "brb_bonus_amount" not in row
    assert {"Click-throughs", "attributedSales14d", "totalAttributedSales14d", "unitsSold14d"} <= set(row)
    assert {"date", "advertiserName", "campaignId", "adGroupId", "publisher"} <= set(row)


def test_non_enrolled_advertiser_gets_no_brb_key(fake: FakeAttribution) -> None:
    rows = (
        Raw(fake, "globex")
        .report(body(advertiserIds=UK_ADV, metrics="Click-throughs,brb_bonus_amount"), scope=UK, region="eu")
        .json()["reports"]
    )
    assert rows and all("brb_bonus_amount" not in r for r in rows)


def test_brb_outside_us_both_ways(fake: FakeAttribution, raw: Raw) -> None:
    metrics = "Click-throughs,brb_bonus_amount"
    ca_body = body(advertiserIds="123456781", metrics=metrics)
    assert all("brb_bonus_amount" in r for r in raw.report(ca_body, scope=CA).json()["reports"])
    fake.settings.brb_outside_us = False
    assert all("brb_bonus_amount" not in r for r in raw.report(ca_body, scope=CA).json()["reports"])


def test_metrics_are_strings_with_float_noise_or_numbers(fake: FakeAttribution, raw: Raw) -> None:
    rows = [r for r in _rows(raw, metrics="Click-throughs,attributedSales14d") if r["attributedSales14d"] != "0"]
    assert rows and all(isinstance(r["attributedSales14d"], str) for r in rows)
    assert any(len(r["attributedSales14d"].split(".")[-1]) > 2 for r in rows)  # float noise
    fake.settings.metric_type = "number"
    numbers = _rows(raw, metrics="Click-throughs,attributedSales14d")
    assert all(
        isinstance(r["Click-throughs"], int) and isinstance(r["attributedSales14d"], (int, float)) for r in numbers
    )


def test_today_has_no_clicks_and_yesterday_partial(raw: Raw) -> None:
    today = _rows(raw, startDate="20261206", endDate="20261206", metrics="Click-throughs")
    assert all(r["Click-throughs"] == "0" for r in today)
    yesterday = _rows(raw, startDate="20261205", endDate="20261205", metrics="Click-throughs")
    assert any(r["Click-throughs"] != "0" for r in yesterday)


def test_date_zone_both_ways(fake: FakeAttribution, raw: Raw) -> None:
    # 02:00 UTC on 7 December is still 6 December in Los Angeles.
    from datetime import UTC, datetime

    fake.now = lambda: datetime(2026, 12, 7, 2, 0, tzinfo=UTC)
    latest = max(r["date"] for r in _rows(raw, startDate="20261201", endDate="20261207", metrics="Click-throughs"))
    fake.settings.date_zone = "UTC"
    latest_utc = max(r["date"] for r in _rows(raw, startDate="20261201", endDate="20261207", metrics="Click-throughs"))
    assert (latest, latest_utc) == ("20261205", "20261206")


def test_restatement_changes_recent_values_only(fake: FakeAttribution, raw: Raw) -> None:
    def sales(start: str, end: str) -> Decimal:
        rows = _rows(raw, startDate=start, endDate=end, metrics="attributedSales14d")
        return sum((Decimal(r["attributedSales14d"]) for r in rows), Decimal(0))

    recent, old = sales("20261115", "20261130"), sales("20260915", "20260930")
    fake.restate()
    assert sales("20261115", "20261130") < recent and sales("20260915", "20260930") == old


def test_null_creative_row(fake: FakeAttribution, raw: Raw) -> None:
    fake.settings.null_creative_row = True
    rows = _rows(raw, groupBy="CREATIVE", metrics="Click-throughs")
    assert any(r["creativeId"] is None and "Click-throughs" not in r for r in rows)


def test_no_promo_code_or_order_fields_anywhere(raw: Raw) -> None:
    keys = {k.lower() for r in _rows(raw, metrics=...) for k in r}
    assert not any("promo" in k or "order" in k for k in keys)


# -- report: paging ----------------------------------------------------------------------------------


@pytest.mark.parametrize("variant", ["absent", "empty", "null", "empty_reports"])
def test_last_page_variants(fake: FakeAttribution, raw: Raw, variant: str) -> None:
    fake.settings.last_page = variant  # type: ignore[assignment]
    all_rows = _rows(raw, metrics="Click-throughs")
    seen: list[dict[str, object]] = []
    cursor: object = ""
    for _ in range(100):
        page = raw.report(body(metrics="Click-throughs", count=150, cursorId=cursor)).json()
        assert page["size"] == len(page["reports"]) <= 150
        seen.extend(page["reports"])
        cursor = page.get("cursorId", "<absent>")
        if len(seen) == len(all_rows):
            break
    last = (
        raw.report(body(metrics="Click-throughs", count=150, cursorId=page.get("cursorId"))).json()
        if variant == "empty_reports"
        else page
    )
    expected = {"absent": "<absent>", "empty": "", "null": None}
    if variant == "empty_reports":
        assert last["reports"] == [] and last["cursorId"]
    else:
        assert cursor == expected[variant]
    assert seen == all_rows


def test_default_count_both_ways(fake: FakeAttribution, raw: Raw) -> None:
    without_count = body(count=..., metrics="Click-throughs")
    first = raw.report(without_count).json()
    assert first["size"] == len(first["reports"]) > 100 and "cursorId" not in first
    fake.settings.default_count = 100
    paged = raw.report(without_count).json()
    assert paged["size"] == 100 and paged["cursorId"]
