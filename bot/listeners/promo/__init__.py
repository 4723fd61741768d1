"""`/promo`: social-media promo codes, from request to approval, hand-off and report (issue 5).

Parsing, validation, permissions, the lifecycle and conditional writes live in
`handlers/promo/`; this package reads Slack payloads, calls `handlers.promo.service`
and renders with `bot.views.promo`. Acks stay cheap (parse, at most one
store read/transaction, or one views.open); Slack calls and reports run in lazy listeners.

- `parsing`: command specs and the ack-path parsers (no I/O)
- `context`: `PromoWorkflow`, a request's way from card to hand-off in this process, and helpers the listeners share
- `commands`: `/promo new|list|show|cancel|approve|reject` and the matching order of all subcommands
- `reports`: `/promo report` and `/promo deals`
- `report_file`: finding and downloading the uploaded sales report
- `modals`: the new-promo and reject modals
- `buttons`: the request card's buttons
- `chart_share`: the "Share in channel" button under a private report chart
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.deps import Deps
from bot.listeners.promo import buttons, chart_share, commands, modals, reports
from bot.listeners.promo.context import PromoWorkflow
from bot.listeners.promo.parsing import (
    APPROVE,
    CANCEL,
    DEALS,
    LIST,
    REJECT,
    REPORT,
    SHOW,
    STATUSES,
    USAGE,
    Words,
    modal_errors,
    modal_raw,
    parse_approve_command,
    parse_cancel_command,
    parse_code_command,
    parse_deals,
    parse_list,
    parse_list_words,
    parse_new,
    parse_reject_command,
    parse_report_command,
    parse_show_command,
    parse_words,
    resolve_account,
)
from bot.listeners.promo.report_file import (
    MAX_REPORT_BYTES,
    REPORT_EXTENSIONS,
    REPORT_FILETYPES,
    ReportFileError,
    download_file,
    pick_report_file,
)
from bot.listeners.promo.reports import PERFORMANCE_REPORT
from bot.listeners.promo_routes import NEW_FORM, NEW_INLINE, subcommand

__all__ = [
    "APPROVE",
    "CANCEL",
    "DEALS",
    "LIST",
    "MAX_REPORT_BYTES",
    "NEW_FORM",
    "NEW_INLINE",
    "PERFORMANCE_REPORT",
    "REJECT",
    "REPORT",
    "REPORT_EXTENSIONS",
    "REPORT_FILETYPES",
    "SHOW",
    "STATUSES",
    "USAGE",
    "PromoWorkflow",
    "ReportFileError",
    "Words",
    "download_file",
    "listeners_by_name",
    "modal_errors",
    "modal_raw",
    "parse_code_command",
    "parse_deals",
    "parse_list",
    "parse_new",
    "parse_reject_command",
    "parse_report_command",
    "parse_words",
    "pick_report_file",
    "resolve_account",
    "subcommand",
]


def listeners_by_name(deps: Deps) -> dict[str, Callable[..., Any]]:
    """Every promo listener by the name bot/listeners/promo_routes.py registers it under."""
    workflow = PromoWorkflow(deps)
    c, r = commands.PromoCommands(workflow), reports.PromoReports(workflow)
    m, b, share = modals.PromoModals(workflow), buttons.PromoButtons(workflow), chart_share.ChartShare(deps)
    acks = {
        f"ack_{sub}_command": commands.acker(deps, parse)
        for sub, parse in (
            ("list", parse_list_words),
            ("show", parse_show_command),
            ("cancel", parse_cancel_command),
            ("approve", parse_approve_command),
            ("reject", parse_reject_command),
        )
    }
    methods = {
        name: getattr(obj, name)
        for obj, names in (
            (c, ("ack_new_form", "ack_new_inline", "run_new_inline", "run_list", "run_show", "run_cancel")),
            (c, ("run_approve_command", "run_reject_command")),
            (r, ("ack_report", "run_report", "ack_deals", "run_deals")),
            (m, ("ack_new_submission", "run_new_submission", "ack_reject_submission", "run_reject_submission")),
            (m, ("ack_created_submission", "run_created_submission")),
            (b, ("ack_button", "run_approve", "ack_reject", "run_hand_off", "ack_mark_created", "run_cancel_button")),
            (share, ("run_share",)),
        )
        for name in names
    }
    named = {**acks, **methods, "ack_unknown": commands.ack_unknown, "ack_chart_share": share.ack}
    if len(named) != len(acks) + len(methods) + 2:
        raise RuntimeError("two promo listeners share a name")  # a stand-in would call the wrong one
    return named
