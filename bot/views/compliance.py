"""What `/comply` and the "Check compliance" shortcut show: the verdict and the findings (issue 3)."""

from __future__ import annotations

from typing import Any

from bot.views import kit
from handlers.compliance import ComplianceResult, Finding, findings_lines

MAX_SHOWN = 20  # findings rendered (Slack allows 50 blocks per message)
FINDINGS_BUDGET = kit.BLOCK_TEXT_BUDGET - 1000  # characters of findings in one reply (kit.BLOCK_TEXT_BUDGET)

_VERDICT = {
    "violation": ":no_entry: *Violation*: Amazon would block this message or penalise the account.",
    "warning": ":warning: *Warning*: allowed, but review the points below.",
    "ok": ":white_check_mark: *OK*: no rule is broken.",
}


def _quote(text: str, limit: int = 300) -> str:
    return "“" + kit.escape(kit.clip(" ".join(text.split()), limit)) + "”"


def _finding_text(f: Finding) -> str:
    icon = ":no_entry:" if f.severity == "violation" else ":warning:"
    return (
        f"{icon} *{f.rule}* {_quote(f.excerpt)} (characters {f.start}-{f.end})\n"
        f"{kit.escape(kit.clip(f.message, 1000))}\n*Fix:* {kit.escape(kit.clip(f.fix, 1000))}"
    )


def result_message(result: ComplianceResult) -> dict[str, Any]:
    """The verdict and as many findings, whole, as one Slack message holds (at most MAX_SHOWN and
    FINDINGS_BUDGET characters); the count of the rest and where to see them all."""
    n = len(result.findings)
    summary = f"{result.verdict.upper()} (language {result.lang}): {n} finding(s)"
    blocks = [kit.section(_VERDICT[result.verdict] + f"  _(language {result.lang}, {n} finding(s))_")]
    used, shown = 0, 0
    for f in result.findings[:MAX_SHOWN]:
        text = _finding_text(f)
        if shown and used + len(text) > FINDINGS_BUDGET:
            break
        blocks.append(kit.section(text))
        used, shown = used + len(text), shown + 1
    if n > shown:
        blocks.append(kit.context(f"…and {n - shown} more; run `sellerbot check` for the full list."))
    lines = [summary, *(kit.escape(line) for line in findings_lines(result.findings[:shown]))]
    return kit.message("\n".join(lines), blocks, more="run `sellerbot check` for the full list.")
