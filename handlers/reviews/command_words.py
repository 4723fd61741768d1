"""Parse the words of `/review` and `/message` (Slack text and CLI share the option names)."""

from __future__ import annotations

from pydantic import BaseModel

from handlers.reviews.errors import TargetError


class CommandWords(BaseModel):
    positionals: list[str]
    account: str | None = None
    marketplace: str | None = None
    dry_run: bool = False
    rest: str = ""  # /message: the free text after ORDER_ID and TYPE, verbatim


def parse_words(text: str, *, positionals_before_rest: int | None = None) -> CommandWords:
    """Options `--account A`, `--marketplace M` (or `=`), `--dry-run` anywhere before the free text.

    With `positionals_before_rest=n`, everything after the n-th positional is kept verbatim as
    `rest`, so message text may contain anything, including `--`.
    """
    words = CommandWords(positionals=[])
    remaining = (text or "").strip()
    while remaining:
        if positionals_before_rest is not None and len(words.positionals) >= positionals_before_rest:
            words.rest = remaining
            break
        token, _, remaining = remaining.partition(" ")
        remaining = remaining.lstrip()
        if not token:
            continue
        name, eq, value = token.partition("=")
        if name in ("--account", "--marketplace"):
            if not eq:
                value, _, remaining = remaining.partition(" ")
                remaining = remaining.lstrip()
            if not value or value.startswith("--"):
                raise TargetError(f"{name} needs a value, e.g. {name} " + ("acme" if name == "--account" else "US"))
            setattr(words, name[2:], value)
        elif token == "--dry-run":
            words.dry_run = True
        elif token.startswith("--"):
            raise TargetError(f"unknown option `{token[:30]}`; options are --account, --marketplace, --dry-run")
        else:
            words.positionals.append(token)
    return words
