"""`sellerbot` command line: one subcommand module per surface.

Each module in SUBCOMMANDS exposes `register(subparsers)`, which adds its
parser and sets `func(args) -> int` (the process exit code).
"""

from __future__ import annotations

import argparse
import importlib
import sys

SUBCOMMANDS = [
    "bot.cli.serve",
    "bot.cli.slash",
    "bot.cli.click",
    "bot.cli.check",
    "bot.cli.review",
    "bot.cli.promo",
    "bot.cli.health",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sellerbot",
        description="Slack bot for Amazon sellers: run it locally and drive it with signed requests.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in SUBCOMMANDS:
        importlib.import_module(name).register(sub)
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
