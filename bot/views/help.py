"""What `/sellerbot help` and `/sellerbot status` show."""

from __future__ import annotations

import functools
from typing import Any

from bot.commands import CATALOGUE
from bot.views import kit


def help_message() -> dict[str, Any]:
    """Every declared command with what it does (bot/commands.py's catalogue)."""
    return _help_message(len(CATALOGUE))


@functools.lru_cache(maxsize=1)
def _help_message(_catalogue_size: int) -> dict[str, Any]:
    # Keyed by size: modules declare commands at import, so the text is rebuilt only if one was added.
    specs = sorted(CATALOGUE.values(), key=lambda s: (s.command, s.usage))
    lines = [f"`{s.usage}`  {s.summary}" for s in specs]
    return kit.message(
        "sellerbot commands:\n" + "\n".join(lines),
        [
            kit.header("sellerbot commands"),
            *kit.sections(f"• {line}" for line in lines),
        ],
    )


def status_message(lines: list[str]) -> dict[str, Any]:
    """The store and SP-API checks, failures first."""
    more = "failures are listed first."
    lines = [kit.escape(line) for line in lines]  # plain text: the accounts' names and SP-API's own errors
    return kit.message(
        "sellerbot status\n" + "\n".join(lines),
        [
            kit.header("sellerbot status"),
            *kit.sections(
                sorted(lines, key=lambda line: not line.startswith(":x:")),
                budget=kit.BLOCK_TEXT_BUDGET - 500,
                more=more,
            ),
        ],
        more=more,
    )
