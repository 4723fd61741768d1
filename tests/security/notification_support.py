"""Helpers shared by the issue 23 notification tests: a notification consumer over the fake Slack, SQS records as
Lambda delivers them, and a DLQ stand-in that keeps what was parked (the boto3 client's send_message shape)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.jobs.health_checks import HealthDeps
from bot.slack_client import build_web_client
from infra.accounts import load_accounts
from infra.fakes.slack_api import FakeSlack
from infra.store.base import Store
from tests.support.health import account_status_changed_example, eventbridge, notification_example

ACME_SELLER, GLOBEX_SELLER = "A2ACMESELLER01", "A3GLOBEXSELL02"
UK = "A1F83G8C2ARO7P"
DLQ = "https://sqs.us-east-1.amazonaws.com/123456789012/health-dlq"


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 24, 9, 0, tzinfo=UTC).timestamp()

    def __call__(self) -> float:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw).total_seconds()


class ParkedMessages:
    """Stands in for the SQS client the consumer parks rejected notifications with."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    def send_message(self, **kwargs: Any) -> dict[str, str]:
        self.sent.append(kwargs)
        return {"MessageId": str(uuid.uuid4())}

    def reasons(self) -> list[str]:
        return [m["MessageAttributes"]["reason"]["StringValue"] for m in self.sent]


def health_deps(slack: FakeSlack, store: Store, clock: Clock | None = None) -> HealthDeps:
    return HealthDeps(
        store=store,
        slack=build_web_client(slack.token, slack.base_url),
        accounts=load_accounts(),
        clock=clock or Clock(),
        escalation_delay=timedelta(minutes=30),
        sleep=lambda s: None,
    )


def sqs_event(*bodies: str) -> dict[str, Any]:
    return {
        "Records": [
            {
                "messageId": f"m{i}",
                "receiptHandle": f"r{i}",
                "body": body,
                "attributes": {"ApproximateReceiveCount": "1"},
                "messageAttributes": {},
                "md5OfBody": "",
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:health-notifications",
                "awsRegion": "us-east-1",
            }
            for i, body in enumerate(bodies)
        ]
    }


def account_status(current: str = "AT_RISK", **change: str) -> dict[str, Any]:
    """Amazon's ACCOUNT_STATUS_CHANGED example (sp-api.md §2.4) with `current` and optional change fields."""
    n = account_status_changed_example()
    n["payload"]["accountStatusChangeNotification"].update(currentAccountStatus=current, **change)
    n["notificationMetadata"]["notificationId"] = str(uuid.uuid4())
    return n


def listing_issue_event(actions: tuple[str, ...] = ("CATALOG_ITEM_REMOVED",), **payload: Any) -> dict[str, Any]:
    """Amazon's LISTINGS_ITEM_ISSUES_CHANGE example as EventBridge delivers it, for the demo account globex (UK)."""
    n = notification_example("ListingsItemIssuesChangeNotification_2023-12-13.json")
    n["Payload"].update(
        {
            "SellerId": GLOBEX_SELLER,
            "MarketplaceId": UK,
            "Asin": "B0GLOBEX01",
            "Sku": "GLO-0001",
            "Severities": ["ERROR"],
            "EnforcementActions": list(actions),
            **payload,
        }
    )
    n["NotificationMetadata"]["NotificationId"] = str(uuid.uuid4())
    return eventbridge(n, event_id=str(uuid.uuid4()))


def alerts(slack: FakeSlack, channel: str) -> list[dict[str, Any]]:
    """Alert posts (with buttons) in `channel`: replies in the pair's digest thread (issue 18)."""
    return [
        m for m in slack.messages.get(channel, []) if any(b.get("type") == "actions" for b in m.get("blocks") or [])
    ]


def body(notification: dict[str, Any]) -> str:
    return json.dumps(notification)
