"""`sellerbot promo report --json` gains one key, "affiliates" (issue 22 item 4); every existing key is unchanged."""

from __future__ import annotations

import json

import pytest

from handlers.promo.report import parse_report
from infra.ads.client import forget_tokens
from infra.fakes.attribution import AttributionData, FakeAttribution
from tests.functional.promo.test_cli import run
from tests.support.promo import PROMO_DATA

FILE = PROMO_DATA / "promo_report_us.csv"


def test_existing_keys_unchanged_and_affiliates_added(capsys):
    code, out, _ = run(["promo", "report", str(FILE), "--json", "--code", "SUMMERSALE"], capsys)
    body = json.loads(out)
    expected = json.loads(parse_report(FILE.read_bytes(), code="SUMMERSALE").model_dump_json())
    assert code == 0 and {k: v for k, v in body.items() if k != "affiliates"} == expected
    assert body["affiliates"]["available"] is False and body["affiliates"]["joined_to_promo_codes"] is False
    assert "--account" in body["affiliates"]["message"]


def test_a_marketplace_without_attribution_says_so(capsys):
    code, out, _ = run(
        ["promo", "report", str(FILE), "--json", "--code", "SUMMERSALE", "--marketplace", "JP", "--account", "acme"],
        capsys,
    )
    assert code == 0 and "does not exist for JP" in json.loads(out)["affiliates"]["message"]


def test_text_output_ends_with_the_separate_statistic(capsys):
    code, out, _ = run(["promo", "report", str(FILE), "--code", "SUMMERSALE"], capsys)
    assert code == 0 and out.splitlines()[-1].startswith("amazon attribution (separate statistic)")


@pytest.fixture
def attribution(tmp_path, monkeypatch):
    """X's fake Attribution server with the demo accounts' Ads credentials in the environment."""
    forget_tokens()
    with FakeAttribution(AttributionData.demo(days=40)) as fake:
        for name, value in fake.credentials_env().items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("SELLERBOT_STORE_URL", f"sqlite:///{tmp_path / 'store.db'}")
        monkeypatch.setenv("SELLERBOT_SECRETS", "env")
        yield fake
    forget_tokens()


def test_with_account_and_marketplace_the_attribution_totals_of_the_file_s_days(attribution, capsys):
    argv = ["promo", "report", str(FILE), "--json", "--code", "SUMMERSALE", "--marketplace", "US", "--account", "acme"]
    code, out, err = run(argv, capsys)
    body = json.loads(out)
    aff = body["affiliates"]
    days = parse_report(FILE.read_bytes(), code="SUMMERSALE", marketplace="US")
    assert code == 0 and aff["available"] is True, (aff, err)
    assert (aff["from"], aff["to"]) == (str(days.first_day), str(days.last_day)) and aff["currency"] == "USD"
    assert aff["joined_to_promo_codes"] is False and "never joins" in aff["note"]
    assert set(aff["totals"]) == {
        "clicks",
        "detail_page_views",
        "add_to_carts",
        "purchases",
        "units",
        "sales",
        "brb_estimate",
    }
    assert body["referred_share_orders"] == 0.5  # the promo statistic, unchanged beside it
