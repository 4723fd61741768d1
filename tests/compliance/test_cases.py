import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from bot.cli.check import register
from handlers.compliance import InvalidInput, check

CASES = [json.loads(l) for l in (Path(__file__).parent / "cases.jsonl").read_text("utf-8").splitlines() if l.strip()]


def test_recall_and_precision() -> None:
    results = [(c, check(c["text"], c["lang"])) for c in CASES]
    viol = [r for c, r in results if c["expected"] == "violation"]
    # violations recall: of messages labelled violation, the share the checker calls violation
    recall = sum(r.verdict == "violation" for r in viol) / len(viol)
    # compliant precision: of messages the checker calls ok/warning, the share labelled ok/warning
    passed = [c for c, r in results if r.verdict != "violation"]
    precision = sum(c["expected"] != "violation" for c in passed) / len(passed)
    # specificity: of messages labelled ok, the share the checker calls ok/warning
    ok = [r for c, r in results if c["expected"] == "ok"]
    specificity = sum(r.verdict != "violation" for r in ok) / len(ok)
    assert recall >= 0.95 and precision >= 0.95 and specificity >= 0.95


@pytest.mark.parametrize("case", [c for c in CASES if c["rules"]], ids=lambda c: c["text"][:30])
def test_expected_rules_found(case: dict) -> None:
    assert set(case["rules"]) <= {f.rule for f in check(case["text"], case["lang"]).findings}


def test_span_traditional_and_fullwidth() -> None:
    text = "謝謝！如果您滿意，請給五星"
    f = [f for f in check(text).findings if f.rule == "REV-03"][0]
    assert text[f.start:f.end] == "如果您滿意" == f.excerpt
    text = "Hi, ＶＩＳＩＴ ＯＵＲ ＷＥＢＳＩＴＥ now"
    f = check(text).findings[0]
    assert f.rule == "CONT-13" and text[f.start:f.end] == "ＶＩＳＩＴ ＯＵＲ ＷＥＢＳＩＴＥ"


def test_order_id_is_not_phone_and_amazon_link_ok() -> None:
    assert check("Order 113-1234567-1234567, see https://www.amazon.de/gp/your-orders").verdict == "ok"


def test_invalid_input() -> None:
    for bad in ("", "   ", "x" * 20_001):
        with pytest.raises(InvalidInput):
            check(bad)


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=300))
def test_property_spans_in_bounds(text: str) -> None:
    if not text.strip():
        return
    for f in check(text).findings:
        assert 0 <= f.start < f.end <= len(text) and text[f.start:f.end] == f.excerpt


def _cli(tmp_path: Path, data: bytes, *flags: str) -> subprocess.CompletedProcess:
    path = tmp_path / "m.txt"
    path.write_bytes(data)
    code = ("import argparse,sys;from bot.cli.check import register;p=argparse.ArgumentParser();"
            "s=p.add_subparsers();register(s);a=p.parse_args(sys.argv[1:]);sys.exit(a.func(a))")
    return subprocess.run([sys.executable, "-c", code, "check", *flags, str(path)], capture_output=True, text=True)


def test_cli_exit_codes_and_json(tmp_path: Path) -> None:
    r = _cli(tmp_path, "If you liked it, leave 5 stars".encode(), "--json")
    assert r.returncode == 1
    out = json.loads(r.stdout)
    assert list(out) == ["verdict", "lang", "findings"]
    assert list(out["findings"][0]) == ["rule", "severity", "start", "end", "excerpt", "message", "fix"]
    assert _cli(tmp_path, "\ufeffYour parcel is delayed by a day.".encode()).returncode == 0
    for bad in (b"", b"\xff\xfe\x00", b"x" * 20_001):
        r = _cli(tmp_path, bad)
        assert r.returncode == 2 and "error:" in r.stderr


def test_register_help() -> None:
    p = argparse.ArgumentParser()
    register(p.add_subparsers())
    with pytest.raises(SystemExit):
        p.parse_args(["check", "--help"])
