"""Issue 23 item 6: an ACCOUNT_STATUS_CHANGED notification reaches its account's alert by push.

Amazon's ACCOUNT_STATUS_CHANGED names no seller: the consumer routes it by `notificationMetadata.subscriptionId`,
which only `register_subscription` recorded, and only tests called it. Every real suspension notice failed its
record, went to the DLQ and waited for the 6-hour poll. Now `sellerbot health subscribe` records the
subscription id Amazon returned from createSubscription with its account and marketplace (a conditional write
with an audit entry) and the consumer routes by it. Before the fix `sellerbot health subscribe` did not exist.
"""

from __future__ import annotations

import pytest

from bot.cli import main
from bot.local.lambda_emulation import LocalContext
from bot.workers import health_notifications
from infra.store.factory import build_store
from tests.security.notification_support import account_status, alerts, body, health_deps, sqs_event

# Amazon's example, unchanged: no sellerId, no marketplaceId, its own subscription and application ids.
EXAMPLE = account_status("AT_RISK")
SUBSCRIPTION = EXAMPLE["notificationMetadata"]["subscriptionId"]
APP = EXAMPLE["notificationMetadata"]["applicationId"]


def _subscribe(store_url: str, *args: str) -> int:
    return main(["health", "subscribe", "--store", store_url, *args])


def test_amazon_example_reaches_the_subscribed_accounts_alert(fake_slack, tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'sellerbot.db'}"
    assert _subscribe(url, "--account", "acme", "--marketplace", "US", "--subscription-id", SUBSCRIPTION) == 0
    assert "recorded" in capsys.readouterr().out
    store = build_store(url)
    consumer = health_notifications.make_handler(health_deps(fake_slack, store), application_id=APP)

    assert consumer(sqs_event(body(EXAMPLE)), LocalContext(30)) == {"batchItemFailures": []}
    [alert] = alerts(fake_slack, "C0ACMEUS")
    assert "Account status changed NORMAL → AT_RISK" in alert["text"]
    assert not alerts(fake_slack, "C0GLOBEXUK") and not alerts(fake_slack, "C0GLOBEXDE")
    # The recording is audited.
    [entry] = store.query(f"SPAPISUBAUDIT#{SUBSCRIPTION}", prefix="AUDIT#")
    assert entry.data["action"] == "subscription_recorded" and entry.data["detail"]["account"] == "acme"


def test_recording_is_conditional_and_refuses_what_it_cannot_route(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'sellerbot.db'}"
    assert _subscribe(url, "--account", "acme", "--marketplace", "US", "--subscription-id", SUBSCRIPTION) == 0
    # Again for the same account: nothing changes, still fine.
    assert _subscribe(url, "--account", "acme", "--marketplace", "US", "--subscription-id", SUBSCRIPTION) == 0
    assert "already recorded" in capsys.readouterr().out
    # The same subscription for another account is refused: a subscription belongs to one seller.
    assert _subscribe(url, "--account", "globex", "--subscription-id", SUBSCRIPTION) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "acme" in err and "Traceback" not in err
    assert len(build_store(url).query(f"SPAPISUBAUDIT#{SUBSCRIPTION}", prefix="AUDIT#")) == 1
    for bad in (
        ["--account", "nobody", "--subscription-id", "sub-1"],
        ["--account", "acme", "--marketplace", "DE", "--subscription-id", "sub-1"],  # not one of acme's
        ["--account", "acme", "--subscription-id", "sub#1 with spaces"],
    ):
        assert _subscribe(url, *bad) == 2
        assert capsys.readouterr().err.startswith("error: ")


def test_unrecorded_subscription_still_fails_its_record_and_says_how_to_record_it(fake_slack, store, caplog):
    consumer = health_notifications.make_handler(health_deps(fake_slack, store), application_id=APP)
    with caplog.at_level("ERROR"):
        result = consumer(sqs_event(body(EXAMPLE)), LocalContext(30))
    assert result == {"batchItemFailures": [{"itemIdentifier": "m0"}]}  # retried: it may be recorded meanwhile
    assert "sellerbot health subscribe" in caplog.text


@pytest.fixture(autouse=True)
def _demo_accounts(monkeypatch):
    monkeypatch.delenv("SELLERBOT_ACCOUNTS_FILE", raising=False)
