"""`/promo`'s registration: the command specs, the routing tests and thin listeners that load
bot.listeners.promo (its handlers, views and listeners, ~65 ms of imports) on the first /promo request,
promo button or form, so a cold start that acks another command never pays for them (issue 16).

Every listener here is a stand-in with the real one's name (Bolt re-invokes lazy listeners by name) that
takes Bolt's `args` and passes the real listener the arguments it names.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from slack_bolt import App

from bot.commands import CommandSpec, UsageError, declare
from bot.deps import Deps
from bot.listeners.lazy_module import stand_in
from bot.listeners.routing import only_if
from handlers.promo.usage import INLINE_USAGE

# Ids the views define (bot/views/promo); written out here so registering them imports no view code.
# tests/unit/bot/test_promo_routes.py keeps them equal.
VIEW_IDS = {"new": "promo_new", "reject": "promo_reject_reason", "created": "promo_created_id"}
BUTTON_IDS = {
    "approve": "promo_approve",
    "reject": "promo_reject",
    "hand_off": "promo_hand_off",
    "mark_created": "promo_mark_created",
    "cancel": "promo_cancel",
    "chart_share": "promo_chart_share",
}

NEW_FORM = declare(CommandSpec("/promo", "/promo new [--account A]", "Open a form to request a promo code"))
NEW_INLINE = declare(
    CommandSpec(
        "/promo",
        f"/promo new {INLINE_USAGE} [--account A]",
        "Request a promo code in one line; it goes to the approvals channel",
    )
)
LIST = declare(
    CommandSpec(
        "/promo",
        "/promo list [--status S] [--account A]",
        "Promotions you requested (approvers: all), optionally by status",
    )
)
SHOW = declare(CommandSpec("/promo", "/promo show CODE [--account A]", "One promotion with its audit trail"))
CANCEL = declare(
    CommandSpec("/promo", "/promo cancel CODE [reason] [--account A]", "Cancel a promotion (requester or approver)")
)
REPORT = declare(
    CommandSpec(
        "/promo",
        "/promo report CODE [FILE_ID] [--account A]",
        "Summarise Amazon's promo-code sales report uploaded to this channel (CSV/TSV), with a chart",
    )
)
APPROVE = declare(
    CommandSpec(
        "/promo",
        "/promo approve CODE [--account A]",
        "Approve a pending promo code (approvers; same as the card's Approve button)",
    )
)
REJECT = declare(
    CommandSpec(
        "/promo", "/promo reject CODE reason… [--account A]", "Reject a pending promo code with a reason (approvers)"
    )
)
DEALS = declare(
    CommandSpec(
        "/promo",
        "/promo deals [--account A] [--marketplace M] [--report-id ID]",
        "Best Deal / Lightning Deal results from Amazon's promotion performance report (SP-API)",
    )
)
USAGE = "\n".join(s.usage for s in (NEW_FORM, NEW_INLINE, LIST, SHOW, CANCEL, APPROVE, REJECT, REPORT, DEALS))
_ACCOUNT_OPT = re.compile(r"(?:^|\s)--account(?:=|\s+)(\S+)")


def subcommand(body: dict) -> str:
    words = (body.get("text") or "").split()
    return words[0].lower() if words else ""


def subcommand_is(name: str) -> Callable[[dict], bool]:
    """A routing test for `/promo NAME …` (see bot/listeners/routing.py)."""
    return lambda body: subcommand(body) == name


def rest_of(text: str) -> str:
    """The text after the subcommand."""
    return text.strip().partition(" ")[2].strip()


def strip_account(text: str) -> tuple[str | None, str]:
    found = _ACCOUNT_OPT.findall(text)
    if len(found) > 1:
        raise UsageError("--account is given twice; give it once.", USAGE)
    return (found[0] if found else None), _ACCOUNT_OPT.sub(" ", text).strip()


def is_new_form(body: dict) -> bool:
    """`/promo new` with nothing but `--account`: open the modal."""
    if subcommand(body) != "new":
        return False
    try:
        return not strip_account(rest_of(body.get("text") or ""))[1]
    except UsageError:
        return False


def is_new_inline(body: dict) -> bool:
    return subcommand(body) == "new" and not is_new_form(body)


def register(app: App, deps: Deps) -> None:
    built: list[dict[str, Callable[..., Any]]] = []

    def listeners() -> dict[str, Callable[..., Any]]:
        if not built:
            # Imported on the first /promo request, promo button or form, not at cold start.
            from bot.listeners.promo import listeners_by_name

            built.append(listeners_by_name(deps))
        return built[0]

    def listener(name: str) -> Callable[..., Any]:
        return stand_in(name, listeners)

    # Bolt runs the first listener whose routing test holds: the form/inline split of `new` first, the
    # catch-all for unknown subcommands last.
    app.command("/promo", middleware=only_if(is_new_form))(listener("ack_new_form"))
    app.command("/promo", middleware=only_if(is_new_inline))(
        ack=listener("ack_new_inline"), lazy=[listener("run_new_inline")]
    )
    for sub, ack, run in (
        ("list", "ack_list_command", "run_list"),
        ("show", "ack_show_command", "run_show"),
        ("cancel", "ack_cancel_command", "run_cancel"),
        ("approve", "ack_approve_command", "run_approve_command"),
        ("reject", "ack_reject_command", "run_reject_command"),
        ("report", "ack_report", "run_report"),
        ("deals", "ack_deals", "run_deals"),
    ):
        app.command("/promo", middleware=only_if(subcommand_is(sub)))(ack=listener(ack), lazy=[listener(run)])
    app.command("/promo")(listener("ack_unknown"))
    for view, name in (("new", "new_submission"), ("reject", "reject_submission"), ("created", "created_submission")):
        app.view(VIEW_IDS[view])(ack=listener(f"ack_{name}"), lazy=[listener(f"run_{name}")])
    app.action(BUTTON_IDS["approve"])(ack=listener("ack_button"), lazy=[listener("run_approve")])
    app.action(BUTTON_IDS["reject"])(listener("ack_reject"))
    app.action(BUTTON_IDS["hand_off"])(ack=listener("ack_button"), lazy=[listener("run_hand_off")])
    app.action(BUTTON_IDS["mark_created"])(listener("ack_mark_created"))
    app.action(BUTTON_IDS["cancel"])(ack=listener("ack_button"), lazy=[listener("run_cancel_button")])
    app.action(BUTTON_IDS["chart_share"])(ack=listener("ack_chart_share"), lazy=[listener("run_share")])
