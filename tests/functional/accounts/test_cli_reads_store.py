"""The offline `sellerbot` commands read the accounts from the store, as the bot does (issue 21 item 3): an
account connected from Slack (in the store, not in the accounts file) is one they know, without a restart or
a file edit. A store without any account gives the accounts file's, as before, and is never written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from handlers.accounts import AccountRegistry, ConnectedSeller
from infra.store.factory import build_store
from tests.support.health import amazon_example, encode
from tests.support.promo import NOW, PROMO_DATA, raw_request
from tools import seed_health_history

EU_IDS = ["A1F83G8C2ARO7P", "A1PA6795UKMFR9", "A13V1IB3VIYZZH"]  # UK, DE, FR


@pytest.fixture
def store_url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("SELLERBOT_STORE_URL", url)
    monkeypatch.delenv("SELLERBOT_ACCOUNTS_FILE", raising=False)
    return url


@pytest.fixture
def initech(store_url):
    """Initech as the Amazon callback connects it: in the store only (the demo accounts file has no initech)."""
    seller = ConnectedSeller(
        selling_partner_id="A1INITECHSELL3",
        region="EU",
        marketplace_ids=EU_IDS,
        team_id="T0DEMO",
        user_id="U0ADMIN",
        name="Initech",
    )
    store = build_store(store_url)
    account = AccountRegistry(store).connect(seller, actor="U0ADMIN")
    store.close()  # type: ignore[attr-defined]
    assert account.account_id == "initech"
    return store_url


@pytest.fixture
def report_file(tmp_path) -> str:
    path = tmp_path / "report.json"
    path.write_bytes(encode(amazon_example()))
    return str(path)


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_health_evaluate_applies_a_stored_account(initech, report_file, capsys):
    code, out, err = run(["health", "evaluate", report_file, "--json", "--account", "initech"], capsys)
    assert code in (0, 1), err
    assert "unknown account" not in err
    assert set(json.loads(out)) == {"account_status", "red_flags", "warnings"}


def test_health_subscribe_records_for_a_stored_account(initech, capsys):
    argv = ["health", "subscribe", "--account", "initech", "--subscription-id", "sub-initech-1", "--marketplace", "UK"]
    code, out, err = run(argv, capsys)
    assert (code, err) == (0, "")
    assert out.strip() == "subscription sub-initech-1 recorded for account initech UK"


def test_promo_validate_knows_a_stored_account(initech, capsys):
    payload = json.dumps(raw_request(marketplace="UK"))
    code, out, err = run(
        ["promo", "validate", "--json", payload, "--now", NOW.isoformat(), "--account", "initech"], capsys
    )
    assert code in (0, 1) and "unknown account" not in err
    body = json.loads(out)
    assert set(body) == {"ok", "errors", "warnings"}
    assert not any(e["field"] == "marketplace" for e in body["errors"]), body  # UK is initech's


def test_promo_report_asks_attribution_for_a_stored_account(initech, capsys):
    file = str(PROMO_DATA / "promo_report_de_cp1252_semicolon.csv")
    code, out, _ = run(["promo", "report", file, "--json", "--account", "initech", "--marketplace", "DE"], capsys)
    assert code == 0
    affiliates = json.loads(out)["affiliates"]
    assert affiliates["available"] is False
    assert "unknown account" not in json.dumps(affiliates)


def test_review_targets_a_stored_account(initech, capsys):
    code, _, err = run(["review", "sweep", "--dry-run", "--account", "initech", "--marketplace", "DE"], capsys)
    assert "unknown account" not in err.lower() and "no account" not in err.lower()
    assert code in (0, 1), err


def test_affiliates_report_knows_a_stored_account(initech, capsys):
    argv = ["affiliates", "report", "--account", "initech", "--marketplace", "UK", "--from", "2026-11-01"]
    code, _, err = run([*argv, "--to", "2026-11-07"], capsys)
    assert "unknown account" not in err
    assert code == 1 and err.startswith("error: ")  # no Ads credentials for initech: says what to do


def test_status_counts_the_stored_accounts_pairs(initech, capsys, monkeypatch):
    monkeypatch.setenv("SELLERBOT_STAGE", "local")
    code, out, _ = run(["status", "--json"], capsys)
    assert code == 0
    assert json.loads(out)["health"]["pairs"] == 3  # initech UK, DE, FR; the demo file's 4 pairs are not read


def test_seed_health_history_seeds_the_stored_accounts(initech, capsys):
    assert seed_health_history.main(["--days", "2"]) == 0
    assert "for 3 account × marketplace pairs" in capsys.readouterr().out


def test_an_empty_store_gives_the_accounts_file_and_stays_empty(store_url, report_file, capsys):
    code, _, err = run(["health", "evaluate", report_file, "--account", "acme"], capsys)  # acme: the demo file's
    assert code in (0, 1) and "unknown account" not in err
    store = build_store(store_url)
    assert AccountRegistry(store).export().accounts == []  # read only: nothing seeded from the CLI


def test_a_missing_store_file_is_not_created(tmp_path, monkeypatch, report_file, capsys):
    path = tmp_path / "absent.db"
    monkeypatch.setenv("SELLERBOT_STORE_URL", f"sqlite:///{path}")
    monkeypatch.delenv("SELLERBOT_ACCOUNTS_FILE", raising=False)
    code, _, err = run(["health", "evaluate", report_file, "--account", "acme"], capsys)
    assert code in (0, 1) and "unknown account" not in err
    assert not Path(path).exists()
