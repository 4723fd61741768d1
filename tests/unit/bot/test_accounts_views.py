"""What /sellerbot accounts, its modal, disconnect and the revocation/renewal notices say (issue 21): values
from the store are escaped, ids become mentions only when they are Slack ids, and Slack's limits hold."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from bot.views.accounts import (
    CONFIGURE_VIEW,
    RECONNECT_ACTION,
    accounts_message,
    age_text,
    configure_modal,
    disconnect_confirm,
    renewal_message,
    token_refused_message,
)
from handlers.accounts.revocation import AuthorizationAge, PairState, PairStatus
from infra.accounts import AccountConfig, MarketplaceConfig

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
EVIL = AccountConfig(
    account_id="evil",
    name="<!channel> *Evil* <https://x.example|click>",
    seller_id="A1",
    approvers=["U0ADMIN", "<!here>"],
    marketplaces=[
        MarketplaceConfig(
            code="US",
            alert_channel="<#C1|x>",
            owner_group="<!subteam^S1>",
            responders=["@everyone"],
            thresholds={"orderDefectRate": 0.008},
        )
    ],
)


def age(days: int, left: int) -> AuthorizationAge:
    return AuthorizationAge(
        authorized_at=NOW - timedelta(days=days), days=days, renew_by=date(2027, 6, 1), days_left=left
    )


def test_age_text():
    assert age_text(age(200, 177)) == "authorized 200 days ago; renew by 2027-06-01"
    assert age_text(age(340, 25)) == ":warning: authorized 340 days ago; renew by 2027-06-01 (25 days left)"
    assert "lapsed, reconnect it" in age_text(age(370, -5))
    assert age_text(None).startswith("authorization date unknown")


def test_the_list_escapes_what_the_store_holds():
    status = PairStatus(account_id="evil", marketplace="US", state=PairState.TOKEN_REFUSED, age=age(200, 177))
    message = accounts_message([(EVIL, [(EVIL.marketplaces[0], status)])], now=NOW)
    shown = json.dumps(message)
    assert "<!channel>" not in shown and "<!here>" not in shown and "<https://" not in shown
    assert "<#C1|x>" not in shown and "<!subteam^S1>" not in shown
    assert "&lt;!channel&gt;" in shown and "<@U0ADMIN>" in shown
    assert "disconnected: Amazon refused the token, reconnect needed" in shown
    assert "authorized 200 days ago; renew by 2027-06-01" in shown
    assert len(message["blocks"]) <= 50


def test_many_accounts_fit_in_one_message():
    pairs = []
    for n in range(60):
        account = EVIL.model_copy(update={"account_id": f"acct-{n}", "name": f"Seller {n}"})
        status = PairStatus(account_id=account.account_id, marketplace="US", state=PairState.CONNECTED)
        pairs.append((account, [(account.marketplaces[0], status)]))
    message = accounts_message(pairs, now=NOW)
    assert len(message["blocks"]) <= 50 and "sellerbot accounts list" in json.dumps(message["blocks"][-1])


def test_the_modal_holds_the_fields_and_names_only_the_pair():
    view = configure_modal(EVIL, EVIL.marketplaces[0])
    assert view["callback_id"] == CONFIGURE_VIEW
    assert json.loads(view["private_metadata"]) == {"account": "evil", "marketplace": "US"}
    blocks = {b.get("block_id"): b for b in view["blocks"]}
    assert "initial_conversation" not in blocks["alert_channel"]["element"]  # not a channel id
    assert "initial_users" not in blocks["responders"]["element"]
    assert blocks["approvers"]["element"]["initial_users"] == ["U0ADMIN"]
    assert blocks["threshold:orderDefectRate"]["element"]["initial_value"] == "0.8"
    assert "&lt;!channel&gt;" in view["blocks"][0]["text"]["text"]
    assert len(view["title"]["text"]) <= 24


def test_notices_carry_the_reconnect_button_and_escape_the_name():
    for message in (token_refused_message(EVIL), renewal_message(EVIL, age(340, 25))):
        shown = json.dumps(message)
        assert "<!channel>" not in shown
        assert message["blocks"][-1]["elements"][0]["action_id"] == RECONNECT_ACTION
        assert message["blocks"][-1]["elements"][0]["value"] == "evil"
    assert "ends on 2027-06-01 (25 days)" in renewal_message(EVIL, age(340, 25))["text"]
    assert "<!channel>" not in json.dumps(disconnect_confirm(EVIL))
