"""The modals: a new promo request and a rejection reason."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from bot.views import kit
from bot.views.promo.common import NEW_VIEW, REASON_BLOCK, REJECT_VIEW
from handlers.promo.models import Promotion
from infra.accounts import AccountConfig


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
