"""An account's standing with Amazon (issue 21 item 4): the state shown per account x marketplace, the age of
the 365-day authorization, which accounts scheduled work skips, and the renewal reminder told once."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta

import pytest

from handlers.accounts import AccountRegistry, ConnectedSeller, Connection, ConnectionState
from handlers.accounts.revocation import (
    PairState,
    account_usable,
    authorization_age,
    claim_reminder,
    disconnect,
    mark_token_refused,
    pair_status,
    renewals_due,
    schedulable,
)
from handlers.health.check_state import CheckState
from infra.accounts import AccountConfig, AccountsConfig, MarketplaceConfig
from infra.store.sqlite import SQLiteStore

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
ACME = AccountConfig(
    account_id="acme",
    name="Acme",
    seller_id="A1ACME",
    marketplaces=[MarketplaceConfig(code="US", alert_channel="C0US")],
)


def conn(state: ConnectionState, authorized: datetime | None = None) -> Connection:
    return Connection(state=state, authorized_at=authorized, changed_at=NOW)


@pytest.mark.parametrize(
    ("state", "check", "shown"),
    [
        (
            ConnectionState.TOKEN_REFUSED,
            CheckState(account="acme", marketplace="US", last_success_at=NOW),
            "token_refused",
        ),
        (ConnectionState.DISCONNECTED, None, "disconnected"),
        (ConnectionState.NEVER_CHECKED, None, "never_checked"),
        (ConnectionState.NEVER_CHECKED, CheckState(account="acme", marketplace="US", last_success_at=NOW), "connected"),
        (ConnectionState.CONNECTED, None, "connected"),
        (
            ConnectionState.CONNECTED,
            CheckState(account="acme", marketplace="US", last_success_at=NOW - timedelta(hours=7), last_failure_at=NOW),
            "check_failing",
        ),
    ],
)
def test_the_state_of_a_pair_comes_from_the_registry_then_its_health_checks(state, check, shown):
    assert pair_status(ACME, "US", conn(state), check, NOW).state == PairState(shown)


def test_authorization_age_and_renew_by_in_the_marketplace_zone():
    age = authorization_age(conn(ConnectionState.CONNECTED, NOW - timedelta(days=200)), NOW, "US")
    assert age is not None and age.days == 200
    assert age.renew_by == date(2027, 5, 20) and age.days_left == 165 and not age.due
    # 23:30 UTC on the last day is already the next day in Tokyo, not yet in Los Angeles.
    granted = datetime(2026, 1, 1, 23, 30, tzinfo=UTC)
    assert authorization_age(conn(ConnectionState.CONNECTED, granted), NOW, "JP").renew_by == date(2027, 1, 2)
    assert authorization_age(conn(ConnectionState.CONNECTED, granted), NOW, "US").renew_by == date(2027, 1, 1)
    soon = authorization_age(conn(ConnectionState.CONNECTED, NOW - timedelta(days=340)), NOW, "US")
    assert soon is not None and soon.due and soon.days_left == 25
    assert authorization_age(conn(ConnectionState.NEVER_CHECKED), NOW) is None


def test_scheduled_work_skips_refused_and_disconnected_accounts_and_logs_each_once(caplog):
    caplog.set_level(logging.INFO, "sellerbot.accounts")
    accounts = AccountsConfig(
        accounts=[ACME.model_copy(update={"account_id": a}) for a in ("ok", "refused", "gone", "unknown")]
    )
    connections = {
        "ok": conn(ConnectionState.CONNECTED),
        "refused": conn(ConnectionState.TOKEN_REFUSED),
        "gone": conn(ConnectionState.DISCONNECTED),
    }
    kept, skipped = schedulable(accounts, connections, job="healthSchedule")
    assert [a.account_id for a in kept.accounts] == ["ok", "unknown"]
    assert skipped == ["refused", "gone"]
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 2 and all(r.levelno == logging.INFO for r in caplog.records)
    assert "healthSchedule: skipping refused (token_refused)" in lines[0]


@pytest.fixture
def registry():
    store = SQLiteStore(":memory:")
    clock = [NOW.timestamp()]
    reg = AccountRegistry(store, clock=lambda: clock[0])
    seller = ConnectedSeller(
        selling_partner_id="A1ACME",
        region="NA",
        marketplace_ids=["ATVPDKIKX0DER"],
        team_id="T",
        user_id="U0A",
        name="Acme",
    )
    reg.connect(seller, actor="U0A")
    yield reg
    store.close()


def test_invalid_grant_is_marked_once_and_a_connect_clears_it(registry):
    assert mark_token_refused(registry, "acme") is True
    assert mark_token_refused(registry, "acme") is False  # a second failure tells nobody
    assert not account_usable(registry.store, "acme")
    assert mark_token_refused(registry, "nosuch") is False
    seller = ConnectedSeller(
        selling_partner_id="A1ACME", region="NA", marketplace_ids=["ATVPDKIKX0DER"], team_id="T", user_id="U0A"
    )
    registry.connect(seller.model_copy(update={"account_id": "acme"}), actor="U0A")
    assert registry.connection("acme").state == ConnectionState.CONNECTED and account_usable(registry.store, "acme")


class Tokens:
    def __init__(self, fail: bool = False) -> None:
        self.deleted: list[str] = []
        self.fail = fail

    def delete_refresh_token(self, account_id: str) -> None:
        if self.fail:
            raise RuntimeError("SSM said no")
        self.deleted.append(account_id)


def test_disconnect_deletes_the_token_first_and_marks_once(registry):
    with pytest.raises(RuntimeError):
        disconnect(registry, Tokens(fail=True), "acme", actor="U0A")
    assert registry.connection("acme").state == ConnectionState.CONNECTED  # not "disconnected" with a token
    tokens = Tokens()
    assert disconnect(registry, tokens, "acme", actor="U0A") is True
    assert disconnect(registry, tokens, "acme", actor="U0A") is False
    assert tokens.deleted == ["acme", "acme"]
    assert registry.connection("acme").state == ConnectionState.DISCONNECTED


def test_renewal_reminder_is_due_30_days_before_and_claimed_once(registry):
    later = NOW + timedelta(days=334)
    assert renewals_due(registry.snapshot(), registry.connections(), later) == []
    due_at = NOW + timedelta(days=336)
    [(account, age)] = renewals_due(registry.snapshot(), registry.connections(), due_at)
    assert account.account_id == "acme" and age.days_left == 29
    assert claim_reminder(registry.store, "acme", age, due_at) is True
    assert claim_reminder(registry.store, "acme", age, due_at + timedelta(days=1)) is False
    mark_token_refused(registry, "acme")  # a refused account is told by the refusal, not reminded
    assert renewals_due(registry.snapshot(), registry.connections(), due_at) == []
