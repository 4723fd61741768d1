"""The admins' status view stays inside Slack's limits with worst-case figures, and says "unknown", never 0."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
from slack_sdk import WebClient

from bot.views import kit
from bot.views.status import ops_status_message
from handlers.ops.status import (
    FUNCTIONS,
    QUEUES,
    ErrorsStatus,
    FunctionErrors,
    HealthStatus,
    QueueStatus,
    ScheduleStatus,
    Status,
    schedules,
)

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
LONG = "Ü" * 3000


def worst() -> Status:
    return Status(
        version=LONG,
        deployed_at=LONG,
        stage="prod",
        generated_at=NOW,
        schedules=[ScheduleStatus(name=s.name, what=LONG, rate=s.rate, unknown=LONG) for s in schedules()],
        queues=[QueueStatus(name=q.name, kind=q.kind, unknown=LONG) for q in QUEUES],
        errors_24h=ErrorsStatus(
            errors=10**6,
            throttles=10**6,
            spapi_throttles=10**6,
            functions=[FunctionErrors(function=f, errors=999, throttles=999) for f in FUNCTIONS],
            unknown=LONG,
        ),
        health=HealthStatus(
            pairs=3000,
            checked=0,
            stale=3000,
            failed=3000,
            in_flight=0,
            stale_after_hours=12,
            stale_pairs=[f"account-{n:04d}-{'x' * 40}/US" for n in range(10)],
            failed_pairs=[f"account-{n:04d}-{'x' * 40}/UK" for n in range(10)],
        ),
    )


def test_worst_case_is_accepted_by_slack(fake_slack):
    access = [f":x: Account {n} (acct{n}) US: {LONG[:200]}" for n in range(3000)]
    payload = ops_status_message(worst(), access)
    client = WebClient(token=fake_slack.token, base_url=fake_slack.base_url)
    kwargs = {k: v for k, v in payload.items() if k != "response_type"}
    assert client.chat_postEphemeral(channel="C1", user="U1", **kwargs)["ok"]
    assert httpx.post(fake_slack.webhook_url(), json=payload).status_code == 200
    assert fake_slack.rejections == [] and fake_slack.truncations == []
    assert len(payload["blocks"]) <= kit.MAX_BLOCKS and len(payload["text"]) <= kit.MESSAGE_TEXT_LIMIT
    # The ops part is never pushed out by the access lines.
    shown = "\n".join(b.get("text", {}).get("text", "") for b in payload["blocks"])
    for part in ("*Schedules*", "*Queues*", "*Last 24 h*", "*Health checks*"):
        assert part in shown


def test_unread_figures_say_unknown_with_the_reason():
    status = Status(
        stage="dev",
        generated_at=NOW,
        schedules=[
            ScheduleStatus(
                name="promoExpiry",
                what="promo expiry",
                rate="rate(15 minutes)",
                unknown="store unreadable: StoreUnavailable",
            )
        ],
        queues=[QueueStatus(name="HealthCheckDLQ", kind="dlq", unknown="SQS refused: AccessDenied")],
        errors_24h=ErrorsStatus(unknown="CloudWatch refused: AccessDenied"),
        health=HealthStatus(pairs=4, stale_after_hours=12, unknown="store unreadable: StoreUnavailable"),
        unknown={"version": "SELLERBOT_VERSION is not set", "deployed_at": "not a deploy"},
    )
    text = "\n".join(b.get("text", {}).get("text", "") for b in ops_status_message(status)["blocks"])
    assert "unknown: SQS refused: AccessDenied" in text
    assert "unknown: CloudWatch refused: AccessDenied" in text
    assert "unknown: store unreadable: StoreUnavailable" in text
    assert "unknown: SELLERBOT_VERSION is not set" in text
    assert " 0 waiting" not in text and "errors 0" not in text
