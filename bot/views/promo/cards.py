"""The request card, its hand-off steps, transitions, lists, details and the DMs to the requester."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from bot.views import kit
from bot.views.promo.common import (
    ACTION_IDS,
    BUTTONS,
    CARD_ACTIONS,
    CREATED_VIEW,
    LIST_BUDGET,
    PROMOTION_ID_BLOCK,
    STATUS_ICON,
    field_pairs,
)
from handlers.promo.gateway import PROMOTION_ID_EXAMPLE, HandoffResult
from handlers.promo.lifecycle import NEVER_CREATED, Action, Forbidden, Rule
from handlers.promo.models import STATUS_TEXT, PromoStatus, Promotion
from handlers.promo.repository import MARKED_CREATED, TransitionResult
from handlers.promo.service import PromoCard
from handlers.promo.validation import Issue
from infra.marketplaces import format_local


def _when(promo: Promotion, dt: datetime, *, with_time: bool = True) -> str:
    """A time the user sees: the promotion's marketplace local time, zone named (Seller Central's clock)."""
    return format_local(dt, promo.marketplace, with_time=with_time)


def card_message(card: PromoCard, *, note: str | None = None) -> dict[str, Any]:
    """chat.postMessage / chat.update kwargs (text + blocks) for the approval card."""
    icon = STATUS_ICON.get(card.status, "")
    blocks: list[dict[str, Any]] = [kit.header(card.title), *field_pairs(card.fields)]
    if card.warnings:
        blocks.append(kit.context(":warning: " + "\n:warning: ".join(kit.escape(w) for w in card.warnings)))
    if note:
        blocks.append(kit.context(note))
    buttons = [kit.button(BUTTONS[a][0], a, card.button_value, BUTTONS[a][1]) for a in _ids(card) if a in CARD_ACTIONS]
    if buttons:
        blocks.append(kit.actions(*buttons, block_id=f"promo_card:{card.promo_id}"))
    status = STATUS_TEXT[card.status]
    blocks.append(kit.context(f"{icon} Status: *{status}* · account `{card.account_id}` · id `{card.promo_id}`"))
    code = card.code
    return kit.fit(
        {"text": f"Promo code {kit.escape(code)}: {status}", "blocks": blocks},
        more=f"`/promo show {kit.escape(code)}` has it all.",
    )


def _ids(card: PromoCard) -> list[str]:
    """The action ids of the card's actions."""
    return [ACTION_IDS[a] for a in card.actions if a in ACTION_IDS]


def ended_notice(promo: Promotion) -> str:
    """The requester's DM when their promotion ended (sent once)."""
    return (
        f":checkered_flag: Promo code {promo.code} ended on {_when(promo, promo.end)}. "
        f"Upload Amazon's report to a channel and run /promo report {promo.code}."
    )


def never_created_notice(promo: Promotion) -> str:
    """The requester's DM when their handed-off promotion's end passed before anyone marked it created."""
    return (
        f":x: Promo code {promo.code} was never marked as created in Seller Central, and its end "
        f"({_when(promo, promo.end)}) has passed, so it is cancelled and the code is free again. "
        f"If it does exist in Seller Central, end it there; to run it, request it again with /promo new."
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
        + "\nThen press 'Mark as created' and enter the promotion ID Seller Central shows."
    )
    return kit.fit({"text": text, "blocks": blocks})


def handoff_steps(h: HandoffResult) -> list[str]:
    """The gateway's steps, then (when it needs one) how to confirm here."""
    if not h.requires_confirmation:
        return h.steps
    # No "paste the ID" here: there is nowhere to paste it; the button opens the form that asks for it.
    return [*h.steps, "Submit, then press 'Mark as created' here: it asks for the promotion ID Seller Central shows."]


