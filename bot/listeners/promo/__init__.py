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

from slack_bolt import App

from bot.deps import Deps
from bot.listeners.promo import buttons, chart_share, commands, modals
from bot.listeners.promo.context import PromoWorkflow
from bot.listeners.promo.parsing import (
    APPROVE,
    CANCEL,
    DEALS,
    LIST,
    NEW_FORM,
    NEW_INLINE,
    REJECT,
    REPORT,
    SHOW,
    STATUSES,
    USAGE,
    Words,
    modal_errors,
    modal_raw,
    parse_code_command,
    parse_deals,
    parse_list,
    parse_new,
    parse_reject_command,
    parse_report_command,
    parse_words,
    resolve_account,
    subcommand,
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
    "register",
    "resolve_account",
    "subcommand",
]


def register(app: App, deps: Deps) -> None:
    """Commands, then modals, then buttons: the order the single-module listener registered them in."""
    workflow = PromoWorkflow(deps)
    commands.register(app, deps, workflow)
    modals.register(app, deps, workflow)
    buttons.register(app, deps, workflow)
    chart_share.register(app, deps)
