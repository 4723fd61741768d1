from __future__ import annotations

import copy
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from handlers.accounts import AccountConfig, MarketplaceConfig
from infra.store.sqlite import SQLiteStore

DATA = Path(__file__).parent / "data"
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)
US = "ATVPDKIKX0DER"


def sample_bytes() -> bytes:
    return (DATA / "amazon_sample_v2.json").read_bytes()


def _rate(rate: float | None, target: float | None, condition: str | None, status: str | None = "GOOD") -> dict:
    out: dict[str, Any] = {"reportingDateRange": {"reportingDateFrom": "2026-10-01T00:00Z",
                                                  "reportingDateTo": "2026-11-20T23:59Z"}}
    for key, value in (("rate", rate), ("targetValue", target), ("targetCondition", condition), ("status", status)):
        if value is not None:
            out[key] = value
    return out


def healthy_report(marketplace_id: str = US, **rates: float) -> dict:
    """A report with every metric within Amazon's target; `rates` overrides rate values by metric name."""
    r = {"orderDefectRate": 0.002, "lateShipmentRate": 0.01, "preFulfillmentCancellationRate": 0.003,
         "validTrackingRate": 0.99, "onTimeDeliveryRate": 0.97, "invoiceDefectRate": 0.01}
    r.update(rates)
    odr = _rate(r["orderDefectRate"], 0.01, "LESS_THAN")
    return {
        "accountStatuses": [{"marketplaceId": marketplace_id, "status": "NORMAL"}],
        "performanceMetrics": [{
            "marketplaceId": marketplace_id,
            "orderDefectRate": {"mfn": dict(odr, fulfillmentType="mfn"), "afn": dict(odr, fulfillmentType="afn")},
            "lateShipmentRate": _rate(r["lateShipmentRate"], 0.04, "LESS_THAN"),
            "preFulfillmentCancellationRate": _rate(r["preFulfillmentCancellationRate"], 0.025, "LESS_THAN"),
            "validTrackingRate": _rate(r["validTrackingRate"], 0.95, "GREATER_THAN"),
            "onTimeDeliveryRate": _rate(r["onTimeDeliveryRate"], 0.9, "GREATER_THAN"),
            "invoiceDefectRate": _rate(r["invoiceDefectRate"], 0.05, "LESS_THAN"),
            "listingPolicyViolations": {"defectsCount": 0, "status": "GOOD", "targetValue": 0, "targetCondition": "EQUALS"},
            "accountHealthRating": {"accountHealthRatingStatus": "GREAT"},
            "warningStates": [],
        }],
    }


def encode(report: dict) -> bytes:
    return json.dumps(report).encode()


def tweak(report: dict, path: str, value: Any) -> dict:
    """Copy of `report` with performanceMetrics[0].<dotted path> set to value (None deletes)."""
    out = copy.deepcopy(report)
    node = out["performanceMetrics"][0]
    keys = path.split(".")
    for k in keys[:-1]:
        node = node[k]
    if value is None:
        node.pop(keys[-1], None)
    else:
        node[keys[-1]] = value
    return out


@pytest.fixture
def store() -> SQLiteStore:
    return SQLiteStore(":memory:", clock=NOW.timestamp)


@pytest.fixture
def account() -> AccountConfig:
    return AccountConfig(
        account_id="acme", name="Acme", seller_id="A2ACMESELLER01",
        marketplaces=[MarketplaceConfig(code="US", alert_channel="C0ACMEUS", owner_group="S0ACMEOPS"),
                      MarketplaceConfig(code="MX", alert_channel="C0ACMEMX", owner_group="S0ACMEOPS")],
    )
