"""What `/review` and the review sweep say in Slack (issue 4)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.views import kit

if TYPE_CHECKING:
    from handlers.reviews.requests import ReviewOutcome
    from handlers.reviews.sweep import SweepReport

OUTCOME_ICON = {"sent": ":white_check_mark:", "unconfirmed": ":warning:", "failed": ":x:"}


def review_outcome(outcome: ReviewOutcome) -> dict[str, Any]:
    """The reply to `/review ORDER_ID`: sent, skipped (and why) or failed."""
    icon = OUTCOME_ICON.get(outcome.status, ":information_source:")
    text = kit.escape(outcome.text())  # carries Amazon's own error message on a failure
    return kit.message(text, [kit.section(f"{icon} {text}")])


def sweep_progress_text(report: SweepReport, final: bool) -> str:
    """The sweep's progress message: its counts, with an hourglass while it runs."""
    text = kit.escape(report.summary_text())
    return text if final or report.status != "running" else f":hourglass_flowing_sand: {text}"


def sweep_paused(report: SweepReport, *, continued: bool) -> dict[str, Any]:
    """The reply when a sweep ran out of Slack's time: continued by the worker, or to run again."""
    note = (
        "Continuing in the background; this message keeps updating."
        if continued
        else "Run `/review sweep` again to continue from the checkpoint (no order is requested twice)."
    )
    return kit.message(f"{kit.escape(report.summary_text())}\n{note}")
