"""CLI contract: `sellerbot health evaluate FILE --json [--previous FILE]`, exit 0/1/2, exact top-level keys."""

from __future__ import annotations

import argparse
import gzip
import json

import pytest

from bot.cli import health as health_cli
from tests.support.health import amazon_example, encode, healthy_report, tweak


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> str:
    """Amazon's example report, written out as the file a user would pass."""
    path = tmp_path_factory.mktemp("report") / "amazon_example.json"
    path.write_bytes(encode(amazon_example()))
    return str(path)


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="sellerbot")
    health_cli.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    code = args.func(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_sample_has_red_flags_exit_1(capsys, sample):
    code, out, err = run(["health", "evaluate", sample, "--json"], capsys)
    body = json.loads(out)
    assert code == 1 and err == ""
    assert list(body) == ["account_status", "red_flags", "warnings"]
    assert body["account_status"] == "SUSPENDED"
    for item in body["red_flags"]:
        assert {"metric", "value", "target", "severity", "message"} <= set(item)
        assert item["severity"] in ("critical", "warning")
    ip = next(i for i in body["red_flags"] if i["metric"] == "receivedIntellectualPropertyComplaints")
    assert (ip["value"], ip["target"], ip["severity"]) == (75, 0, "critical")
    assert body["warnings"] == []


def test_healthy_exit_0_and_gzip_input(tmp_path, capsys):
    path = tmp_path / "ok.json.gz"
    path.write_bytes(gzip.compress(encode(healthy_report())))
    code, out, _ = run(["health", "evaluate", str(path), "--json"], capsys)
    assert code == 0 and json.loads(out) == {"account_status": "NORMAL", "red_flags": [], "warnings": []}
    code, out, _ = run(["health", "evaluate", str(path)], capsys)
    assert code == 0 and "no red flags" in out


def test_previous_gives_trends_and_change_marks(tmp_path, capsys):
    prev, cur = tmp_path / "prev.json", tmp_path / "cur.json"
    prev.write_bytes(encode(healthy_report(orderDefectRate=0.002, lateShipmentRate=0.05)))
    cur.write_bytes(encode(healthy_report(orderDefectRate=0.007, lateShipmentRate=0.05, invoiceDefectRate=0.09)))
    code, out, _ = run(["health", "evaluate", str(cur), "--json", "--previous", str(prev)], capsys)
    body = json.loads(out)
    assert code == 1
    assert {(f["metric"], f["change"]) for f in body["red_flags"]} == {
        ("lateShipmentRate", "still_open"),
        ("invoiceDefectRate", "new"),
    }
    assert {w["metric"] for w in body["warnings"]} == {"orderDefectRate.mfn", "orderDefectRate.afn"}
    assert {"metric", "value", "previous", "target", "message"} <= set(body["warnings"][0])
    code, out, _ = run(["health", "evaluate", str(prev), "--previous", str(cur)], capsys)
    assert "[RESOLVED] US Invoice defect rate" in out


@pytest.mark.parametrize(
    "content",
    [b'{"accountStatuses": [', b"\x1f\x8b\x08\x00garbage", b"hello", json.dumps({"performanceMetrics": []}).encode()],
)
def test_bad_input_exit_2(tmp_path, capsys, content):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    code, out, err = run(["health", "evaluate", str(path), "--json"], capsys)
    assert code == 2 and out == "" and err.startswith("error: report unreadable:")


def test_missing_file_bad_previous_unknown_account_or_marketplace_exit_2(tmp_path, capsys, sample):
    assert run(["health", "evaluate", str(tmp_path / "nope.json"), "--json"], capsys)[0] == 2
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    code, _, err = run(["health", "evaluate", sample, "--previous", str(bad)], capsys)
    assert code == 2 and "--previous" in err
    code, _, err = run(["health", "evaluate", sample, "--account", "nobody"], capsys)
    assert code == 2 and "unknown account" in err
    code, _, err = run(["health", "evaluate", sample, "--marketplace", "JP"], capsys)
    assert code == 2 and "not in the report" in err


def test_marketplace_filter_and_account_thresholds(capsys, sample):
    code, out, _ = run(["health", "evaluate", sample, "--json", "--marketplace", "ca"], capsys)
    assert code == 0 and json.loads(out)["account_status"] == "NORMAL"
    code, out, _ = run(["health", "evaluate", sample, "--json", "--account", "acme", "--marketplace", "MX"], capsys)
    assert code == 1 and json.loads(out)["red_flags"][0]["flag_id"] == "acme#MX#accountStatus"


def test_unknown_metric_and_garbage_value_are_warnings_not_red_flags(tmp_path, capsys):
    example = amazon_example()
    violation = dict(example["performanceMetrics"][0]["listingPolicyViolations"])
    report = tweak(tweak(healthy_report(), "someFutureViolations", violation), "lateShipmentRate.rate", "garbage")
    path = tmp_path / "report.json"
    path.write_bytes(encode(report))
    code, out, err = run(["health", "evaluate", str(path), "--json"], capsys)
    body = json.loads(out)
    assert code == 0 and err == "" and list(body) == ["account_status", "red_flags", "warnings"]
    assert body["red_flags"] == []
    by_metric = {w["metric"]: w for w in body["warnings"]}
    assert by_metric["someFutureViolations"]["value"] == 86
    assert "unknown metric someFutureViolations with 86 defects" in by_metric["someFutureViolations"]["message"]
    assert by_metric["lateShipmentRate.rate"]["kind"] == "malformed"
    for w in body["warnings"]:
        assert {"metric", "value", "previous", "target", "message"} <= set(w)
    code, out, _ = run(["health", "evaluate", str(path)], capsys)
    assert code == 0 and "[NOTICE  ] US unknown metric someFutureViolations" in out


def test_ahr_score_under_200_exits_1(tmp_path, capsys):
    path = tmp_path / "report.json"
    path.write_bytes(encode(tweak(healthy_report(), "accountHealthRating.ahrScore", 150)))
    code, out, _ = run(["health", "evaluate", str(path), "--json"], capsys)
    [flag] = json.loads(out)["red_flags"]
    assert code == 1 and (flag["metric"], flag["value"], flag["target"]) == ("accountHealthRating", 150, 200)


def test_help(capsys):
    for argv in (["health", "--help"], ["health", "evaluate", "--help"]):
        with pytest.raises(SystemExit) as exit_:
            run(argv, capsys)
        assert exit_.value.code == 0
    assert "Exit 0" in capsys.readouterr().out
