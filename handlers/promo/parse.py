"""Parse `/promo new` inline text into a raw request dict for `validation.validate`.

Grammar: CODE PERCENT ASIN[,ASIN...] START..END [--marketplace US] [--share-influencers yes|no]
[--one-per-customer yes|no] [--note "free text"]. START and END are dates in the marketplace's
local time, absolute or relative (`+1d..+15d`, `tomorrow..+2w`; handlers/promo/dates.py).
Only syntax is checked here; values are checked (with the same field names) by
`validate`, so both the modal and the inline form give identical messages.
"""

from __future__ import annotations

import shlex

from pydantic import BaseModel, Field

from handlers.promo.dates import split_range
from handlers.promo.usage import INLINE_USAGE
from handlers.promo.validation import Issue

USAGE = INLINE_USAGE
# What each positional is called in a message.
_MISSING = {
    "code": "The promo code is missing",
    "percent_off": "The percentage off is missing",
    "asins": "The ASINs are missing",
    "dates": "The dates are missing (START..END, e.g. +1d..+15d)",
}
_OPTIONS = {
    "--share-influencers": "share_with_influencers",
    "--marketplace": "marketplace",
    "--one-per-customer": "one_per_customer",
    "--note": "note",
}
_POSITIONAL = ("code", "percent_off", "asins", "dates")


class ParsedCommand(BaseModel):
    raw: dict[str, str | list[str]] = Field(default_factory=dict)
    errors: list[Issue] = Field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_inline(text: str) -> ParsedCommand:
    out = ParsedCommand()
    try:
        tokens = shlex.split(text)
    except ValueError:
        out.errors.append(
            Issue(field="command", message="A quote is not closed: close the quotes around the note and send it again.")
        )
        return out
    positional = _read_options(tokens, out)
    _read_positionals(positional, out)
    return out


def _read_options(tokens: list[str], out: ParsedCommand) -> list[str]:
    """Put each `--option value` (or `--option=value`) into `out.raw`; returns the other tokens, in order."""
    positional: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.startswith("--"):
            name, eq, inline_value = tok.partition("=")
            field = _OPTIONS.get(name)
            if field is None:
                out.errors.append(
                    Issue(field="command", message=f"Unknown option {name[:30]}: use {', '.join(_OPTIONS)}.")
                )
                i += 1
                continue
            if eq:
                value = inline_value
            elif i + 1 < len(tokens) and not tokens[i + 1].startswith("--"):
                value = tokens[i + 1]
                i += 1
            else:
                out.errors.append(
                    Issue(
                        field=field,
                        message=f"{name} needs a value, e.g. {name} {'US' if field == 'marketplace' else 'yes'}.",
                    )
                )
                i += 1
                continue
            out.raw[field] = value
        else:
            positional.append(tok)
        i += 1
    return positional


def _read_positionals(positional: list[str], out: ParsedCommand) -> None:
    """CODE PERCENT ASINS START..END into `out.raw`, naming what is extra or missing."""
    if len(positional) > len(_POSITIONAL):
        out.errors.append(
            Issue(
                field="command",
                message=f"Unexpected {' '.join(positional[4:])[:60]} after the dates: separate ASINs with commas and no "
                "spaces, and put the note in quotes after --note.",
            )
        )
    for name, value in zip(_POSITIONAL, positional, strict=False):
        if name == "dates":
            dates = split_range(value)
            if dates is None:
                out.errors.append(
                    Issue(
                        field="start",
                        message=f"Dates {value[:40]} must be START..END, e.g. +1d..+15d or 2026-12-01..2026-12-15.",
                    )
                )
            else:
                out.raw["start"], out.raw["end"] = dates
        elif name == "asins":
            out.raw["asins"] = [p for p in value.split(",") if p]
        else:
            out.raw[name] = value
    missing = _POSITIONAL[len(positional) :]
    for name in missing:
        field = "start" if name == "dates" else name
        out.errors.append(Issue(field=field, message=f"{_MISSING[name]}. Write the request as: {USAGE}"))
