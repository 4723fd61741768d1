"""Style rules that can be checked on text: emojis (STYLE-02), more than two line breaks in a row (STYLE-09)."""

from __future__ import annotations

import re

from handlers.compliance.context import Ctx
from handlers.compliance.model import Rule

STYLE = "Amazon Communication Guidelines, style rules (ecommercebytes list of 11)"
# Pictographs and symbols; ★/☆ (U+2605/6) are star ratings (REV-02), not emojis.
_EMOJI = re.compile(
    "(?:[\U0001f000-\U0001faff\u2600-\u2604\u2607-\u27bf\u2b50\u2b55\u2934\u2935\u3030\u303d]"
    "[\ufe0f\u200d\U0001f3fb-\U0001f3ff]*)+"
)
_EMOJI_ANY = re.compile("[\U0001f000-\U0001faff\u2600-\u2604\u2607-\u27bf\u2b50\u2b55\u2934\u2935\u3030\u303d]")
_BREAKS = re.compile(r"(?:\r?\n[ \t]*){3,}")


def _emojis(ctx: Ctx) -> list[tuple[int, int]]:
    if ctx.low.isascii() or _EMOJI_ANY.search(ctx.low) is None:
        return []
    return [m.span() for m in _EMOJI.finditer(ctx.low)]


def _breaks(ctx: Ctx) -> list[tuple[int, int]]:
    if "\n" not in ctx.low:
        return []
    return [m.span() for m in _BREAKS.finditer(ctx.low)]


RULES = [
    Rule(
        "STYLE-02",
        "Emoji",
        "warning",
        STYLE,
        "Emojis are not allowed in buyer messages.",
        "remove",
        "Remove the emoji.",
        scan=_emojis,
    ),
    Rule(
        "STYLE-09",
        "More than two line breaks in a row",
        "warning",
        STYLE,
        "More than two line breaks in a row are not allowed.",
        "instruction",
        "Use at most one empty line between paragraphs.",
        scan=_breaks,
    ),
]
