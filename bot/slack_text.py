"""Slack's wire format back to what the person typed (used by `/comply` and `/message` alike)."""

from __future__ import annotations

import html
import re

_SLACK_LINK = re.compile(r"<(?:mailto:)?([^<>|]+)\|([^<>]+)>|<((?:https?|mailto):[^<>|]+)>")


def slack_to_text(text: str) -> str:
    """What the author typed: Slack wraps links as <url|label> and escapes &, <, >."""

    def link(m: re.Match[str]) -> str:
        if m.group(3):
            return m.group(3).removeprefix("mailto:")
        return m.group(2)

    return html.unescape(_SLACK_LINK.sub(link, text))
