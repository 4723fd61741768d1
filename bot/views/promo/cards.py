"""The request card, its hand-off steps, transitions, lists, details and the DMs to the requester."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from bot.views import kit
from bot.views.promo.common import ACTION_IDS, BUTTONS, CARD_ACTIONS, LIST_BUDGET, STATUS_ICON, field_pairs
from handlers.promo.gateway import HandoffResult
from handlers.promo.lifecycle import Action, Forbidden, Rule
from handlers.promo.models import PromoStatus, Promotion
from handlers.promo.repository import MARKED_CREATED, TransitionResult
from handlers.promo.service import PromoCard
from handlers.promo.validation import Issue


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
