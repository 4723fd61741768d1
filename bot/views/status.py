"""The admins' `/sellerbot status`: version, schedules, queues, 24 h errors, health-check coverage.

Compact: one section per part, one line per row. Every value from the store, the environment or AWS is
escaped (a queue name, a version string or a pair label never becomes a mention or a link). A figure
that could not be read reads "unknown: <reason>", never 0.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.views import kit
from bot.views.health import duration
from handlers.ops.status import ErrorsStatus, HealthStatus, QueueStatus, ScheduleStatus, Status

OK, WARN, UNKNOWN = ":white_check_mark:", ":warning:", ":grey_question:"


def _when(at: datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M UTC")


def _unknown(reason: str | None) -> str:
    return f"{UNKNOWN} unknown: {kit.escape(reason or 'not read')}"


def schedule_line(row: ScheduleStatus) -> str:
    name = f"*{kit.escape(row.what)}* (`{kit.escape(row.rate)}`)"
    if row.unknown:
        return f"{name}: {_unknown(row.unknown)}"
    if row.last_success_at is None:
        return f"{WARN} {name}: no successful run recorded"
    age = duration(timedelta(seconds=row.age_seconds or 0))
    icon = WARN if row.late else OK
    late = ", late: no success within twice the schedule" if row.late else ""
    return f"{icon} {name}: last success {age} ago ({_when(row.last_success_at)}){late}"


def queue_line(row: QueueStatus) -> str:
    name = f"*{kit.escape(row.name)}*"
    if row.unknown or row.depth is None:
        return f"{name}: {_unknown(row.unknown)}"
    # Anything parked in a dead-letter or failure queue needs a look; a work queue's backlog is normal.
    icon = WARN if row.kind != "work" and row.depth else OK
    extra = f", {row.in_flight} in flight" if row.in_flight else ""
    extra += f", {row.delayed} delayed" if row.delayed else ""
    kind = {"work": "", "dlq": " (DLQ)", "failure": " (failure destination)"}[row.kind]
    return f"{icon} {name}{kind}: {row.depth} waiting{extra}"


def errors_lines(errors: ErrorsStatus) -> list[str]:
    if errors.errors is None and errors.throttles is None and errors.spapi_throttles is None:
        return [_unknown(errors.unknown)]

    def figure(value: int | None) -> str:
        return "unknown" if value is None else str(value)

    bad = bool(errors.errors or errors.throttles or errors.spapi_throttles)
    lines = [
        f"{WARN if bad else OK} Lambda errors {figure(errors.errors)}, Lambda throttles {figure(errors.throttles)}, "
        f"SP-API throttles {figure(errors.spapi_throttles)}"
    ]
    worst = sorted((f for f in errors.functions if f.errors or f.throttles), key=lambda f: -(f.errors or 0))
    if worst:
        lines.append(
            "by function: "
            + ", ".join(f"`{kit.escape(f.function)}` {f.errors or 0} err / {f.throttles or 0} thr" for f in worst[:6])
        )
    if errors.unknown:
        lines.append(_unknown(errors.unknown))
    return lines


def health_lines(health: HealthStatus) -> list[str]:
    if health.unknown or health.checked is None:
        return [f"{health.pairs} account × marketplace pairs: {_unknown(health.unknown)}"]
    bad = bool(health.stale or health.failed)
    lines = [
        f"{WARN if bad else OK} {health.pairs} account × marketplace pairs: {health.checked} checked, "
        f"{health.stale} stale, {health.failed} failed, {health.in_flight} checking now "
        f"(stale: no success in {health.stale_after_hours:g} h)"
    ]
    if health.last_success_at:
        lines.append(f"last successful check {_when(health.last_success_at)}")
    if health.stale_pairs:
        lines.append("stale: " + ", ".join(kit.escape(p) for p in health.stale_pairs))
    if health.failed_pairs:
        lines.append("failed: " + ", ".join(kit.escape(p) for p in health.failed_pairs))
    return lines


def ops_status_message(
    status: Status, access_lines: list[str] | None = None, *, doctor: list[str] | None = None
) -> dict[str, Any]:
    """The full view for admins; `access_lines` (the store and SP-API checks) follow, failures first, then
    `doctor`, the first-run checks (bot/views/doctor.py, already escaped)."""
    version = (
        kit.escape(status.version)
        if status.version
        else f"unknown: {kit.escape(status.unknown.get('version', 'not read'))}"
    )
    deployed = (
        kit.escape(status.deployed_at)
        if status.deployed_at
        else f"unknown: {kit.escape(status.unknown.get('deployed_at', 'not read'))}"
    )
    head = f"*Version* {version}\n*Deployed* {deployed} · stage `{kit.escape(status.stage)}`"
    parts = [
        ("Schedules", [schedule_line(s) for s in status.schedules]),
        ("Queues", [queue_line(q) for q in status.queues]),
        (f"Last {status.errors_24h.window_hours} h", errors_lines(status.errors_24h)),
        ("Health checks", health_lines(status.health)),
    ]
    blocks = [kit.header("sellerbot status"), kit.section(head)]
    for title, lines in parts:
        blocks.append(kit.section(f"*{title}*\n" + "\n".join(lines)))
    if access_lines:
        escaped = sorted((kit.escape(line) for line in access_lines), key=lambda line: not line.startswith(":x:"))
        blocks.extend(kit.sections(escaped, budget=2500, more="failures are listed first."))
    if doctor:
        blocks.extend(
            kit.sections(
                ["*First-run checks* (`sellerbot doctor`)", *doctor], budget=2500, more="run `sellerbot doctor`."
            )
        )
    blocks.append(kit.context(f"Read {_when(status.generated_at)}; figures are cached for up to a minute."))
    text = "sellerbot status\n" + "\n".join(f"{title}: " + "; ".join(lines) for title, lines in parts)
    return kit.message(text, blocks, more="failures are listed first.")
