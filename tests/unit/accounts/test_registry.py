"""The account registry over the SQLite store: what it stores, audits, caches and refuses."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from handlers.accounts import (
    AccountRegistry,
    ConnectedSeller,
    ConnectionState,
    MarketplaceChanges,
    SellerMismatch,
)
from infra.accounts import AccountsConfig
from infra.store.sqlite import SQLiteStore

FILE = {
    "admins": ["U0LEAD"],
    "accounts": [
        {
            "account_id": "acme",
            "name": "Acme Outdoor",
            "seller_id": "A2ACMESELLER01",
            "approvers": ["U0APPR"],
            "marketplaces": [{"code": "US", "alert_channel": "C0ACMEUS"}],
        }
    ],
}


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store() -> SQLiteStore:
    return SQLiteStore(":memory:")


@pytest.fixture
def registry(store: SQLiteStore, clock: Clock) -> AccountRegistry:
    return AccountRegistry(store, clock)


def _config(**changes: object) -> AccountsConfig:
    config = AccountsConfig.model_validate(FILE)
    return config.model_copy(update=changes)


def test_empty_store_has_no_accounts(registry):
    assert registry.snapshot().accounts == []
    assert registry.get("acme") is None


def test_import_adds_then_is_idempotent_and_audited(registry, store):
    first = registry.import_config(_config(), actor="cli")
    assert first.added == ["acme"] and first.updated == [] and first.admins_changed
    again = registry.import_config(_config(), actor="cli")
    assert again.added == [] and again.updated == [] and again.unchanged == ["acme"] and not again.admins_changed
    snap = registry.snapshot()
    assert snap.admins == ["U0LEAD"] and snap.get("acme").name == "Acme Outdoor"
    trail = registry.audit_trail()
    assert [e.action for e in trail].count("account_imported") == 1
    assert registry.connection("acme").state == ConnectionState.NEVER_CHECKED


def test_import_updates_an_imported_account_but_keeps_one_changed_in_slack(registry):
    registry.import_config(_config(), actor="cli")
    renamed = AccountsConfig.model_validate({**FILE, "accounts": [{**FILE["accounts"][0], "name": "Acme 2"}]})
    assert registry.import_config(renamed, actor="cli").updated == ["acme"]
    registry.update_marketplace("acme", "US", MarketplaceChanges(alert_channel="C0NEW"), actor="U0LEAD")
    back = registry.import_config(_config(), actor="cli")
    assert back.kept == ["acme"] and back.updated == []
    assert registry.get("acme").marketplace("US").alert_channel == "C0NEW"
    forced = registry.import_config(_config(), actor="cli", overwrite=True)
    assert forced.updated == ["acme"] and registry.get("acme").marketplace("US").alert_channel == "C0ACMEUS"


def test_export_round_trips(registry):
    registry.import_config(_config(), actor="cli")
    assert registry.export() == _config()


def test_update_marketplace_changes_only_what_is_given(registry):
    registry.import_config(_config(), actor="cli")
    changed = registry.update_marketplace(
        "acme",
        "us",
        MarketplaceChanges(responders=["U0R"], thresholds={"orderDefectRate": 0.005}, brand_registry=True),
        actor="U0LEAD",
    )
    us = changed.marketplace("US")
    assert us.alert_channel == "C0ACMEUS" and us.responders == ["U0R"] and us.thresholds == {"orderDefectRate": 0.005}
    assert changed.brand_registry and changed.approvers == ["U0APPR"]
    entry = registry.audit_trail()[-1]
    assert entry.action == "marketplace_updated" and entry.by == "U0LEAD"
    assert entry.detail["account"] == "acme" and entry.detail["marketplace"] == "US"
    with pytest.raises(KeyError):
        registry.update_marketplace("acme", "JP", MarketplaceChanges(alert_channel="C0X"), actor="U0LEAD")


def test_connect_creates_an_account_with_known_marketplaces(registry, clock):
    seller = ConnectedSeller(
        selling_partner_id="A3NEWSELLER",
        region="EU",
        marketplace_ids=["A1F83G8C2ARO7P", "A1PA6795UKMFR9", "A1ZFFQZ3HTUKT9", "NOTAMARKET"],
        team_id="T0",
        user_id="U0ADMIN",
        name="Initech Store",
    )
    account = registry.connect(seller, actor="U0ADMIN")
    assert account.account_id == "initech-store" and account.region == "eu" and account.seller_id == "A3NEWSELLER"
    assert [m.code for m in account.marketplaces] == ["UK", "DE"]
    conn = registry.connection("initech-store")
    assert conn.state == ConnectionState.CONNECTED
    assert conn.authorized_at == datetime.fromtimestamp(clock.now, UTC)
    assert conn.selling_partner_id == "A3NEWSELLER"
    assert registry.audit_trail()[-1].action == "account_connected"


def test_connect_without_name_derives_an_id_and_reconnect_keeps_config(registry, clock):
    seller = ConnectedSeller(
        selling_partner_id="A3NEWSELLER", region="NA", marketplace_ids=["ATVPDKIKX0DER"], team_id="T0", user_id="U0"
    )
    account = registry.connect(seller, actor="U0")
    registry.update_marketplace(account.account_id, "US", MarketplaceChanges(alert_channel="C0US"), actor="U0")
    registry.set_connection(account.account_id, ConnectionState.TOKEN_REFUSED, reason="invalid_grant", actor="lwa")
    clock.now += 60
    again = registry.connect(
        seller.model_copy(
            update={"account_id": account.account_id, "marketplace_ids": ["ATVPDKIKX0DER", "A2EUQ1WTGCTBG2"]}
        ),
        actor="U0",
    )
    assert again.account_id == account.account_id
    assert [(m.code, m.alert_channel) for m in again.marketplaces] == [("US", "C0US"), ("CA", "")]
    assert registry.connection(account.account_id).state == ConnectionState.CONNECTED
    # Same seller again without an id: the existing account, not a second one.
    assert registry.connect(seller, actor="U0").account_id == account.account_id
    assert len(registry.snapshot().accounts) == 1


def test_reconnect_with_another_seller_is_refused(registry):
    registry.import_config(_config(), actor="cli")
    other = ConnectedSeller(
        selling_partner_id="A9OTHER",
        region="NA",
        marketplace_ids=["ATVPDKIKX0DER"],
        team_id="T",
        user_id="U",
        account_id="acme",
    )
    with pytest.raises(SellerMismatch):
        registry.connect(other, actor="U")
    assert registry.get("acme").seller_id == "A2ACMESELLER01"


def test_set_connection_is_true_once(registry):
    registry.import_config(_config(), actor="cli")
    assert registry.set_connection("acme", ConnectionState.TOKEN_REFUSED, reason="invalid_grant", actor="lwa")
    assert not registry.set_connection("acme", ConnectionState.TOKEN_REFUSED, reason="invalid_grant", actor="lwa")
    conn = registry.connection("acme")
    assert conn.state == ConnectionState.TOKEN_REFUSED and conn.reason == "invalid_grant"
    assert [e.action for e in registry.audit_trail()].count("connection_changed") == 1


def test_snapshot_is_cached_and_sees_other_processes_after_the_check_interval(store, clock):
    mine, theirs = AccountRegistry(store, clock), AccountRegistry(store, clock)
    assert mine.snapshot().accounts == []
    theirs.import_config(_config(), actor="cli")
    assert mine.snapshot().accounts == []  # cached
    clock.now += AccountRegistry.CHECK_SECONDS
    assert [a.account_id for a in mine.snapshot().accounts] == ["acme"]
    # A write in this process is seen at once.
    mine.update_marketplace("acme", "US", MarketplaceChanges(alert_channel="C0NEW"), actor="U")
    assert mine.snapshot().get("acme").marketplace("US").alert_channel == "C0NEW"


def test_seed_imports_once(registry):
    assert registry.seed(_config(), source="file") is not None
    registry.update_marketplace("acme", "US", MarketplaceChanges(alert_channel="C0NEW"), actor="U")
    assert registry.seed(_config(), source="file") is None
    assert registry.get("acme").marketplace("US").alert_channel == "C0NEW"
