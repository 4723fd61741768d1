"""The modals: a new promo request and a rejection reason."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

from bot.views import kit
from bot.views.promo.common import NEW_VIEW, REASON_BLOCK, REJECT_VIEW
from handlers.promo.models import Promotion
from handlers.promo.validation import sharing_offered
from infra.accounts import AccountConfig
from infra.marketplaces import local_today, marketplace


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


def new_promo_modal(
    account: AccountConfig, metadata: dict[str, str], *, today: date | None = None, now: datetime | None = None
) -> dict[str, Any]:
    """The `/promo new` form for `account`: one input per validation field (MODAL_FIELDS), built for
    this account: only its marketplaces, and the sharing choice only where Amazon offers it.

    The default start is tomorrow in the account's marketplaces (given `now`; else the day after `today`).
    """
    markets = [m.code for m in account.marketplaces][: kit.SELECT_OPTIONS_LIMIT] or ["US"]
    if now is not None:
        # The zone furthest ahead, so tomorrow's 00:00 is still ahead in every one of them.
        today = max(local_today(now, code) for code in markets)
    if today is None:
        raise TypeError("new_promo_modal needs today or now")
    start = today + timedelta(days=1)
    blocks = [
        kit.context(
            f"Account: *{kit.escape(account.name)}* (`{account.account_id}`). "
            "Use `/promo new --account ID` for another account."
        ),
        *_offer_inputs(),
        *_date_inputs(start, _zones(markets)),
        *_terms_inputs(markets, [code for code in markets if sharing_offered(code, account)]),
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


def _zones(markets: list[str]) -> str:
    """`US, CA: America/Los_Angeles` — the time zone each marketplace's dates are in (Seller Central's)."""
    by_zone: dict[str, list[str]] = {}
    for code in markets:
        row = marketplace(code)
        by_zone.setdefault(row.zone if row else "UTC", []).append(code)
    return "; ".join(f"{', '.join(codes)}: {zone}" for zone, codes in by_zone.items())


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
                "placeholder": {"type": "plain_text", "text": "SUMMERSALE"},
            },
            hint="8-12 letters and digits; Amazon stores 0 as O and 1 as I",
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


def _date_inputs(start: date, zones: str) -> list[dict[str, Any]]:
    """Start and end in the marketplace's local time, defaulting to tomorrow and two weeks later."""
    return [
        _input(
            "start",
            "Start date",
            {"type": "datepicker", "action_id": "value", "initial_date": start.isoformat()},
            hint=f"Starts at 00:00 in the marketplace's time zone ({zones})",
        ),
        _input(
            "end",
            "End date (included)",
            {"type": "datepicker", "action_id": "value", "initial_date": (start + timedelta(days=13)).isoformat()},
            hint="Ends at 23:59 that day; at most 30 days in all, 14 or more recommended",
        ),
    ]


def _terms_inputs(markets: list[str], sharing_in: list[str]) -> list[dict[str, Any]]:
    """Where it runs, who may share it (only where Amazon offers that), how often a customer may redeem
    it, and an internal note."""
    once = _opt("One redemption per customer", "yes")
    select: dict[str, Any] = {"type": "static_select", "action_id": "value", "options": [_opt(m, m) for m in markets]}
    if len(markets) == 1:
        select["initial_option"] = _opt(markets[0], markets[0])
    else:
        select["placeholder"] = {"type": "plain_text", "text": "Choose a marketplace"}
    blocks = [_input("marketplace", "Marketplace", select)]
    if sharing_in:
        blocks.append(_sharing_input(markets, sharing_in))
    return [
        *blocks,
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


def _sharing_input(markets: list[str], sharing_in: list[str]) -> dict[str, Any]:
    """Amazon's default is Yes, and the choice cannot be changed once the code exists: the form says both."""
    yes, no = _opt("Yes (Amazon's default)", "yes"), _opt("No", "no")
    elsewhere = [m for m in markets if m not in sharing_in]
    hint = "This choice is final: it cannot be changed after the code is created in Seller Central."
    if elsewhere:
        hint += f" Amazon offers it only in {', '.join(sharing_in)}: choose No for {', '.join(elsewhere)}."
    return _input(
        "share_with_influencers",
        "Share with Amazon Influencers and Associates",
        {"type": "radio_buttons", "action_id": "value", "options": [yes, no], "initial_option": yes},
        hint=hint,
    )


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
