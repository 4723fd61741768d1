"""Block Kit for promo codes: the request card, the hand-off, modals, lists, the report.

Pure functions from domain objects (`PromoCard`, `HandoffResult`, `Promotion`,
`TransitionResult`, `PromoReport`) to Slack payload dicts and mrkdwn; no I/O.
The domain names a card's actions with `Action`; `ACTION_IDS` are their Slack buttons.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from bot.views import kit
from handlers.promo.gateway import HandoffResult
from handlers.promo.lifecycle import Action, Forbidden, Rule
from handlers.promo.models import PromoStatus, Promotion
from handlers.promo.report import PromoReport
from handlers.promo.repository import MARKED_CREATED, TransitionResult
from handlers.promo.service import CardField, PromoCard
from handlers.promo.validation import FIELDS, Issue
from infra.accounts import AccountConfig

NEW_VIEW = "promo_new"
REJECT_VIEW = "promo_reject_reason"
# Modal block ids are the validation field names, so `Issue.field` pins an error to its input.
MODAL_FIELDS = tuple(field for field in FIELDS if field != "account_id")  # the account is not a form input
REASON_BLOCK = "reason"
LIST_BUDGET = kit.BLOCK_TEXT_BUDGET - 2500  # characters of list lines in one reply; the rest is headers and notes

# Button action ids the listeners register; values carry "<account>:<promo id>".
ACTION_IDS: dict[Action, str] = {
    Action.APPROVE: "promo_approve",
    Action.REJECT: "promo_reject",
    Action.HAND_OFF: "promo_hand_off",
    Action.CONFIRM_CREATED: "promo_mark_created",
    Action.CANCEL: "promo_cancel",
}

_BUTTONS: dict[str, tuple[str, str | None]] = {
    ACTION_IDS[Action.APPROVE]: ("Approve", "primary"),
    ACTION_IDS[Action.REJECT]: ("Reject…", "danger"),
    ACTION_IDS[Action.HAND_OFF]: ("Show Seller Central steps", None),
    ACTION_IDS[Action.CONFIRM_CREATED]: ("Mark as created", "primary"),
    ACTION_IDS[Action.CANCEL]: ("Cancel promotion", "danger"),
}
# The shared approvals card never offers Cancel (a misclick there would end someone's promotion):
# `/promo cancel CODE` does that, with the same permission check.
CARD_ACTIONS = (
    ACTION_IDS[Action.APPROVE],
    ACTION_IDS[Action.REJECT],
    ACTION_IDS[Action.HAND_OFF],
    ACTION_IDS[Action.CONFIRM_CREATED],
)
STATUS_ICON = {
    PromoStatus.DRAFT: ":memo:",
    PromoStatus.PENDING_APPROVAL: ":hourglass_flowing_sand:",
    PromoStatus.APPROVED: ":white_check_mark:",
    PromoStatus.HANDED_OFF: ":outbox_tray:",
    PromoStatus.ACTIVE: ":large_green_circle:",
    PromoStatus.ENDED: ":checkered_flag:",
    PromoStatus.REJECTED: ":no_entry:",
    PromoStatus.CANCELLED: ":x:",
}


def _field_value(field: CardField) -> str:
    """The value as mrkdwn: a user field is the mention, then its text."""
    if field.user is None:
        return kit.escape(field.value)
    return kit.mention(field.user) + (f" {kit.escape(field.value)}" if field.value else "")


def _pairs(fields: Sequence[CardField]) -> list[dict[str, Any]]:
    """Label/value pairs as section fields (≤ 10 per section, Slack's limit)."""
    blocks = []
    cells = [{"type": "mrkdwn", "text": kit.clip(f"*{f.label}*\n{_field_value(f)}", 2000)} for f in fields]
    for start in range(0, len(cells), 10):
        blocks.append({"type": "section", "fields": cells[start : start + 10]})
    return blocks


def card_message(card: PromoCard, *, note: str | None = None) -> dict[str, Any]:
    """chat.postMessage / chat.update kwargs (text + blocks) for the approval card."""
    icon = STATUS_ICON.get(card.status, "")
    blocks: list[dict[str, Any]] = [kit.header(card.title), *_pairs(card.fields)]
    if card.warnings:
        blocks.append(kit.context(":warning: " + "\n:warning: ".join(kit.escape(w) for w in card.warnings)))
    if note:
        blocks.append(kit.context(note))
    buttons = [
        kit.button(_BUTTONS[a][0], a, card.button_value, _BUTTONS[a][1]) for a in _ids(card) if a in CARD_ACTIONS
    ]
    if buttons:
        blocks.append(kit.actions(*buttons, block_id=f"promo_card:{card.promo_id}"))
    blocks.append(
        kit.context(f"{icon} Status: *{card.status.value}* · account `{card.account_id}` · id `{card.promo_id}`")
    )
    code = card.code
    return kit.fit(
        {"text": f"Promo code {kit.escape(code)}: {card.status.value}", "blocks": blocks},
        more=f"`/promo show {kit.escape(code)}` has it all.",
    )


def _ids(card: PromoCard) -> list[str]:
    """The action ids of the card's actions."""
    return [ACTION_IDS[a] for a in card.actions if a in ACTION_IDS]


def ended_notice(promo: Promotion) -> str:
    """The requester's DM when their promotion ended (sent once)."""
    return (
        f":checkered_flag: Promo code {promo.code} ended on {promo.end:%Y-%m-%d %H:%M} UTC. "
        f"Upload Amazon's report to a channel and run /promo report {promo.code}."
    )


def handoff_message(h: HandoffResult, promo: Promotion) -> dict[str, Any]:
    """The exact values to type into Seller Central, the deep link, and "Mark as created"."""
    value = f"{promo.account_id}:{promo.id}"
    lines = [f"*{kit.escape(f.label)}*: `{kit.escape(f.value)}`" for f in h.fields]
    steps = "\n".join(f"{n}. {kit.escape(s)}" for n, s in enumerate(handoff_steps(h), 1))
    blocks = [
        kit.header(f"Create {h.code} in Seller Central"),
        kit.section(f"<{h.deep_link}|Open Seller Central → Promotions → Create>  ({h.deep_link})"),
        kit.section(steps),
        *kit.sections(lines),
    ]
    if h.warnings:
        blocks.append(kit.context(":warning: " + "\n:warning: ".join(kit.escape(w) for w in h.warnings)))
    if h.requires_confirmation:
        blocks.append(
            kit.actions(
                kit.button("Mark as created", ACTION_IDS[Action.CONFIRM_CREATED], value, "primary"),
                block_id=f"promo_handoff:{promo.id}",
            )
        )
    text = (
        f"Create promo code {kit.escape(h.code)} in Seller Central: {h.deep_link}\n"
        + "\n".join(f"{kit.escape(f.label)}: {kit.escape(f.value)}" for f in h.fields)
        + "\nThen press 'Mark as created'."
    )
    return kit.fit({"text": text, "blocks": blocks})


def handoff_steps(h: HandoffResult) -> list[str]:
    """The gateway's steps, then (when it needs one) how to confirm here."""
    if not h.requires_confirmation:
        return h.steps
    return [*h.steps, "Submit, then press 'Mark as created' here (paste the promotion ID if Seller Central shows one)."]


_RULES = {
    Rule.BY_DATES: "activation and expiry follow the dates; nobody sets them by hand",
    Rule.NOT_OWN_REQUEST: "you requested this promotion, so someone else from the approvers list must decide",
    Rule.REQUESTER_OR_APPROVER: "only the requester or an approver can do this",
}


def forbidden_text(f: Forbidden) -> str:
    """Why someone may not do an action, naming whom it takes."""
    if f.rule is Rule.REQUESTER_SUBMITS:
        return f"only the requester {kit.mention(f.requester)} can submit this draft"
    if f.rule is Rule.APPROVERS_DECIDE:
        return "only the account's approvers can approve or reject promotions: " + (
            ", ".join(kit.mention(a) for a in f.approvers) or "none configured"
        )
    return _RULES[f.rule]


def transition_text(t: TransitionResult) -> str:
    """What a requested change did or why not, in mrkdwn (the people as mentions)."""
    if t.forbidden is not None:
        return forbidden_text(t.forbidden)
    if t.outcome == "already_decided" and t.verdict is not None:
        who = kit.mention(t.decided_by)
        if t.verdict == MARKED_CREATED:
            return f"already {MARKED_CREATED} by {who}"
        when = t.decided_at.strftime("%Y-%m-%d %H:%M UTC") if t.decided_at else "earlier"
        return f"already {t.verdict} by {who} at {when}"
    return kit.escape(t.message)


def issues_text(issues: Iterable[Issue]) -> str:
    return "\n".join(f"• *{kit.escape(i.field)}*: {kit.escape(i.message)}" for i in issues)


def invalid_request(errors: Sequence[Issue], warnings: Sequence[Issue], usage: str) -> dict[str, Any]:
    n = len(errors)
    head = f"The promo request has {n} problem{'s' if n != 1 else ''}; nothing was stored. Fix and send it again:"
    blocks = [
        kit.section(f":warning: {head}"),
        *kit.sections(
            issues_text(errors).split("\n"),
            budget=LIST_BUDGET // 2,
            more="fix these and send it again to see the rest.",
        ),
    ]
    if warnings:
        blocks.append(kit.context("Also note:\n" + issues_text(warnings)))
    blocks.append(kit.context("Usage:\n```" + usage + "```"))
    plain = "\n".join(f"- {kit.escape(i.field)}: {kit.escape(i.message)}" for i in errors)
    return kit.message(f"Error: {head}\n{plain}\nUsage: {kit.escape(usage)}", blocks)


def submitted(promo: Promotion, channel: str, warnings: Sequence[Issue], approvers: Sequence[str]) -> dict[str, Any]:
    who = ", ".join(kit.mention(a) for a in approvers if a != promo.requester) or "an approver"
    code = kit.escape(promo.code)
    text = f":inbox_tray: {code} ({promo.percent_off:g}% off) is waiting for approval in <#{channel}> by {who}."
    blocks = [kit.section(text)]
    if warnings:
        blocks.append(kit.context("Before it is approved, note:\n" + issues_text(warnings)))
    listed = "\n".join(f"- {kit.escape(w.field)}: {kit.escape(w.message)}" for w in warnings)
    plain = text + ("\nWarnings:\n" + listed if warnings else "")
    return kit.message(plain, blocks)


# ---- modals -----------------------------------------------------------------------------------
def _input(
    block_id: str, label: str, element: dict[str, Any], *, optional: bool = False, hint: str | None = None
) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": {"type": "plain_text", "text": label},
        "element": element,
    }
    if hint:
        block["hint"] = {"type": "plain_text", "text": hint}
    return block


