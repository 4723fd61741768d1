"""The account registry over DynamoDB (moto server over HTTP): the same conditional writes hold there,
two processes see each other's changes, and concurrent changes are neither lost nor applied twice."""

from __future__ import annotations

import threading

from handlers.accounts import AccountRegistry, ConnectedSeller, ConnectionState, MarketplaceChanges
from infra.accounts import AccountsConfig
from infra.store.dynamodb import DynamoDBStore
from tests.support.aws import REGION

FILE = AccountsConfig.model_validate(
    {
        "admins": ["U0LEAD"],
        "accounts": [
            {
                "account_id": "acme",
                "name": "Acme Outdoor",
                "seller_id": "A2ACMESELLER01",
                "marketplaces": [
                    {"code": "US", "alert_channel": "C0ACMEUS"},
                    {"code": "CA", "alert_channel": "C0ACMECA"},
                ],
            }
        ],
    }
)


class Clock:
    now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def _store(dynamodb_table, moto_server) -> DynamoDBStore:
    return DynamoDBStore(dynamodb_table[1], endpoint_url=moto_server, region_name=REGION)


def test_registry_round_trip_over_dynamodb(dynamodb_table, moto_server):
    clock = Clock()
    lambda_a = AccountRegistry(_store(dynamodb_table, moto_server), clock)
    lambda_b = AccountRegistry(_store(dynamodb_table, moto_server), clock)
    assert lambda_b.snapshot().accounts == []

    assert lambda_a.seed(FILE, source="file").added == ["acme"]
    assert lambda_a.seed(FILE, source="file") is None
    lambda_a.update_marketplace("acme", "CA", MarketplaceChanges(alert_channel="C0NEWCA"), actor="U0LEAD")

    clock.now += AccountRegistry.CHECK_SECONDS
    seen = lambda_b.snapshot()
    assert seen.admins == ["U0LEAD"] and seen.get("acme").marketplace("CA").alert_channel == "C0NEWCA"
    assert lambda_b.export() == seen

    seller = ConnectedSeller(
        selling_partner_id="A3INITECH", region="EU", marketplace_ids=["A1F83G8C2ARO7P"], team_id="T", user_id="U"
    )
    assert lambda_b.connect(seller, actor="U").account_id == "seller-a3initech"
    assert lambda_b.set_connection("seller-a3initech", ConnectionState.TOKEN_REFUSED, reason="invalid_grant", actor="x")
    assert not lambda_a.set_connection(
        "seller-a3initech", ConnectionState.TOKEN_REFUSED, reason="invalid_grant", actor="x"
    )
    actions = [e.action for e in lambda_a.audit_trail()]
    assert actions.count("connection_changed") == 1 and "account_connected" in actions


def test_concurrent_changes_are_all_kept(dynamodb_table, moto_server):
    clock = Clock()
    AccountRegistry(_store(dynamodb_table, moto_server), clock).import_config(FILE, actor="cli")
    results: list[object] = []

    def change(code: str, channel: str) -> None:
        registry = AccountRegistry(_store(dynamodb_table, moto_server), clock)
        results.append(registry.update_marketplace("acme", code, MarketplaceChanges(alert_channel=channel), actor="U"))

    threads = [threading.Thread(target=change, args=(c, f"C0{c}{n}")) for n in range(3) for c in ("US", "CA")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 6
    final = AccountRegistry(_store(dynamodb_table, moto_server), clock).export().get("acme")
    assert final.marketplace("US").alert_channel.startswith("C0US")
    assert final.marketplace("CA").alert_channel.startswith("C0CA")
    audit = AccountRegistry(_store(dynamodb_table, moto_server), clock).audit_trail()
    assert [e.action for e in audit].count("marketplace_updated") == 6
