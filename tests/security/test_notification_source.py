"""Issue 23 item 4 (source): only this app's SP-API notifications are read.

The SQS queue policy trusts Amazon's publisher account, which delivers for every app, and the EventBridge rule
took any source: a notification of another app (or any event on the bus) opened alerts. Now the consumer reads
only events whose source is the SP-API partner source and whose `notificationMetadata.applicationId` is
SELLERBOT_SPAPI_APPLICATION_ID; anything else is parked with the reason "not this app's notification".
Before the fix `make_handler` had no application id and a forged EventBridge source opened an alert.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.local.lambda_emulation import LocalContext
from bot.settings import Settings
from bot.workers import health_notifications
from tests.security.notification_support import (
    ACME_SELLER,
    DLQ,
    ParkedMessages,
    account_status,
    alerts,
    body,
    health_deps,
    listing_issue_event,
    sqs_event,
)

SERVERLESS = Path(__file__).resolve().parents[2] / "serverless.yml"
# The applicationId of Amazon's ACCOUNT_STATUS_CHANGED example (sp-api.md §2.4): "this app" in these tests.
THIS_APP = account_status()["notificationMetadata"]["applicationId"]
OTHER_APP = "amzn1.sellerapps.app.00000000-0000-4000-8000-000000000000"


def test_sqs_notification_of_another_app_is_parked(fake_slack, store):
    dlq = ParkedMessages()
    consumer = health_notifications.make_handler(
        health_deps(fake_slack, store), dlq_url=DLQ, sqs=dlq, application_id=THIS_APP
    )
    foreign = account_status("DEACTIVATED", sellerId=ACME_SELLER)
    foreign["notificationMetadata"]["applicationId"] = OTHER_APP
    missing = account_status("DEACTIVATED", sellerId=ACME_SELLER)
    del missing["notificationMetadata"]["applicationId"]
    assert consumer(sqs_event(body(foreign), body(missing)), LocalContext(30)) == {"batchItemFailures": []}
    assert not alerts(fake_slack, "C0ACMEUS")
    assert len(dlq.sent) == 2 and all(r.startswith("not this app's notification") for r in dlq.reasons())
    # This app's own notification is read.
    ours = account_status("DEACTIVATED", sellerId=ACME_SELLER)
    assert consumer(sqs_event(body(ours)), LocalContext(30)) == {"batchItemFailures": []}
    assert len(alerts(fake_slack, "C0ACMEUS")) == 1 and len(dlq.sent) == 2


def test_eventbridge_event_from_another_source_or_app_is_parked(fake_slack, store):
    dlq = ParkedMessages()
    unset = health_notifications.make_handler(health_deps(fake_slack, store), dlq_url=DLQ, sqs=dlq)
    forged = listing_issue_event()
    forged["source"] = "custom.sellingpartnerapi"
    out = unset(forged, LocalContext(30))
    assert out["status"] == "dead-lettered" and out["reason"].startswith("not this app's notification")
    lookalike = listing_issue_event()
    lookalike["source"] = "aws.partner/sellingpartnerapi.amazon.com.example.org/x"
    assert unset(lookalike, LocalContext(30))["status"] == "dead-lettered"
    # A forwarded EventBridge event in an SQS body is checked the same way.
    assert unset(sqs_event(body(forged)), LocalContext(30)) == {"batchItemFailures": []}
    assert len(dlq.sent) == 3
    assert not alerts(fake_slack, "C0GLOBEXUK")

    event = listing_issue_event()
    this_app = event["detail"]["NotificationMetadata"]["ApplicationId"]
    configured = health_notifications.make_handler(
        health_deps(fake_slack, store), dlq_url=DLQ, sqs=dlq, application_id=OTHER_APP
    )
    assert configured(event, LocalContext(30))["status"] == "dead-lettered"
    assert not alerts(fake_slack, "C0GLOBEXUK")
    ours = health_notifications.make_handler(
        health_deps(fake_slack, store), dlq_url=DLQ, sqs=dlq, application_id=this_app
    )
    assert ours(event, LocalContext(30))["status"] == "applied"
    assert len(alerts(fake_slack, "C0GLOBEXUK")) == 1


def test_the_application_id_is_a_setting_and_serverless_sets_it_from_ssm():
    assert Settings.from_env({"SELLERBOT_SPAPI_APPLICATION_ID": THIS_APP}).spapi_application_id == THIS_APP
    assert Settings.from_env({}).spapi_application_id is None  # local and demo runs read what the demo sends

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)  # CloudFormation tags are not needed here
    config: dict[str, Any] = yaml.load(SERVERLESS.read_text(encoding="utf-8"), Loader=Loader)
    function = config["functions"]["healthNotifications"]
    env = {**config["provider"]["environment"], **function.get("environment", {})}
    assert env["SELLERBOT_SPAPI_APPLICATION_ID"].startswith("{{resolve:ssm:/sellerbot/${sls:stage}/")
    [rule] = [e["eventBridge"] for e in function["events"] if "eventBridge" in e]
    assert rule["pattern"]["source"] == [{"prefix": "aws.partner/sellingpartnerapi.amazon.com/"}]
