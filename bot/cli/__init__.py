"""`sellerbot` command line: one subcommand module per surface.

Each module in SUBCOMMANDS exposes `register(subparsers)`, which adds its
parser and sets `func(args) -> int` (the process exit code). Every run imports
every subcommand module, so each imports what only its own command needs when
that command runs.
"""

from __future__ import annotations

import argparse
import sys
from typing import Protocol

from bot.cli import (
    accounts,
    affiliates,
    check,
    click,
    consent,
    doctor,
    health,
    manifest,
    promo,
    review,
    secrets,
    serve,
    slash,
    status,
    submit,
)


class Subcommand(Protocol):
    def register(self, subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None: ...


SUBCOMMANDS: tuple[Subcommand, ...] = (
    serve,
    slash,
    click,
    submit,
    check,
    review,
    promo,
    affiliates,
    health,
    status,
    accounts,
    manifest,
    doctor,
    secrets,
    consent,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sellerbot",
        description="Slack bot for Amazon sellers: run it locally and drive it with signed requests.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for subcommand in SUBCOMMANDS:
        subcommand.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
