"""LWA client secret rotation end to end: the weekly run calls Amazon once, the fake queues the new secret on a
(moto) SQS queue, the consumer stores it in (moto) SSM and tells the admins; the old secret works for the
overlap, then LWA refuses it."""

from __future__ import annotations

import json
import logging
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from bot.settings import Settings
from bot.workers import lwa_rotation
from bot.workers.app_notifications import AppNotificationConsumer
from handlers.onboarding.rotation import LwaSecretBook
from infra.fakes.sp_api.server import FakeSpApi
from infra.secret_writer import SecretWriter
from infra.secrets import EnvCredentials, SsmCredentials
from infra.store.factory import build_store
from tests.support.aws import REGION

NOW = datetime.now(UTC).replace(microsecond=0)


def _event(messages: list[dict]) -> dict:
    return {
        "Records": [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": {},
                "messageAttributes": {},
                "md5OfBody": m["MD5OfBody"],
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:app-notifications",
                "awsRegion": REGION,
            }
            for m in messages
        ]
    }


@pytest.fixture
def world(sqs_queue, moto_server, ssm):
    sqs, queue_url = sqs_queue
    store = build_store("sqlite://:memory:")
    clock = {"now": NOW}
    with FakeSpApi(now=lambda: clock["now"]) as fake:
        fake.app_rotation.deliver = lambda body: sqs.send_message(QueueUrl=queue_url, MessageBody=body)
        prefix = f"/sellerbot/t{uuid.uuid4().hex[:10]}"
        settings = Settings(secrets_source="ssm", ssm_prefix=prefix, aws_endpoint_url=moto_server)
        told: list[str] = []
        yield {
            "fake": fake,
            "store": store,
            "sqs": sqs,
            "queue_url": queue_url,
            "ssm": ssm,
            "prefix": prefix,
            "writer": SecretWriter(settings, region_name=REGION),
            "told": told,
            "clock": clock,
        }


def _run(world, now: datetime) -> dict:
    fake = world["fake"]
    env = {"SELLERBOT_LWA_APP_ID": fake.data.lwa_app_id, "SELLERBOT_LWA_CLIENT_SECRET": fake.data.lwa_client_secret}
    return lwa_rotation.run(
        store=world["store"],
        credentials=EnvCredentials(env),
        lwa_endpoint=fake.base_url,
        spapi_endpoint=fake.base_url,
        now=now,
        notify=lambda text: world["told"].append(text) or 1,
        stage="test",
    )


def _consume(world) -> dict:
    fake = world["fake"]
    consumer = AppNotificationConsumer(
        store=world["store"],
        app_id=lambda: fake.data.lwa_app_id,
        writer=world["writer"],
        notify=lambda text: world["told"].append(text) or 1,
        stage="test",
        now=lambda: world["clock"]["now"],
    )
    got = world["sqs"].receive_message(QueueUrl=world["queue_url"], MaxNumberOfMessages=10).get("Messages", [])
    return consumer(_event(got), None)


def _lwa_answer(fake: FakeSpApi, secret: str) -> int:
    form = {"grant_type": "client_credentials", "scope": "sellingpartnerapi::notifications"}
    form.update(client_id=fake.data.lwa_app_id, client_secret=secret)
    return httpx.post(fake.base_url + "/auth/o2/token", data=form).status_code


def test_a_due_secret_is_rotated_once_stored_and_the_admins_told(world, caplog):
    caplog.set_level(logging.DEBUG)
    fake, book = world["fake"], LwaSecretBook(world["store"])
    book.record_new_secret(at=NOW - timedelta(days=170), by="test")
    old_secret = fake.data.lwa_client_secret

    counts = _run(world, NOW)
    assert counts["outcome"] == "requested" and fake.app_rotation.rotations == 1
    assert _run(world, NOW + timedelta(hours=2))["outcome"] == "attempted_recently"  # never twice in a day
    assert fake.app_rotation.rotations == 1

    assert _consume(world) == {"batchItemFailures": []}
    stored = SsmCredentials(world["prefix"], endpoint_url=None, boto3_client=world["ssm"], max_age=0).lwa()
    assert stored.lwa_client_secret.get_secret_value() == fake.data.lwa_client_secret != old_secret
    assert book.get().due_at() == NOW + timedelta(days=180)
    assert len(world["told"]) == 1 and "rotated" in world["told"][0]

    assert _lwa_answer(fake, old_secret) == 200  # the overlap
    world["clock"]["now"] = NOW + timedelta(days=8)
    assert _lwa_answer(fake, old_secret) == 401  # invalid_client after it
    assert _lwa_answer(fake, fake.data.lwa_client_secret) == 200
    assert fake.data.lwa_client_secret not in caplog.text and old_secret not in caplog.text
    assert fake.data.lwa_client_secret not in json.dumps(world["told"])


def test_a_redelivered_notification_writes_and_tells_nothing_more(world):
    fake = world["fake"]
    LwaSecretBook(world["store"]).record_new_secret(at=NOW - timedelta(days=170), by="test")
    _run(world, NOW)
    body = fake.app_rotation.notifications[-1]
    consumer = AppNotificationConsumer(
        store=world["store"],
        app_id=lambda: fake.data.lwa_app_id,
        writer=world["writer"],
        notify=lambda text: world["told"].append(text) or 1,
        stage="test",
        now=lambda: NOW,
    )
    assert consumer.process(body) == "rotated"
    assert consumer.process(body) == "duplicate"
    assert len(world["told"]) == 1


def test_not_enrolled_tells_the_admins_to_set_notification_preferences(world):
    fake = world["fake"]
    fake.app_rotation.enrolled = False
    LwaSecretBook(world["store"]).record_new_secret(at=NOW - timedelta(days=175), by="test")
    assert _run(world, NOW)["outcome"] == "not_enrolled"
    assert len(world["told"]) == 1
    assert "Notification Preferences" in world["told"][0] and "sellerbot secrets put --lwa" in world["told"][0]
    assert LwaSecretBook(world["store"]).get().last_outcome.startswith("not_enrolled")


def test_a_secret_not_yet_due_is_left_alone(world):
    LwaSecretBook(world["store"]).record_new_secret(at=NOW - timedelta(days=30), by="test")
    assert _run(world, NOW) == {"due": False, "attempted": False, "outcome": ""}
    assert world["fake"].app_rotation.rotations == 0


def test_an_expiry_notice_is_recorded_and_told_with_the_manual_steps(world):
    fake, book = world["fake"], LwaSecretBook(world["store"])
    book.record_new_secret(at=NOW - timedelta(days=90), by="test")
    fake.app_rotation.expiry_notice(NOW + timedelta(days=20))
    assert _consume(world) == {"batchItemFailures": []}
    assert book.get().due_at() == NOW + timedelta(days=20)
    assert len(world["told"]) == 1 and "Rotate secret" in world["told"][0]
