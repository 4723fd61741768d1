from __future__ import annotations

from datetime import UTC, datetime, timezone
from pathlib import Path

import pytest

from infra.accounts import AccountConfig, MarketplaceConfig

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
REQUESTER = "U0REQUESTER"
APPROVER = "U0APPROVER1"
APPROVER2 = "U0APPROVER2"


@pytest.fixture
def account() -> AccountConfig:
    return AccountConfig(
        account_id="acme",
        name="Acme",
        seller_id="A1",
        brand_registry=True,
        approvals_channel="C0APPROVALS",
        approvers=[APPROVER, APPROVER2],
        marketplaces=[
            MarketplaceConfig(code="US", alert_channel="C1"),
            MarketplaceConfig(code="CA", alert_channel="C2"),
        ],
    )


def raw_request(**over) -> dict:
    base = {
        "code": "SUMMERSALE",
        "percent_off": 20,
        "asins": ["B0ABCDEFGH"],
        "start": "2026-12-01",
        "end": "2026-12-20",
        "marketplace": "US",
        "share_with_influencers": True,
        "one_per_customer": False,
        "note": "",
    }
    base.update(over)
    return base


# Amazon's promo reports and the promotion performance document (sources in data/promo/README.md).
PROMO_DATA = Path(__file__).resolve().parent / "data" / "promo"
