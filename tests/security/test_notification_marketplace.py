"""Issue 23 item 4 (marketplace): a notification's marketplace id must be one of the marketplace table
(infra/accounts.py); one bad escalation hint must not stop the escalation of every other alert.

Before the fix, ACCOUNT_STATUS_CHANGED with marketplaceId "#" opened the flag `acme###accountStatus`; from then on
every escalation run raised ValueError on its hint (split_flag_id) and no critical alert escalated again.
"""

from __future__ import annotations

from bot.local.lambda_emulation import LocalContext
from bot.workers import health_escalation, health_notifications
from infra.store.base import Item
from tests.security.notification_support import (
    ACME_SELLER,
    DLQ,
    Clock,
    ParkedMessages,
    account_status,
    alerts,
    body,
    health_deps,
    listing_issue_event,
    sqs_event,
)

FOREIGN_TEXT = "EVIL<marker>"


def _reposts(slack, channel: str) -> list[dict]:
    return [m for m in slack.messages.get(channel, []) if "still unacknowledged" in m["text"]]


def test_unknown_marketplace_id_is_parked_and_other_alerts_still_escalate(fake_slack, store):
    clock = Clock()
    deps = health_deps(fake_slack, store, clock)
    dlq = ParkedMessages()
    consumer = health_notifications.make_handler(deps, dlq_url=DLQ, sqs=dlq)
    # A real critical alert of another account: the catalog item was removed.
    assert consumer(listing_issue_event(), LocalContext(30))["posted"] == 1

    for hostile in ("#", "ZZ", "ATVPDKIKX0DER#x", ""):
        n = account_status("DEACTIVATED", sellerId=ACME_SELLER, marketplaceId=hostile)
        assert consumer(sqs_event(body(n)), LocalContext(30)) == {"batchItemFailures": []}  # parked, not retried
    assert not alerts(fake_slack, "C0ACMEUS") and not alerts(fake_slack, "C0ACMECA")
    assert len(dlq.sent) == 4 and all("marketplaceId" in r for r in dlq.reasons())
    assert all("#" not in r and "ZZ" not in r for r in dlq.reasons())  # the reason names the field, not the value

    # The same goes for the EventBridge shape.
    bad_listing = listing_issue_event(MarketplaceId="#")
    assert consumer(bad_listing, LocalContext(30))["status"] == "dead-lettered"
    assert "MarketplaceId" in dlq.reasons()[-1]

    clock.advance(minutes=31)
    result = health_escalation.make_handler(deps)({}, LocalContext())
    assert result == {"due": 1, "posted": 1, "failed": 0}
    assert len(_reposts(fake_slack, "C0GLOBEXUK")) == 1


def test_a_bad_escalation_hint_is_dropped_and_logged_without_its_text(fake_slack, store, caplog):
    clock = Clock()
    deps = health_deps(fake_slack, store, clock)
    consumer = health_notifications.make_handler(deps)
    assert consumer(listing_issue_event(), LocalContext(30))["posted"] == 1
    # Hints an earlier version left behind: an empty marketplace, a dangling hint, a hint that is not a flag id.
    bad = [f"acme##{FOREIGN_TEXT}#accountStatus", f"{FOREIGN_TEXT}", f"acme#US#{FOREIGN_TEXT}"]
    for sk in bad:
        assert store.put_if_absent(Item(pk="ALERTDUE", sk=sk, data={"episode": 1}))
    store.put_if_absent(Item(pk="ALERTDUE", sk=f"acme#US#{FOREIGN_TEXT}.2", data={"episode": "not a number"}))

    clock.advance(minutes=31)
    with caplog.at_level("INFO"):
        result = health_escalation.make_handler(deps)({}, LocalContext())
    assert result["posted"] == 1 and len(_reposts(fake_slack, "C0GLOBEXUK")) == 1
    assert store.query("ALERTDUE") == []  # the escalated one and every bad one are gone
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "escalation hint" in logged and FOREIGN_TEXT not in logged
    # The next run does not trip over them again.
    assert health_escalation.make_handler(deps)({}, LocalContext()) == {"due": 0, "posted": 0, "failed": 0}
