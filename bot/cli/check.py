"""`sellerbot check [--json] [--lang L] [FILE|TEXT|-]`: message compliance check (issue 3).

The argument is a file when one exists at that path, `-` (or nothing) reads stdin, anything else is
the message itself: `sellerbot check "Please leave 5 stars"`.

Exit codes: 0 ok or warning, 1 violation, 2 bad input (empty text, unreadable file, undecodable
bytes, over 20,000 characters) with the reason on stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from handlers.compliance import LANGS, MAX_CHARS, RULES, ComplianceResult, InvalidInput, check
from handlers.compliance.lang import parse_lang


def _looks_like_path(arg: str) -> bool:
    """A one-word argument with a path separator (and no URL scheme) was probably meant as a file."""
    return not any(c.isspace() for c in arg) and ("/" in arg or "\\" in arg) and "://" not in arg


def _lang(value: str) -> str:
    """--lang: one of the 13 codes or a language-region tag (pt-BR, nl_BE, ar-SA), as check() takes them."""
    try:
        return parse_lang(value)
    except InvalidInput as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _read(source: str) -> str:
    if source != "-" and not os.path.lexists(source):
        if _looks_like_path(source):
            print(f"note: no file {source!r}; checking the argument itself as the message", file=sys.stderr)
        return source  # not a file: the argument is the message
    try:
        if source == "-":
            if sys.stdin is None:
                raise InvalidInput("no standard input to read; pass a FILE")
            if sys.stdin.isatty():
                print("reading the message from standard input; end it with Ctrl-D", file=sys.stderr)
            raw = sys.stdin.buffer.read()
        else:
            with open(source, "rb") as fh:
                raw = fh.read(MAX_CHARS * 4 + 8)  # enough for 20,000 characters of any UTF-8
    except OSError as exc:
        raise InvalidInput(f"cannot read {source!r}: {exc.strerror or exc}") from exc
    name = "standard input" if source == "-" else repr(source)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{name} is not valid UTF-8 (bad byte at offset {exc.start}); save it as UTF-8") from exc


def _out(text: str) -> None:
    sys.stdout.buffer.write(text.encode("utf-8") + b"\n")
    sys.stdout.flush()


def human(result: ComplianceResult) -> str:
    lines = [f"verdict: {result.verdict} (language {result.lang}, {len(result.findings)} finding(s))"]
    for f in result.findings:
        lines.append(f"- {f.rule} [{f.severity}] chars {f.start}-{f.end}: {json.dumps(f.excerpt, ensure_ascii=False)}")
        lines.append(f"  why: {f.message}")
        lines.append(f"  fix: {f.fix}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    if args.list_rules:
        for r in RULES:
            _out(f"{r.id:9} {r.severity:9} {r.title} ({r.source})")
        return 0
    try:
        result = check(_read(args.file), args.lang)
    except InvalidInput as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    _out(json.dumps(result.to_json_dict(), ensure_ascii=False) if args.json else human(result))
    return 1 if result.verdict == "violation" else 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "check",
        help="check a buyer message against Amazon's communication and review rules",
        description=(
            "Check a buyer-seller message or review request against Amazon's communication and review "
            "policies (rule IDs from the rule catalogue). Languages: " + ", ".join(LANGS) + " (detected "
            "automatically). Exit codes: 0 ok or warning, 1 violation, 2 bad input."
        ),
    )
    p.add_argument(
        "--json",
        action="store_true",
        help='print {"verdict", "lang", "findings": [{"rule", "severity", "start", "end", "excerpt", '
        '"message", "fix"}]}',
    )
    p.add_argument(
        "--lang",
        type=_lang,
        metavar="L",
        help="override language detection: " + ", ".join(LANGS) + " (or a tag such as pt-BR, nl-BE, ar-SA)",
    )
    p.add_argument("--list-rules", action="store_true", help="list the rules the checker applies and exit")
    p.add_argument(
        "file",
        nargs="?",
        default="-",
        metavar="FILE|TEXT|-",
        help=f"UTF-8 message file, or the message itself when no such file exists (at most {MAX_CHARS:,} "
        "characters), or - for stdin (default)",
    )
    p.set_defaults(func=run)
