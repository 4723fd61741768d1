"""Parse `/promo new` inline text into a raw request dict for `validation.validate`.

Grammar: CODE PERCENT ASIN[,ASIN...] START..END [--share-influencers yes|no]
[--marketplace US] [--one-per-customer yes|no] [--note "free text"]
Only syntax is checked here; values are checked (with the same field names) by
`validate`, so both the modal and the inline form give identical messages.
"""

from __future__ import annotations

import shlex

from pydantic import BaseModel, Field

from handlers.promo.validation import Issue

USAGE = 'CODE 20% ASIN1,ASIN2 2026-12-01..2026-12-15 [--share-influencers yes|no] [--marketplace US] [--one-per-customer yes|no] [--note "..."]'
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
    except ValueError as exc:
        out.errors.append(
            Issue(
                field="command",
                message=f"cannot read the command ({exc}); close the quotes around --note. Usage: {USAGE}",
            )
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
                    Issue(field="command", message=f"unknown option {name}; options are {', '.join(_OPTIONS)}")
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
                        message=f"{name} needs a value, e.g. {name} {'US' if field == 'marketplace' else 'yes'}",
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
                message=f"unexpected {' '.join(positional[4:])!r}; ASINs are comma-separated without spaces and the note goes after --note in quotes. Usage: {USAGE}",
            )
        )
    for name, value in zip(_POSITIONAL, positional, strict=False):
        if name == "dates":
            start, sep, end = value.partition("..")
            if not sep or not start or not end:
                out.errors.append(
                    Issue(field="start", message=f"dates {value!r} must be START..END, e.g. 2026-12-01..2026-12-15")
                )
            else:
                out.raw["start"], out.raw["end"] = start, end
        elif name == "asins":
            out.raw["asins"] = [p for p in value.split(",") if p]
        else:
            out.raw[name] = value
    missing = _POSITIONAL[len(positional) :]
    for name in missing:
        field = "start" if name == "dates" else name
        out.errors.append(Issue(field=field, message=f"{name} is missing. Usage: {USAGE}"))
