"""What `/message` shows: the compliance-checked preview with Send/Cancel, the refusal, and what a
click did (issue 4)."""

from __future__ import annotations

from typing import Any

from bot.views import kit
from handlers.compliance import findings_lines
from handlers.reviews.messaging import DraftOutcome, SendOutcome
from handlers.reviews.target import Target

PREVIEW_LIMIT = 2900  # characters of the quoted draft in the preview (Slack: 3000 per section)
MAX_WARNINGS = 5  # compliance warnings listed in the preview's one context line (≤ 300 characters each)
SEND_ACTION = "reviews_message_send"
CANCEL_ACTION = "reviews_message_cancel"


def preview_message(outcome: DraftOutcome, target: Target) -> dict[str, Any]:
    draft = outcome.draft
    if draft is None:
        raise ValueError(f"no draft to preview for order {outcome.order_id} ({outcome.status})")
    warnings = findings_lines(outcome.compliance.findings) if outcome.compliance else []
    quoted = ">" + kit.escape(draft.text).replace("\n", "\n>")
    blocks = [
        kit.header("Buyer message preview"),
        kit.section(
            f"*Order* {kit.escape(draft.order_id)} ({kit.escape(target.label())})  *Type* `{kit.escape(draft.action)}`"
        ),
        kit.section(kit.clip(quoted, PREVIEW_LIMIT)),
    ]
    if len(quoted) > PREVIEW_LIMIT:
        blocks.append(kit.context(f"Preview shortened; Send sends the whole message ({len(draft.text):,} characters)."))
    if warnings:
        shown = warnings[:MAX_WARNINGS]
        more = f"\n…and {len(warnings) - len(shown)} more" if len(warnings) > len(shown) else ""
        blocks.append(
            kit.context(
                ":warning: Compliance warnings:\n"
                + "\n".join(f"• {kit.escape(kit.clip(w, 300))}" for w in shown)
                + more
            )
        )
    blocks.append(kit.context("Allowed for this order: " + (kit.escape(", ".join(outcome.allowed)) or "none")))
    blocks.append(
        kit.actions(
            kit.button("Send", SEND_ACTION, draft.draft_id, "primary"),
            kit.button("Cancel", CANCEL_ACTION, draft.draft_id, "danger"),
        )
    )
    return kit.message(
        f"Preview of {kit.escape(draft.action)} for order {kit.escape(draft.order_id)}: Send or Cancel.", blocks
    )


def blocked_message(outcome: DraftOutcome) -> dict[str, Any]:
    lines = findings_lines(outcome.compliance.findings) if outcome.compliance else []
    text = (
        f"Blocked: the message for order {kit.escape(outcome.order_id)} breaks Amazon's communication rules. "
        "Nothing was sent. Fix these and run /message again:"
    )
    more = "run `/comply` on the text (or `sellerbot check`) for the full list."
    return kit.message(
        text + "\n" + kit.escape("\n".join(lines)),
        [
            kit.section(f":no_entry: {text}"),
            *kit.sections([f"• {kit.escape(line)}" for line in lines], budget=kit.BLOCK_TEXT_BUDGET - 1000, more=more),
        ],
        more=more,
    )


def sent_message(result: SendOutcome) -> dict[str, Any]:
    """What a Send click did."""
    detail = kit.escape(result.detail)  # may carry Amazon's own error message
    texts = {
        "sent": ":white_check_mark: Message sent to the buyer through Amazon.",
        "already_sent": f"Already sent ({detail}); not sent again.",
        "in_progress": "Another click is sending this message right now; not sent twice.",
        "unconfirmed": f":warning: {detail}",  # says "unconfirmed: check Seller Central", and why
        "cancelled": f"This message was cancelled ({detail}); nothing was sent.",
        "failed": f":x: Not sent: {detail} Press Send again to retry.",
        "unknown": detail or "This draft is unknown.",
    }
    return kit.message(texts[result.status])


def cancelled_message(result: SendOutcome) -> dict[str, Any]:
    """What a Cancel click did."""
    detail = kit.escape(result.detail)
    texts = {
        "cancelled": "Cancelled; nothing was sent.",
        "already_sent": "Already sent; it cannot be cancelled.",
        "in_progress": "Being sent right now; it cannot be cancelled.",
        "unconfirmed": f"Cannot be cancelled. {detail}",
    }
    return kit.message(texts.get(result.status, detail or "Nothing to cancel."))
