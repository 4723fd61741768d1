"""`/sellerbot status` through the whole Lambda handler: admins see the bot's own state, others only their accounts."""

from __future__ import annotations

from datetime import UTC, datetime

from handlers.ops.heartbeat import record_run
from tests.support.status import bot


def status_reply(bot, user):
    resp = bot.slash("/sellerbot status", user=user)
    assert resp["statusCode"] == 200
    bot.wait()
    [reply] = bot.replies()
    return reply


def _texts(reply):
    return "\n".join(
        [reply["text"]]
        + [b.get("text", {}).get("text", "") for b in reply.get("blocks", [])]
        + [e.get("text", "") for b in reply.get("blocks", []) for e in b.get("elements", [])]
    )


def test_admin_sees_schedules_queues_errors_and_health(bot):
    record_run(bot.store, "promoExpiry", datetime.now(UTC))
    reply = status_reply(bot, "U0DEMOUSER")  # the demo accounts file's admin
    text = _texts(reply)
    assert reply["response_type"] == "ephemeral"
    for part in ("*Schedules*", "*Queues*", "*Last 24 h*", "*Health checks*", "*Version*"):
        assert part in text
    assert "promo expiry" in text and "last success 0 min ago" in text
    assert "unknown: no queue URL configured (SELLERBOT_HEALTH_CHECK_QUEUE_URL)" in text
    assert "unknown: local run" in text
    assert "store: read and conditional write OK" in text  # the access lines follow
    assert len(reply["blocks"]) <= 50


def test_non_admin_keeps_the_per_account_lines_only(bot):
    reply = status_reply(bot, "U0ALICE")  # a responder on acme, not an admin
    text = _texts(reply)
    assert "store: read and conditional write OK" in text
    assert "acme" in text and "globex" not in text
    for part in ("Schedules", "Queues", "Last 24 h", "HealthCheckDLQ"):
        assert part not in text