_RULES = {
    Rule.BY_DATES: "activation, expiry and cancelling a never-created code follow the dates; nobody does them by hand",
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
        when = _when(t.promotion, t.decided_at) if t.decided_at and t.promotion else "earlier"
        return f"already {t.verdict} by {who} at {when}"
    return kit.escape(t.message)


def issues_text(issues: Iterable[Issue]) -> str:
    return "\n".join(f"• *{kit.escape(i.label)}*: {kit.escape(i.message)}" for i in issues)


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
    plain = "\n".join(f"- {kit.escape(i.label)}: {kit.escape(i.message)}" for i in errors)
    return kit.message(f"Error: {head}\n{plain}\nUsage: {kit.escape(usage)}", blocks)


def submitted(promo: Promotion, channel: str, warnings: Sequence[Issue], approvers: Sequence[str]) -> dict[str, Any]:
    who = ", ".join(kit.mention(a) for a in approvers if a != promo.requester) or "an approver"
    code = kit.escape(promo.code)
    text = f":inbox_tray: {code} ({promo.percent_off:g}% off) is waiting for approval in <#{channel}> by {who}."
    blocks = [kit.section(text)]
    if warnings:
        blocks.append(kit.context("Before it is approved, note:\n" + issues_text(warnings)))
    listed = "\n".join(f"- {kit.escape(w.label)}: {kit.escape(w.message)}" for w in warnings)
    plain = text + ("\nWarnings:\n" + listed if warnings else "")
    return kit.message(plain, blocks)


# ---- modals -----------------------------------------------------------------------------------
def _line(p: Promotion) -> str:
    return (
        f"{STATUS_ICON.get(p.status, '')} `{kit.escape(p.code)}` {p.percent_off:g}% · *{STATUS_TEXT[p.status]}* · "
        f"{_when(p, p.start, with_time=False)}..{_when(p, p.end, with_time=False)} · {kit.escape(p.marketplace)} · "
        f"`{kit.escape(p.account_id)}` · "
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


# Audit entries' detail keys and actions in a seller's words (the stored names stay as they are).
_DETAIL = {
    "promotion_id": "Seller Central promotion ID",
    "external_id": "Seller Central promotion ID",
    "code_released": "code free again",
    "by_dates": "by the dates",
    "replaces": "replaces request",
    "gateway": "via",
}
_ACTION = {"confirm_created": "marked as created", "hand_off": "handed off", "expire": "never created"}


def _detail(key: str, value: object) -> str:
    label = _DETAIL.get(key, key.replace("_", " "))
    return label if value is True else f"{label}: {kit.escape(str(value))}"


def audit_lines(promo: Promotion) -> list[str]:
    out = []
    for e in promo.history:
        who = "sellerbot (dates)" if e.by == "system" else kit.mention(e.by)
        frm = f"{STATUS_TEXT[e.from_status]} → " if e.from_status else ""
        extra = "; ".join(_detail(k, v) for k, v in e.detail.items() if v not in (None, "", False))
        action = _ACTION.get(e.action, e.action)
        out.append(
            f"{_when(promo, e.at)} · {who} · *{action}* · {frm}{STATUS_TEXT[e.to_status]}"
            + (f" ({extra})" if extra else "")
        )
    return out


def promo_detail(card: PromoCard, promo: Promotion) -> dict[str, Any]:
    """`/promo show`: the card with the buttons this viewer may use (incl. Cancel), and the audit trail."""
    msg = card_message(card)
    blocks = [b for b in msg["blocks"] if b.get("type") != "actions"]
    buttons = [kit.button(BUTTONS[a][0], a, card.button_value, BUTTONS[a][1]) for a in _ids(card) if a in BUTTONS]
    if buttons:
        blocks.insert(len(blocks) - 1, kit.actions(*buttons, block_id=f"promo_show:{card.promo_id}"))
    trail = audit_lines(promo)
    blocks += kit.sections(
        ["*Audit trail*", *(trail or ["none"])], budget=LIST_BUDGET // 2, more="the oldest entries are shown first."
    )
    if promo.handoff:
        h = promo.handoff
        state = (
            f"created{_promotion_id(h.external_id)}, confirmed by {kit.mention(h.confirmed_by)} at "
            f"{_when(promo, h.confirmed_at)}"
            if h.created_confirmed and h.confirmed_at
            else "waiting for 'Mark as created'"
        )
        blocks.append(
            kit.context(
                f"Handed off ({kit.escape(_GATEWAYS.get(h.gateway, h.gateway))}) by {kit.mention(h.handed_off_by)}: "
                f"{state}. "
                f"{kit.escape(h.deep_link)}"
            )
        )
    text = msg["text"] + "\nAudit trail:\n" + "\n".join(trail)
    return kit.message(text, blocks)


def _promotion_id(external_id: str | None) -> str:
    return f" as promotion {kit.escape(external_id)}" if external_id else ""


# Gateways by the name they store (gateway.py), as people call them.
_GATEWAYS = {"seller_central": "Seller Central, by hand"}


def handoff_note(promo: Promotion) -> str | None:
    """The card's line about the Seller Central hand-off, once there is one."""
    h = promo.handoff
    if h is None:
        return None
    if h.created_confirmed and h.confirmed_at:
        return (
            f":white_check_mark: Created in Seller Central{_promotion_id(h.external_id)}, confirmed by "
            f"{kit.mention(h.confirmed_by)} at {_when(promo, h.confirmed_at)}"
        )
    if promo.status is PromoStatus.CANCELLED and promo.reason == NEVER_CREATED:
        return ":x: Never marked as created in Seller Central before its end date: cancelled, the code is free again"
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
    return "is active now" if promo.status is PromoStatus.ACTIVE else f"goes active on {_when(promo, promo.start)}"


def created_notice(promo: Promotion, by: str) -> dict[str, Any]:
    pid = _promotion_id(promo.handoff.external_id if promo.handoff else None)
    return requester_notice(
        f":white_check_mark: Your promo code *{kit.escape(promo.code)}* was created in Seller Central{pid} "
        f"(confirmed by {kit.mention(by)}); it {_goes_active(promo)} and ends {_when(promo, promo.end)}."
    )


def marked_created(promo: Promotion) -> dict[str, Any]:
    """The reply to whoever pressed "Mark as created"."""
    pid = _promotion_id(promo.handoff.external_id if promo.handoff else None)
    return kit.message(
        f":white_check_mark: {kit.escape(promo.code)} marked as created{pid}; it {_goes_active(promo)} "
        f"and ends {_when(promo, promo.end)}."
    )


def created_modal(promo: Promotion, metadata: dict[str, str]) -> dict[str, Any]:
    """ "Mark as created": the one place that asks for the Seller Central promotion ID (format-checked on
    submit, errors pinned to the input)."""
    return kit.fit_view(
        {
            "type": "modal",
            "callback_id": CREATED_VIEW,
            "private_metadata": json.dumps(metadata),
            "title": {"type": "plain_text", "text": "Mark as created"},
            "submit": {"type": "plain_text", "text": "Mark as created"},
            "close": {"type": "plain_text", "text": "Back"},
            "blocks": [
                kit.section(
                    f"Created *{kit.escape(promo.code)}* ({promo.percent_off:g}% off, "
                    f"{_when(promo, promo.start, with_time=False)}..{_when(promo, promo.end, with_time=False)}) "
                    f"in Seller Central {kit.escape(promo.marketplace)} (requested by {kit.mention(promo.requester)})? "
                    "Paste the promotion ID Seller Central "
                    "shows for it (Advertising → Promotions → Manage promotions)."
                ),
                {
                    "type": "input",
                    "block_id": PROMOTION_ID_BLOCK,
                    "label": {"type": "plain_text", "text": "Seller Central promotion ID"},
                    "hint": {"type": "plain_text", "text": f"A number, like {PROMOTION_ID_EXAMPLE}."},
                    "element": {
                        "type": "plain_text_input",
                        "action_id": "value",
                        "max_length": 40,
                        "placeholder": {"type": "plain_text", "text": PROMOTION_ID_EXAMPLE},
                    },
                },
            ],
        }
    )
