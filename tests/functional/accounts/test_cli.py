"""`sellerbot accounts import | list | export` against a store file, as `make demo` uses one."""

from __future__ import annotations

import json

import pytest

from bot.cli import main
from handlers.accounts import AccountRegistry, MarketplaceChanges
from infra.accounts import DEMO_ACCOUNTS_FILE
from infra.store.factory import build_store


@pytest.fixture
def store_url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("SELLERBOT_STORE_URL", url)
    return url


def test_import_list_export_round_trip(store_url, capsys, tmp_path):
    assert main(["accounts", "import", str(DEMO_ACCOUNTS_FILE)]) == 0
    out = capsys.readouterr().out
    assert "added      acme" in out and "added      globex" in out and "2 added, 0 updated" in out

    assert main(["accounts", "import", str(DEMO_ACCOUNTS_FILE)]) == 0
    assert "0 added, 0 updated, 2 unchanged, 0 kept" in capsys.readouterr().out

    assert main(["accounts", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["account_id"], r["marketplace"], r["state"]) for r in rows] == [
        ("acme", "US", "never_checked"),
        ("acme", "CA", "never_checked"),
        ("globex", "UK", "never_checked"),
        ("globex", "DE", "never_checked"),
    ]
    assert main(["accounts", "list"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["ACCOUNT", "MARKET", "STATE", "AUTHORIZED", "CHANNEL"]
    assert table[1].split() == ["acme", "US", "never", "checked", "-", "C0ACMEUS"]

    assert main(["accounts", "export"]) == 0
    exported = tmp_path / "exported.json"
    exported.write_text(capsys.readouterr().out)
    original = json.loads(DEMO_ACCOUNTS_FILE.read_text())
    again = json.loads(exported.read_text())
    assert [a["account_id"] for a in again["accounts"]] == [a["account_id"] for a in original["accounts"]]
    assert again["admins"] == original["admins"]


def test_import_keeps_a_slack_change_unless_told(store_url, capsys):
    main(["accounts", "import", str(DEMO_ACCOUNTS_FILE)])
    AccountRegistry(build_store(store_url)).update_marketplace(
        "acme", "US", MarketplaceChanges(alert_channel="C0SLACK"), actor="U0ADMIN"
    )
    capsys.readouterr()
    assert main(["accounts", "import", str(DEMO_ACCOUNTS_FILE)]) == 0
    assert "kept       acme (changed in Slack" in capsys.readouterr().out
    assert main(["accounts", "import", "--overwrite", str(DEMO_ACCOUNTS_FILE)]) == 0
    assert "updated    acme" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("{not json", "is not a valid accounts file: "),
        ('{"accounts": [{"account_id": "Bad Id"}]}', "accounts.0.account_id: String should match pattern"),
        ('{"admins": []}', "accounts: Field required"),
    ],
)
def test_a_bad_file_exits_2_with_one_line(store_url, capsys, tmp_path, content, says):
    path = tmp_path / "bad.json"
    path.write_text(content)
    assert main(["accounts", "import", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and says in captured.err and len(captured.err.strip().splitlines()) == 1
    assert main(["accounts", "import", str(tmp_path / "missing.json")]) == 2
    assert "missing.json is not a valid accounts file" in capsys.readouterr().err


def test_an_empty_store_says_how_to_add_one(store_url, capsys):
    assert main(["accounts", "list"]) == 0
    assert "No seller account in the store" in capsys.readouterr().out
    assert main(["accounts", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_every_action_has_help(capsys):
    for argv in (["accounts", "--help"], ["accounts", "import", "--help"], ["accounts", "list", "--help"]):
        with pytest.raises(SystemExit) as exit_:
            main(argv)
        assert exit_.value.code == 0
    assert "export" in capsys.readouterr().out
    assert main(["accounts"]) == 2
