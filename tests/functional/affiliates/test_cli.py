"""`sellerbot affiliates report`: a saved response file, and the API (the fake) by account and marketplace."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from infra.fakes.attribution import AttributionData, FakeAttribution

ROW = {
    "date": "20220829",
    "campaignId": "16719043411",
    "adGroupId": "135021988277",
    "publisher": "Google Ads",
    "advertiserName": "Eversprout",
    "Click-throughs": "30",
    "attributedDetailPageViewsClicks14d": "30",
    "attributedAddToCartClicks14d": "5",
    "attributedPurchases14d": "3",
    "unitsSold14d": "4",
    "attributedSales14d": "191.95999999999998",
    "brb_bonus_amount": "14.280000000000001",
}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any, str]:
    code = main(["affiliates", "report", *argv])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip().startswith("{") else out), err


def test_one_page_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    second = {**ROW, "publisher": "Display - Other", "attributedSales14d": 20.1, "brb_bonus_amount": "2.01"}
    masked = {
        **ROW,
        "publisher": "Blogpost - Other",
        **{
            k: "0"
            for k in ROW
            if k[0].islower() and k not in ("date", "campaignId", "adGroupId", "publisher", "advertiserName")
        },
        "Click-throughs": "0",
    }
    path = tmp_path / "page.json"
    path.write_text(json.dumps({"reports": [second, ROW, masked], "size": 3, "cursorId": "abc"}))
    code, data, _ = run(capsys, str(path), "--currency", "usd", "--json")
    assert code == 0 and data["currency"] == "USD" and data["masked_rows"] == 1
    assert [p["publisher"] for p in data["publishers"]] == ["Google Ads", "Display - Other", "Blogpost - Other"]
    assert data["publishers"][0] == {
        "publisher": "Google Ads",
        "clicks": 30,
        "detail_page_views": 30,
        "add_to_carts": 5,
        "purchases": 3,
        "units": 4,
        "sales": "191.96",
        "brb_estimate": "14.28",
    }
    assert data["publishers"][2]["sales"] is None and data["publishers"][2]["clicks"] is None  # masked, not 0
    assert data["totals"]["sales"] == "212.06" and data["totals"]["brb_estimate"] == "16.29"
    assert data["totals"]["publisher"] == "total"


def test_list_of_pages_and_no_brb(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plain = {k: v for k, v in ROW.items() if k != "brb_bonus_amount"}
    path = tmp_path / "pages.json"
    path.write_text(json.dumps([{"reports": [plain], "size": 1, "cursorId": "x"}, {"reports": [plain], "size": 1}]))
    code, data, _ = run(capsys, str(path), "--json")
    assert code == 0 and data["totals"]["sales"] == "383.92" and data["totals"]["brb_estimate"] is None
    assert data["publishers"][0]["brb_estimate"] is None and "currency" not in data


@pytest.mark.parametrize(
    "content",
    [
        '{"payload": {"Orders": []}}',
        "[]",
        "not json",
        '{"reports": [{"sku": "x"}]}',
        '[{"reports": []}, 3]',
        "{" * 100000,
    ],
)
def test_not_an_attribution_report_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str
) -> None:
    path = tmp_path / "other.json"
    path.write_text(content)
    code, out, err = run(capsys, str(path), "--json")
    assert code == 2 and out == "" and err.count("\n") == 1 and err.startswith("error: ")


def test_bad_arguments_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--json")[0] == 2
    assert run(capsys, str(tmp_path / "missing.json"))[0] == 2
    assert run(capsys, "x.json", "--currency", "dollars")[0] == 2
    assert run(capsys, "x.json", "--account", "acme")[0] == 2


def test_plain_text_says_masked_not_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    masked = {
        "date": "20261101",
        "publisher": "Blogpost - Other",
        "adGroupId": "1",
        "Click-throughs": "0",
        "attributedSales14d": "0",
    }
    path = tmp_path / "page.json"
    path.write_text(json.dumps({"reports": [ROW, masked]}))
    code, out, _ = run(capsys, str(path), "--currency", "EUR")
    assert code == 0 and "10-click threshold" in out and "191.96" in out and "amounts in EUR" in out


@pytest.fixture
def api_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeAttribution]:
    accounts = {
        "accounts": [
            {
                "account_id": "acme",
                "name": "Acme",
                "seller_id": "A1",
                "marketplaces": [{"code": "US", "alert_channel": "C1"}],
            },
            {
                "account_id": "initech",
                "name": "Initech",
                "seller_id": "A2",
                "marketplaces": [{"code": "US", "alert_channel": "C2"}],
            },
        ]
    }
    (tmp_path / "accounts.json").write_text(json.dumps(accounts))
    with FakeAttribution(AttributionData.demo(days=40)) as fake:
        for name, value in fake.credentials_env().items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("SELLERBOT_ACCOUNTS_FILE", str(tmp_path / "accounts.json"))
        monkeypatch.setenv("SELLERBOT_STORE_URL", f"sqlite:///{tmp_path / 'store.db'}")
        monkeypatch.setenv("SELLERBOT_SECRETS", "env")
        yield fake


def test_api_mode_against_the_fake(api_env: FakeAttribution, capsys: pytest.CaptureFixture[str]) -> None:
    today = datetime.now(UTC).date()
    start, end = (today - timedelta(days=30)).isoformat(), (today - timedelta(days=3)).isoformat()
    code, data, err = run(capsys, "--account", "acme", "--marketplace", "US", "--from", start, "--to", end, "--json")
    assert code == 0, err
    assert data["currency"] == "USD" and len(data["publishers"]) == 10
    total = sum(Decimal(p["sales"]) for p in data["publishers"] if p["sales"] is not None)
    assert Decimal(data["totals"]["sales"]) == total


def test_api_mode_unavailable_exits_1(api_env: FakeAttribution, capsys: pytest.CaptureFixture[str]) -> None:
    today = (datetime.now(UTC).date() - timedelta(days=2)).isoformat()
    code, _, err = run(capsys, "--account", "initech", "--marketplace", "US", "--from", today, "--to", today)
    assert code == 1 and "Amazon Ads" in err and err.count("\n") == 1
    code, _, err = run(capsys, "--account", "acme", "--marketplace", "JP", "--from", today, "--to", today)
    assert code == 1 and "not available in JP" in err
    assert run(capsys, "--account", "nobody", "--marketplace", "US", "--from", today, "--to", today)[0] == 2
    assert run(capsys, "--account", "acme", "--marketplace", "US", "--from", today, "--to", "2020-01-01")[0] == 2
