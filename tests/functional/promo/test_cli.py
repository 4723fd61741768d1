"""CLI contract, through the real argparse wiring (a local parser, as bot/cli/__init__ would build it)."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import promo as promo_cli
from handlers.promo.repository import PromoRepository
from handlers.promo.validation import validate
from infra.store.sqlite import SQLiteStore
from tests.support.promo import NOW, PROMO_DATA, raw_request


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="sellerbot")
    promo_cli.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    code = args.func(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def validate_args(payload: dict | str, *extra: str) -> list[str]:
    text = payload if isinstance(payload, str) else json.dumps(payload)
    return ["promo", "validate", "--json", text, "--now", NOW.isoformat(), *extra]


def test_validate_ok(capsys):
    code, out, _ = run(validate_args(raw_request()), capsys)
    body = json.loads(out)
    assert code == 0 and body["ok"] is True and body["errors"] == [] and set(body) == {"ok", "errors", "warnings"}


def test_validate_not_ok(capsys):
    code, out, _ = run(validate_args(raw_request(percent_off="120%", start="soon")), capsys)
    body = json.loads(out)
    assert code == 1 and body["ok"] is False
    assert {e["field"] for e in body["errors"]} == {"percent_off", "start"}


@pytest.mark.parametrize("payload", ["{not json", "[1, 2]"])
def test_validate_unparseable(capsys, payload):
    code, out, err = run(validate_args(payload), capsys)
    assert code == 2 and out == "" and "--json" in err


def test_validate_account_and_store(capsys, tmp_path):
    code, _, err = run(validate_args(raw_request(), "--account", "nope"), capsys)
    assert code == 2 and "unknown account" in err
    code, out, _ = run(
        validate_args(raw_request(share_with_influencers=False, marketplace="UK"), "--account", "globex"), capsys
    )
    assert code == 0, out
    db = tmp_path / "promo.db"
    store = SQLiteStore(str(db))
    first = validate(raw_request(), account=None, now=NOW).draft.model_copy(update={"account_id": "acme"})
    PromoRepository(store, clock=lambda: NOW).create(first, "U1")
    code, out, _ = run(validate_args(raw_request(), "--store", f"sqlite://{db}"), capsys)
    assert code == 1 and json.loads(out)["errors"][0]["field"] == "code"


def test_report_json_and_chart(capsys, tmp_path):
    png = tmp_path / "out.png"
    code, out, _ = run(
        [
            "promo",
            "report",
            str(PROMO_DATA / "promo_report_us.csv"),
            "--json",
            "--code",
            "SUMMERSALE",
            "--chart",
            str(png),
        ],
        capsys,
    )
    body = json.loads(out)
    assert (
        code == 0
        and body["orders"] == 4
        and body["referred_share_orders"] == 0.5
        and body["daily"][0]["date"] == "2026-12-01"
    )
    assert png.read_bytes()[:4] == b"\x89PNG"


def test_report_rejected_and_missing(capsys, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("Order ID,Purchase Date\n1,2026-12-01\n")
    code, out, err = run(["promo", "report", str(bad), "--json"], capsys)
    assert code == 1 and "Quantity" in err and json.loads(out)["ok"] is False
    code, _, err = run(["promo", "report", str(tmp_path / "absent.csv")], capsys)
    assert code == 2 and "cannot read" in err


def test_report_text_summary(capsys):
    code, out, _ = run(["promo", "report", str(PROMO_DATA / "promo_report_us.csv")], capsys)
    assert code == 0 and out.startswith("orders 5")


def test_report_all_orders_code_filters_promotion_ids(capsys):
    # Amazon's All Orders report (tab-separated, promotion-ids column); header source in data/README.md.
    code, out, err = run(
        ["promo", "report", str(PROMO_DATA / "all_orders_report_us.txt"), "--json", "--code", "SUMMER26"], capsys
    )
    body = json.loads(out)
    assert (
        code == 0
        and err == ""
        and (body["code"], body["orders"], body["units"], body["revenue"]) == ("SUMMER26", 3, 7, 123.0)
    )
    _, per_code, _ = run(
        ["promo", "report", str(PROMO_DATA / "promo_report_us.csv"), "--json", "--code", "SUMMERSALE"], capsys
    )
    assert set(body) == set(json.loads(per_code))  # one JSON shape for both layouts


def test_report_unknown_code_rejected_with_date_range(capsys):
    code, out, err = run(
        ["promo", "report", str(PROMO_DATA / "all_orders_report_us.txt"), "--json", "--code", "NOSUCH26"], capsys
    )
    body = json.loads(out)
    assert code == 1 and set(body) == {"ok", "reason"} and body["ok"] is False
    assert "NOSUCH26" in body["reason"] and "2026-11-28 to 2026-12-04" in body["reason"]
    assert err.startswith("rejected: ") and "Traceback" not in err
    code, out, err = run(["promo", "report", str(PROMO_DATA / "promo_report_us.csv"), "--code", "NOSUCH26"], capsys)
    assert code == 1 and out == "" and "NOSUCH26" in err and "2026-12-01 to 2026-12-03" in err


def test_report_code_on_a_file_without_code_column(capsys, tmp_path):
    plain = tmp_path / "orders.csv"
    plain.write_text("Order ID,Purchase Date,Quantity,Item Price\nA,2026-12-01,1,10.00\n")
    code, _, err = run(["promo", "report", str(plain), "--code", "SUMMER26"], capsys)
    assert code == 1 and "no promotion-ids or Promo Code column" in err
    per_code = tmp_path / "per_code.csv"
    per_code.write_text(
        "Order ID,Purchase Date,Quantity,Item Price,Referred by Associate/Influencer\nA,2026-12-01,1,10.00,N\n"
    )
    code, out, err = run(["promo", "report", str(per_code), "--code", "SUMMER26"], capsys)
    assert code == 0 and out.startswith("orders 1") and "every row is counted as SUMMER26" in err


@pytest.mark.parametrize("argv", [["promo", "--help"], ["promo", "validate", "--help"], ["promo", "report", "--help"]])
def test_help_everywhere(argv):
    parser = argparse.ArgumentParser(prog="sellerbot")
    promo_cli.register(parser.add_subparsers(dest="command"))
    with pytest.raises(SystemExit) as exc:
        parser.parse_args(argv)
    assert exc.value.code == 0


def test_module_runs_in_a_fresh_process():
    # Through a throwaway parser in a real subprocess: import path, stdout and exit code as a user sees them.
    snippet = (
        "import argparse,sys; from bot.cli import promo as p; ap=argparse.ArgumentParser(); p.register(ap.add_subparsers());"
        "a=ap.parse_args(sys.argv[1:]); sys.exit(a.func(a))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", snippet, *validate_args(raw_request(code="bad!"))],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1 and json.loads(proc.stdout)["errors"][0]["field"] == "code"


# ---- issue 17: currency and coverage on the CLI ---------------------------------------------------------
def test_report_prints_the_currency_and_the_days_it_covers(capsys):
    code, out, _ = run(
        ["promo", "report", str(PROMO_DATA / "promo_report_us.csv"), "--code", "SUMMERSALE", "--marketplace", "US"],
        capsys,
    )
    assert code == 0
    assert "sales 1148.00 USD  discount 29.60 USD" in out
    assert "referred by Associates/Influencers: 2/4 orders (50%), 4/8 units (50%), 1061.00 USD (92%)" in out
    assert "currency: USD (the US marketplace's)" in out and "covers: 2026-12-01 to 2026-12-03 (US local days)" in out


def test_report_from_to_warns_of_missing_days_and_json_keeps_its_keys(capsys):
    args = ["promo", "report", str(PROMO_DATA / "all_orders_report_us.txt"), "--code", "SUMMER26"]
    code, out, _ = run([*args, "--from", "2026-11-25", "--to", "2026-12-10"], capsys)
    assert code == 0
    assert "WARNING: The report covers 2026-11-28 to 2026-12-04, but SUMMER26 runs 2026-11-25 to 2026-12-10" in out
    assert "leave out 2026-11-25 to 2026-11-27 and 2026-12-05 to 2026-12-10" in out
    code, out, _ = run([*args, "--json", "--from", "2026-11-28", "--to", "2026-12-04"], capsys)
    body = json.loads(out)
    assert {"orders", "units", "revenue", "referred_share_orders", "daily", "columns"} <= set(body)  # kept
    assert (body["currency"], body["currency_source"]) == ("USD", "report")
    assert body["coverage"]["covered"] is True and body["coverage"]["missing"] == []


def test_report_bad_window_or_marketplace_is_a_usage_error(capsys):
    f = str(PROMO_DATA / "promo_report_us.csv")
    assert run(["promo", "report", f, "--from", "2026-12-01"], capsys)[2].startswith("error: give both --from and --to")
    assert "is before --from" in run(["promo", "report", f, "--from", "2026-12-05", "--to", "2026-12-01"], capsys)[2]
    assert "unknown marketplace 'XX'" in run(["promo", "report", f, "--marketplace", "XX"], capsys)[2]
