from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from bot.jobs.health_checks import HealthDeps
from bot.slack_client import build_web_client
from handlers.health.spapi_adapter import ReportsGateway
from infra.accounts import AccountConfig, MarketplaceConfig, load_accounts
from infra.fakes.slack_api import FakeSlack
from infra.fakes.sp_api import FakeSpApi
from infra.fakes.sp_api.contract import MODELS_DIR, V2_EXAMPLE_SPELLINGS
from infra.secrets import EnvCredentials
from infra.spapi.factory import SpApiFactory
from infra.spapi.limiter import RateLimiter
from infra.spapi.retry import RetryPolicy
from infra.store.base import Store
from infra.store.sqlite import SQLiteStore

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
US = "ATVPDKIKX0DER"

# ---- Amazon's published models: test inputs are loaded from them, never retyped ---------------------------------
REPO = Path(__file__).resolve().parents[2]
REPORT_SCHEMA = "schemas/reports/accountHealthReport-2020-11-18.json"
SP_API_NOTE = REPO.parent / "shared" / "reference" / "sp-api.md"


def load_schema(relative: str) -> dict:
    """A file of Amazon's vendored models (`schemas/...`, `models/...`)."""
    return json.loads((MODELS_DIR / relative).read_text(encoding="utf-8"))


def notification_schemas() -> list[Path]:
    """Every notification schema file Amazon publishes (schemas/notifications/*.json)."""
    return sorted((MODELS_DIR / "schemas" / "notifications").glob("*.json"))


def notification_example(schema_file: str, index: int = 0) -> dict:
    """`examples[index]` of schemas/notifications/<schema_file>, a fresh copy."""
    return copy.deepcopy(load_schema(f"schemas/notifications/{schema_file}")["examples"][index])


def account_status_changed_example() -> dict:
    """The ACCOUNT_STATUS_CHANGED example of developer-docs notification-type-values, as quoted in sp-api.md §2.4
    (Amazon publishes no JSON schema for it)."""
    if not SP_API_NOTE.is_file():
        # Also called at import by modules built around the example: then the whole module is skipped.
        pytest.skip(
            f"{SP_API_NOTE} (the reference note quoting Amazon's example) is not available", allow_module_level=True
        )
    for line in SP_API_NOTE.read_text(encoding="utf-8").splitlines():
        if '"notificationType":"ACCOUNT_STATUS_CHANGED"' in line and "`" in line:
            return json.loads(line.split("`")[1])
    raise LookupError("sp-api.md no longer quotes the ACCOUNT_STATUS_CHANGED example")


def eventbridge(detail: dict, *, event_id: str = "00000000-0000-0000-0000-000000000001") -> dict:
    """An SP-API notification as EventBridge delivers it: AWS's event envelope with the notification as `detail`."""
    return {
        "version": "0",
        "id": event_id,
        "detail-type": detail.get("NotificationType", detail.get("notificationType")),
        "source": "aws.partner/sellingpartnerapi.amazon.com/"
        + str((detail.get("NotificationMetadata") or {}).get("ApplicationId", "app")),
        "account": "123456789012",
        "time": detail.get("EventTime", detail.get("eventTime")),
        "region": "us-east-1",
        "resources": [],
        "detail": detail,
    }


def amazon_example() -> dict:
    """The V2 seller performance report example Amazon ships in its schema (a fresh copy)."""
    return copy.deepcopy(load_schema(REPORT_SCHEMA)["examples"][0])


def sample_bytes() -> bytes:
    return json.dumps(amazon_example(), indent=2).encode()


def schema_spelling(report: dict) -> dict:
    """Amazon's example with the schema's property names (and its account-status enum) instead of the example's."""
    out = copy.deepcopy(report)
    for status in out["accountStatuses"]:
        if status["status"] == "SUSPENDED":
            status["status"] = "DEACTIVATED"
    for entry in out["performanceMetrics"]:
        for old, new in V2_EXAMPLE_SPELLINGS.items():
            if old in entry:
                entry[new] = entry.pop(old)
        ahr = entry.get("accountHealthRating", {})
        if "ahrStatus" in ahr:
            ahr["accountHealthRatingStatus"] = ahr.pop("ahrStatus")
    return out


RATE_KEYS = (
    "lateShipmentRate",
    "preFulfillmentCancellationRate",
    "validTrackingRate",
    "onTimeDeliveryRate",
    "unitOnTimeDeliveryRate",
    "invoiceDefectRate",
)
VIOLATION_KEYS = (
    "listingPolicyViolations",
    "productAuthenticityCustomerComplaints",
    "productConditionCustomerComplaints",
    "productSafetyCustomerComplaints",
    "receivedIntellectualPropertyComplaints",
    "foodAndProductSafetyIssues",
    "otherPolicyViolations",
    "documentRequests",
)


def healthy_report(marketplace_id: str = US, **rates: float) -> dict:
    """Amazon's example (schema spelling) with every metric within its target; `rates` overrides rate values by
    metric name. Statuses, targets and shapes are Amazon's; only the values move."""
    r = {
        "orderDefectRate": 0.002,
        "lateShipmentRate": 0.01,
        "preFulfillmentCancellationRate": 0.003,
        "validTrackingRate": 0.99,
        "onTimeDeliveryRate": 0.97,
        "unitOnTimeDeliveryRate": 0.97,
        "invoiceDefectRate": 0.01,
    }
    r.update(rates)
    example = schema_spelling(amazon_example())
    entry = example["performanceMetrics"][0]
    entry["marketplaceId"] = marketplace_id
    for channel in ("mfn", "afn"):
        entry["orderDefectRate"][channel].update(rate=r["orderDefectRate"], status="GOOD")
    for key in RATE_KEYS:
        entry[key].update(rate=r[key], status="GOOD")
    for key in VIOLATION_KEYS:
        entry[key].update(defectsCount=0, status="GOOD")
    entry["accountHealthRating"]["accountHealthRatingStatus"] = "GREAT"  # the schema's other enum value
    for warning in entry["warningStates"]:
        warning["status"] = "GOOD"
    return {"accountStatuses": [{"marketplaceId": marketplace_id, "status": "NORMAL"}], "performanceMetrics": [entry]}


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
        account_id="acme",
        name="Acme",
        seller_id="A2ACMESELLER01",
        marketplaces=[
            MarketplaceConfig(code="US", alert_channel="C0ACMEUS", owner_group="S0ACMEOPS"),
            MarketplaceConfig(code="MX", alert_channel="C0ACMEMX", owner_group="S0ACMEOPS"),
        ],
    )


def health_deps(spapi: FakeSpApi, slack: FakeSlack, store: Store, clock: Any = None, **overrides: Any) -> HealthDeps:
    """The health jobs' dependencies over the fake SP-API and fake Slack (real clients, over HTTP), the demo
    accounts, and no real waiting: polls 10 ms apart, sleeps skipped."""
    factory = SpApiFactory(
        EnvCredentials(spapi.credentials_env()),
        RateLimiter(),
        endpoint_override=spapi.base_url,
        lwa_endpoint_override=spapi.base_url,
        timeout=2.0,
        policy=RetryPolicy(sleep=lambda s: None),
    )
    settings: dict[str, Any] = {
        "store": store,
        "slack": build_web_client(slack.token, slack.base_url),
        "accounts": load_accounts(),
        "reports": ReportsGateway(factory),
        "poll_interval": 0.01,
        "sleep": lambda s: None,
        **overrides,
    }
    if clock is not None:
        settings["clock"] = clock
    return HealthDeps(**settings)
