"""`sellerbot check` contract: JSON shape on stdout, exit codes 0/1/2, stdin, files, bad bytes, size limit."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli.check import register

ROOT = Path(__file__).resolve().parents[3]
SELLERBOT = ROOT / ".venv" / "bin" / "sellerbot"


def _run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    cmd = [str(SELLERBOT)] if SELLERBOT.exists() else [sys.executable, "-m", "bot.cli"]
    return subprocess.run(
        [*cmd, "check", *args], input=stdin if stdin is not None else b"", capture_output=True, cwd=ROOT, timeout=60
    )


def test_violation_json_on_stdin_exits_1() -> None:
    r = _run("--json", "-", stdin=b"If you liked it, leave 5 stars. Mail: anna@greenhome.de")
    assert r.returncode == 1 and r.stderr == b""
    out = json.loads(r.stdout)
    assert list(out) == ["verdict", "lang", "findings"] and out["verdict"] == "violation" and out["lang"] == "en"
    assert list(out["findings"][0]) == ["rule", "severity", "start", "end", "excerpt", "message", "fix"]
    text = "If you liked it, leave 5 stars. Mail: anna@greenhome.de"
    for f in out["findings"]:
        assert text[f["start"] : f["end"]] == f["excerpt"]
    assert {f["rule"] for f in out["findings"]} >= {"REV-03", "REV-02", "CONT-08"}


def test_ok_and_warning_exit_0_from_a_file(tmp_path: Path) -> None:
    ok = tmp_path / "ok.txt"
    ok.write_text("\ufeffYour parcel is delayed by a day; we apologise.", "utf-8")  # a BOM is fine
    r = _run("--json", str(ok))
    assert r.returncode == 0 and json.loads(r.stdout) == {"verdict": "ok", "lang": "en", "findings": []}
    warn = tmp_path / "warn.txt"
    warn.write_text("ご注文の商品を発送しました。", "utf-8")
    r = _run("--json", str(warn))
    out = json.loads(r.stdout)
    assert r.returncode == 0 and out["verdict"] == "warning" and out["lang"] == "ja"
    assert out["findings"][0]["rule"] == "TYPE-03"


def test_lang_override_and_human_output(tmp_path: Path) -> None:
    r = _run("--lang", "de", stdin=b"Wenn Sie zufrieden sind, geben Sie uns bitte 5 Sterne.")
    text = r.stdout.decode()
    assert r.returncode == 1 and text.startswith("verdict: violation (language de")
    assert "REV-03" in text and "fix: Wenn Sie einen Moment Zeit haben" in text
    r = _run("--lang", "xx", stdin=b"hello")
    assert r.returncode == 2 and b"unsupported language 'xx'" in r.stderr


@pytest.mark.parametrize(
    "data,reason",
    [
        (b"", b"empty"),
        (b"   \n\t ", b"empty"),
        (b"\xff\xfe\x00bad", b"not valid UTF-8"),
        (b"x" * 20_001, b"20,001 characters"),
        ("ü".encode() * 20_001, b"20,001 characters"),
    ],
)
def test_bad_input_exits_2_with_a_clear_error(tmp_path: Path, data: bytes, reason: bytes) -> None:
    path = tmp_path / "m.txt"
    path.write_bytes(data)
    for r in (_run("--json", str(path)), _run("--json", stdin=data)):
        assert r.returncode == 2 and r.stdout == b""
        assert r.stderr.startswith(b"error: ") and reason in r.stderr


def test_unreadable_file_exits_2(tmp_path: Path) -> None:
    r = _run(str(tmp_path))  # a directory exists, so it is a file argument, and cannot be read
    assert r.returncode == 2 and b"cannot read" in r.stderr


def test_an_argument_that_is_not_a_file_is_the_message() -> None:
    text = "If you liked it, leave 5 stars. Mail: anna@greenhome.de"
    r = _run("--json", text)
    assert r.returncode == 1 and r.stderr == b""
    out = json.loads(r.stdout)
    assert list(out) == ["verdict", "lang", "findings"] and out["verdict"] == "violation" and out["lang"] == "en"
    assert list(out["findings"][0]) == ["rule", "severity", "start", "end", "excerpt", "message", "fix"]
    assert {f["rule"] for f in out["findings"]} >= {"REV-03", "CONT-08"}
    for f in out["findings"]:
        assert text[f["start"] : f["end"]] == f["excerpt"]
    r = _run("--json", "Your parcel is delayed by a day; we apologise.")
    assert r.returncode == 0 and json.loads(r.stdout) == {"verdict": "ok", "lang": "en", "findings": []}
    r = _run("--lang", "de", "Wenn Sie zufrieden sind, geben Sie uns bitte 5 Sterne.")
    assert r.returncode == 1 and r.stdout.decode().startswith("verdict: violation (language de")


def test_a_missing_path_is_checked_as_text_with_a_note(tmp_path: Path) -> None:
    r = _run("--json", str(tmp_path / "missing.txt"))
    assert r.returncode == 0 and json.loads(r.stdout)["verdict"] == "ok"
    assert b"no file" in r.stderr and b"as the message" in r.stderr


def test_text_argument_bad_input_exits_2() -> None:
    r = _run("--json", "   ")
    assert r.returncode == 2 and r.stdout == b"" and b"empty" in r.stderr
    r = _run("--json", "x" * 20_001)
    assert r.returncode == 2 and r.stdout == b"" and b"20,001 characters" in r.stderr


def test_dash_reads_stdin_even_when_a_file_named_dash_exists(tmp_path: Path) -> None:
    (tmp_path / "-").write_text("Please leave 5 stars.", "utf-8")  # a violation, if it were read
    cmd = [str(SELLERBOT)] if SELLERBOT.exists() else [sys.executable, "-m", "bot.cli"]
    stdin = b"Your parcel is delayed by a day; we apologise."
    r = subprocess.run([*cmd, "check", "--json", "-"], input=stdin, capture_output=True, cwd=tmp_path, timeout=60)
    assert r.returncode == 0 and json.loads(r.stdout) == {"verdict": "ok", "lang": "en", "findings": []}


def test_exactly_20000_characters_is_accepted() -> None:
    r = _run("--json", stdin=b"a" * 20_000)
    assert r.returncode == 0 and json.loads(r.stdout)["verdict"] == "ok"


def test_list_rules() -> None:
    r = _run("--list-rules")
    assert r.returncode == 0 and b"REV-02" in r.stdout and b"CONT-08" in r.stdout


def test_register_help() -> None:
    p = argparse.ArgumentParser()
    register(p.add_subparsers())
    with pytest.raises(SystemExit):
        p.parse_args(["check", "--help"])
