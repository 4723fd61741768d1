"""`sellerbot review` contract: --help, and bad input refused (exit 2) before any SP-API or sandbox start."""

from __future__ import annotations

import argparse

import pytest

from bot.cli import review


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sellerbot")
    review.register(parser.add_subparsers())
    return parser


def test_help_names_both_forms(capsys):
    with pytest.raises(SystemExit) as exc:
        _parser().parse_args(["review", "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "ORDER_ID|sweep" in out and "--dry-run" in out and "--json" in out and "--marketplace" in out


@pytest.mark.parametrize(
    "argv,message",
    [
        (["review", "12-345"], "3-7-7 digits"),
        (["review", "111-1111111-1111111", "--dry-run"], "--dry-run applies to `sellerbot review sweep` only"),
        (["review", "sweep", "--account", "nope"], "--account `nope` is not configured"),
        (["review", "sweep", "--marketplace", "JP"], "--marketplace `JP` is not configured"),
    ],
)
def test_bad_input_exits_2_before_any_call(capsys, argv, message):
    args = _parser().parse_args(argv)
    assert args.func(args) == 2
    assert message in capsys.readouterr().err
