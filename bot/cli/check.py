"""`sellerbot check [--json] [--lang L] [FILE|-]`: message compliance check (issue 3)."""
from __future__ import annotations

import argparse
import json
import sys

from handlers.compliance import InvalidInput, check

LANGS = ("en", "zh", "de", "fr", "es", "it", "ja")


def _read(source: str) -> str:
    try:
        raw = sys.stdin.buffer.read() if source == "-" else open(source, "rb").read()
    except OSError as exc:
        raise InvalidInput(f"cannot read {source!r}: {exc.strerror}") from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{source!r} is not valid UTF-8 (byte {exc.start}); save it as UTF-8") from exc


def run(args: argparse.Namespace) -> int:
    try:
        result = check(_read(args.file), args.lang)
    except InvalidInput as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result.to_json_dict(), ensure_ascii=False))
    else:
        print(f"verdict: {result.verdict} (lang {result.lang})")
        for f in result.findings:
            print(f"- {f.rule} [{f.severity}] \"{f.excerpt}\" ({f.start}-{f.end}): {f.message}\n  fix: {f.fix}")
    return 1 if result.verdict == "violation" else 0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("check", help="check a buyer message against Amazon communication rules",
                              description="Exit 0 ok/warning, 1 violation, 2 bad input.")
    p.add_argument("--json", action="store_true", help="print the JSON result")
    p.add_argument("--lang", choices=LANGS, help="override language detection")
    p.add_argument("file", nargs="?", default="-", metavar="FILE|-", help="message file, or - for stdin (default)")
    p.set_defaults(func=run)
