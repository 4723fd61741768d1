"""What the user sees when a chart cannot be drawn or uploaded (the charts function, issue 16)."""

from __future__ import annotations

from typing import Any

from bot.views import kit


def chart_unavailable(reason: str) -> dict[str, Any]:
    """Only to the requester: the numbers were already posted, only the picture is missing."""
    text = f"chart unavailable: {kit.escape(reason)}; the numbers above are complete"
    return kit.message(text, [kit.section(f":warning: {text}")])