def _opt(text: str, value: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": text}, "value": value}


def new_promo_modal(account: AccountConfig, metadata: dict[str, str], *, today: date) -> dict[str, Any]:
    """The `/promo new` form for `account`: one input per validation field (MODAL_FIELDS)."""
    blocks = [
        kit.context(
            f"Account: *{kit.escape(account.name)}* (`{account.account_id}`). "
            "Use `/promo new --account ID` for another account."
        ),
        *_offer_inputs(),
        *_date_inputs(start=today + timedelta(days=1)),
        *_terms_inputs([m.code for m in account.marketplaces][: kit.SELECT_OPTIONS_LIMIT] or ["US"]),
    ]
    return kit.fit_view(
        {
            "type": "modal",
            "callback_id": NEW_VIEW,
            "private_metadata": json.dumps(metadata),
            "title": {"type": "plain_text", "text": "New promo code"},
            "submit": {"type": "plain_text", "text": "Request approval"},
            "close": {"type": "plain_text", "text": "Cancel"},
            "blocks": blocks,
        }
    )


def _offer_inputs() -> list[dict[str, Any]]:
    """The code, the discount and the products."""
    return [
        _input(
            "code",
            "Promo code",
            {
                "type": "plain_text_input",
                "action_id": "value",
                "max_length": 40,
                "placeholder": {"type": "plain_text", "text": "SUMMER2026"},
            },
            hint="8-12 letters and digits; Amazon treats 0/O and 1/I alike",
        ),
        _input(
            "percent_off",
            "Percent off",
            {"type": "plain_text_input", "action_id": "value", "placeholder": {"type": "plain_text", "text": "20"}},
            hint="5-80",
        ),
        _input(
            "asins",
            "ASINs or SKUs",
            {
                "type": "plain_text_input",
                "action_id": "value",
                "multiline": True,
                "placeholder": {"type": "plain_text", "text": "B0ABCDEFGH, B0IJKLMNOP"},
            },
            hint="comma, space or newline separated",
        ),
    ]


def _date_inputs(start: date) -> list[dict[str, Any]]:
    """Start and end, defaulting to tomorrow and two weeks later."""
    return [
        _input(
            "start", "Start date (UTC)", {"type": "datepicker", "action_id": "value", "initial_date": start.isoformat()}
        ),
        _input(
            "end",
            "End date (UTC, included)",
            {"type": "datepicker", "action_id": "value", "initial_date": (start + timedelta(days=14)).isoformat()},
            hint="at most 30 days after the start; 14+ days recommended",
        ),
    ]


def _terms_inputs(markets: list[str]) -> list[dict[str, Any]]:
    """Where it runs, who may share it, how often a customer may redeem it, and an internal note."""
    default_market = "US" if "US" in markets else markets[0]
    yes, no = _opt("Yes (cannot be changed later)", "yes"), _opt("No", "no")
    once = _opt("One redemption per customer", "yes")
    return [
        _input(
            "marketplace",
            "Marketplace",
            {
                "type": "static_select",
                "action_id": "value",
                "options": [_opt(m, m) for m in markets],
                "initial_option": _opt(default_market, default_market),
            },
        ),
        _input(
            "share_with_influencers",
            "Share with Amazon Influencers and Associates",
            {"type": "radio_buttons", "action_id": "value", "options": [yes, no], "initial_option": yes},
        ),
        _input(
            "one_per_customer",
            "Redemption",
            {"type": "checkboxes", "action_id": "value", "options": [once]},
            optional=True,
        ),
        _input(
            "note",
            "Internal note",
            {"type": "plain_text_input", "action_id": "value", "multiline": True, "max_length": 500},
            optional=True,
        ),
    ]


def reject_modal(promo: Promotion, metadata: dict[str, str]) -> dict[str, Any]:
    return kit.fit_view(
        {
            "type": "modal",
            "callback_id": REJECT_VIEW,
            "private_metadata": json.dumps(metadata),
            "title": {"type": "plain_text", "text": "Reject promo code"},
            "submit": {"type": "plain_text", "text": "Reject"},
            "close": {"type": "plain_text", "text": "Back"},
            "blocks": [
                kit.section(
                    f"Reject *{kit.escape(promo.code)}* ({promo.percent_off:g}% off) "
                    f"requested by {kit.mention(promo.requester)}?"
                ),
                _input(
                    REASON_BLOCK,
                    "Reason (sent to the requester)",
                    {"type": "plain_text_input", "action_id": "value", "multiline": True, "max_length": 500},
                ),
            ],
        }
    )


# ---- list / show / report ---------------------------------------------------------------------
def _line(p: Promotion) -> str:
    return (
        f"{STATUS_ICON.get(p.status, '')} `{kit.escape(p.code)}` {p.percent_off:g}% · *{p.status.value}* · "
        f"{p.start:%Y-%m-%d}..{p.end:%Y-%m-%d} · {kit.escape(p.marketplace)} · `{kit.escape(p.account_id)}` · "
        f"by {kit.mention(p.requester)}"
    )


def promo_list(promos: Sequence[Promotion], scope: str) -> dict[str, Any]:
    if not promos:
        return kit.message(f"No promotions {scope}.")
    lines = [_line(p) for p in promos]
    blocks = [kit.header(f"Promotions {scope} ({len(promos)})")]
    narrow = "narrow the list with --status or --account."
    blocks += kit.sections(lines, budget=LIST_BUDGET, more=narrow)
    return kit.message(f"{len(promos)} promotions {scope}:\n" + "\n".join(lines), blocks, more=narrow)


def audit_lines(promo: Promotion) -> list[str]:
    out = []
    for e in promo.history:
        who = "sellerbot (dates)" if e.by == "system" else kit.mention(e.by)
        frm = f"{e.from_status.value} → " if e.from_status else ""
        extra = "; ".join(f"{k}: {kit.escape(str(v))}" for k, v in e.detail.items() if v not in (None, "", False))
        out.append(
            f"{e.at:%Y-%m-%d %H:%M:%S} UTC · {who} · *{e.action}* · {frm}{e.to_status.value}"
            + (f" ({extra})" if extra else "")
        )
    return out


def promo_detail(card: PromoCard, promo: Promotion) -> dict[str, Any]:
    """`/promo show`: the card with the buttons this viewer may use (incl. Cancel), and the audit trail."""
    msg = card_message(card)
    blocks = [b for b in msg["blocks"] if b.get("type") != "actions"]
    buttons = [kit.button(_BUTTONS[a][0], a, card.button_value, _BUTTONS[a][1]) for a in _ids(card) if a in _BUTTONS]
    if buttons:
        blocks.insert(len(blocks) - 1, kit.actions(*buttons, block_id=f"promo_show:{card.promo_id}"))
    trail = audit_lines(promo)
    blocks += kit.sections(
        ["*Audit trail*", *(trail or ["none"])], budget=LIST_BUDGET // 2, more="the oldest entries are shown first."
    )
    if promo.handoff:
        h = promo.handoff
        state = (
            f"created, confirmed by {kit.mention(h.confirmed_by)} at {h.confirmed_at:%Y-%m-%d %H:%M} UTC"
            if h.created_confirmed and h.confirmed_at
            else "waiting for 'Mark as created'"
        )
        blocks.append(
            kit.context(
                f"Hand-off via {kit.escape(h.gateway)} by {kit.mention(h.handed_off_by)}: {state}. "
                f"{kit.escape(h.deep_link)}"
            )
        )
    text = msg["text"] + "\nAudit trail:\n" + "\n".join(trail)
    return kit.message(text, blocks)


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _money(x: float) -> str:
    return f"{x:,.2f}"


def _pct(x: float | None) -> str:
    return "n/a (no referral column)" if x is None else f"{x * 100:.1f}%"


def report_summary(report: PromoReport, filename: str) -> tuple[str, list[dict[str, Any]]]:
    code = report.code or "all codes"
    fields = [
        ("Orders", str(report.orders)),
        ("Units", str(report.units)),
        ("Revenue", _money(report.revenue)),
        ("Discount cost", _money(report.discount_cost)),
        (
            "Referred by Influencers/Associates (orders)",
            f"{report.referred_orders} ({_pct(report.referred_share_orders)})",
        ),
        ("Referred revenue", f"{_money(report.referred_revenue)} ({_pct(report.referred_share_revenue)})"),
    ]
    blocks = [kit.header(f"Promo report — {code}"), *_pairs([CardField(label=k, value=v) for k, v in fields])]
    if report.daily:
        days = "\n".join(
            f"{d.date:%Y-%m-%d}: {_n(d.orders_referred + d.orders_not_referred, 'order')} "
            f"({d.orders_referred} referred), revenue {_money(d.revenue)}"
            for d in report.daily[-31:]
        )
        blocks.append(kit.section("*Daily totals*\n" + days))
    note = f"From `{kit.escape(filename)}` ({report.rows} rows, {report.encoding}, delimiter {report.delimiter!r})."
    if report.row_errors:
        listed = report.row_errors[:5]
        shown = "; ".join(f"line {e.line}: {kit.escape(e.reason)}" for e in listed)
        # The report lists only its first MAX_ROW_ERRORS bad rows; the count covers all of them.
        more = report.row_error_count - len(listed)
        note += f" {report.row_error_count} unreadable rows left out of the totals: {shown}"
        note += f"; and {more} more rows with errors." if more else ""
    blocks.append(kit.context(note))
    text = (
        f"Promo report {kit.escape(code)}: {report.orders} orders, {report.units} units, revenue {_money(report.revenue)}, "
        f"discount cost {_money(report.discount_cost)}, referred {_pct(report.referred_share_orders)} of orders."
    )
    return text, blocks


def report_notes(report: PromoReport, filename: str, code: str, *, requested: bool) -> list[dict[str, Any]]:
    """What the totals of `/promo report` rest on: a file without a promo-code column, a code sellerbot never saw."""
    notes = []
    if "promo_code" not in report.columns:
        notes.append(
            kit.context(
                f"`{kit.escape(filename)}` has no promo-code column, so every row is counted as {kit.escape(code)} "
                "(Amazon's per-code report holds one code)."
            )
        )
    if not requested:
        notes.append(
            kit.context(f"{kit.escape(code)} was not requested through sellerbot; totals come from the file only.")
        )
    return notes


def deals_pending(account_id: str, code: str, report_id: str, status: str) -> dict[str, Any]:
    account_id, code, report_id, status = (kit.escape(v) for v in (account_id, code, report_id, status))
    return kit.message(
        f":hourglass_flowing_sand: Amazon is still building report {report_id} "
        f"({status}). Run `/promo deals --account {account_id} "
        f"--marketplace {code} --report-id {report_id}` in a few minutes."
    )


def deals_unreadable(reason: str) -> dict[str, Any]:
    return kit.error(
        f"{kit.escape(reason)} (Amazon reports only Best Deal and Lightning Deal promotions here; "
        "CANCELLED usually means there were none in the period)."
    )


def deals_summary(report: Any, target: str, report_id: str) -> dict[str, Any]:
    """`/promo deals`: one line per deal from GET_PROMOTION_PERFORMANCE_REPORT."""
    promos = sorted(report.promotions, key=lambda p: p.start, reverse=True)
    if not promos:
        return kit.message(
            f"Amazon's promotion performance report {kit.escape(report_id)} for {kit.escape(target)} lists no deals."
        )
    lines = []
    for p in promos:
        conv = f", {p.conversion * 100:.1f}% of {p.glance_views:,} views" if p.conversion is not None else ""
        lines.append(
            f"*{kit.escape(p.name)}* ({kit.escape(p.type.replace('_', ' ').lower())}, {kit.escape(p.status.lower())}) "
            f"{p.start:%Y-%m-%d}..{p.end:%Y-%m-%d}: {_n(p.units_sold, 'unit')}, "
            f"revenue {_money(p.revenue)} {kit.escape(p.revenue_currency)}{conv}"
        )
    units = sum(p.units_sold for p in promos)
    currencies = sorted({p.revenue_currency for p in promos})
    revenue = ", ".join(
        f"{_money(sum(p.revenue for p in promos if p.revenue_currency == c))} {kit.escape(c)}" for c in currencies
    )
    head = f"Deals for {kit.escape(target)}: {len(promos)} promotions, {_n(units, 'unit')}, revenue {revenue}"
    blocks = [kit.header(f"Deals — {target}"), kit.section(head)]
    blocks += kit.sections(lines, budget=LIST_BUDGET, more="narrow it with --account or --marketplace.")
    blocks.append(
        kit.context(
            f"From SP-API {kit.escape(report_id)} (GET_PROMOTION_PERFORMANCE_REPORT). Amazon lists Best Deal "
            "and Lightning Deal promotions here; promo codes come from /promo report."
        )
    )
    return kit.message(head + "\n" + "\n".join(lines), blocks)


# ---- the requester's notices and the card's state line ----------------------------------------
def handoff_note(promo: Promotion) -> str | None:
    """The card's line about the Seller Central hand-off, once there is one."""
    h = promo.handoff
    if h is None:
        return None
    if h.created_confirmed and h.confirmed_at:
        return (
            f":white_check_mark: Created in Seller Central, confirmed by {kit.mention(h.confirmed_by)} at "
            f"{h.confirmed_at:%Y-%m-%d %H:%M} UTC"
        )
    return (
        f":outbox_tray: Handed off to Seller Central by {kit.mention(h.handed_off_by)}: waiting for 'Mark as created'"
    )


def requester_notice(text: str, blocks: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """chat.postMessage kwargs (minus channel) for a DM to the requester: the text, as one section unless
    `blocks` are given."""
    return {"text": kit.clip(text), "blocks": blocks or [kit.section(text)]}


def approved_notice(promo: Promotion, approver: str, handoff: dict[str, Any]) -> dict[str, Any]:
    """The approval, with the Seller Central steps (`handoff_message`)."""
    intro = (
        f":white_check_mark: Your promo code *{kit.escape(promo.code)}* was approved by {kit.mention(approver)}. "
        "Create it in Seller Central now:"
    )
    return requester_notice(intro + "\n" + handoff["text"], [kit.section(intro), *handoff["blocks"]])


def rejected_notice(promo: Promotion) -> dict[str, Any]:
    return requester_notice(
        f":no_entry: Your promo code *{kit.escape(promo.code)}* was rejected by {kit.mention(promo.approver)}: "
        f"{kit.escape(promo.reason or '')}\nFix it and request a new code with `/promo new`."
    )


def cancelled_notice(promo: Promotion, by: str, reason: str = "") -> dict[str, Any]:
    return requester_notice(
        f":x: Your promo code *{kit.escape(promo.code)}* was cancelled by {kit.mention(by)}"
        + (f": {kit.escape(reason)}" if reason else ".")
    )


def _goes_active(promo: Promotion) -> str:
    return "is active now" if promo.status is PromoStatus.ACTIVE else f"goes active on {promo.start:%Y-%m-%d %H:%M} UTC"


def created_notice(promo: Promotion, by: str) -> dict[str, Any]:
    return requester_notice(
        f"Your promo code *{kit.escape(promo.code)}* was created in Seller Central (confirmed by {kit.mention(by)}); "
        f"it {_goes_active(promo)}."
    )


def marked_created(promo: Promotion) -> dict[str, Any]:
    """The reply to whoever pressed "Mark as created"."""
    return kit.message(
        f":white_check_mark: {promo.code} marked as created; it {_goes_active(promo)} "
        f"and ends {promo.end:%Y-%m-%d %H:%M} UTC."
    )
