"""The doctor's checks as Slack lines (the section admins see in `/sellerbot status`)."""

from __future__ import annotations

from bot.views import kit
from handlers.onboarding.doctor import DoctorReport

ICON = {"pass": ":white_check_mark:", "warn": ":warning:", "fail": ":x:"}


def doctor_lines(report: DoctorReport) -> list[str]:
    """One line per check, failures first; a warning's or failure's fix follows on the same line."""
    order = {"fail": 0, "warn": 1, "pass": 2}
    lines = []
    for c in sorted(report.checks, key=lambda c: order[c.outcome]):
        line = f"{ICON[c.outcome]} {kit.escape(c.name)}: {kit.escape(c.detail)}"
        if c.fix and c.outcome != "pass":
            line += f" — {kit.escape(c.fix)}"
        lines.append(line)
    return lines
