"""LWA client secret rotation, domain side: when to rotate, one attempt per window, the notifications."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from handlers.onboarding.rotation import (
    LwaSecretBook,
    NewClientSecret,
    NotThisApp,
    SecretExpiryNotice,
    apply_new_secret,
    parse_app_notification,
    rotation_due,
)
from infra.store.factory import build_store

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
APP = "amzn1.application-oa2-client.demo"


def _new_secret_body(secret: str = "amzn1.oa2-cs.v1.new-one", client: str = APP) -> str:
    return json.dumps(
        {
            "notificationVersion": "1.0",
            "notificationType": "APPLICATION_OAUTH_CLIENT_NEW_SECRET",
            "payload": {
                "applicationOAuthClientNewSecret": {
                    "clientId": client,
                    "newClientSecret": secret,
                    "newClientSecretExpiryTime": "2027-06-04T12:00:00Z",
                    "oldClientSecretExpiryTime": "2026-12-13T12:00:00Z",
                }
            },
            "notificationMetadata": {
                "applicationId": "amzn1.sp.solution.demo",
                "subscriptionId": "sub-1",
                "publishTime": "2026-12-06T12:00:00Z",
                "notificationId": "n-1",
            },
        }
    )


def _expiry_body() -> str:
    return json.dumps(
        {
            "notificationVersion": "1.0",
            "notificationType": "APPLICATION_OAUTH_CLIENT_SECRET_EXPIRY",
            "payload": {
                "applicationOAuthClientSecretExpiry": {
                    "clientId": APP,
                    "clientSecretExpiryTime": "2027-03-06T12:00:00Z",
                    "clientSecretExpiryReason": "PERIODIC_ROTATION",
                }
            },
            "notificationMetadata": {
                "applicationId": "amzn1.sp.solution.demo",
                "subscriptionId": "sub-1",
                "publishTime": "2026-12-06T12:00:00Z",
                "notificationId": "n-2",
            },
        }
    )


def test_rotation_is_due_near_180_days_or_amazons_stated_expiry():
    book = LwaSecretBook(build_store("sqlite://:memory:"))
    assert rotation_due(None, NOW, within_days=14) is False  # no date known: the doctor says so, nothing rotates
    book.record_new_secret(at=NOW - timedelta(days=100), by="t")
    assert rotation_due(book.get(), NOW, within_days=14) is False
    old = LwaSecretBook(build_store("sqlite://:memory:"))
    old.record_new_secret(at=NOW - timedelta(days=170), by="t")
    assert rotation_due(old.get(), NOW, within_days=14) is True
    book.record_new_secret(at=NOW - timedelta(days=1), by="t")
    book.record_expiry(expires_at=NOW + timedelta(days=10), at=NOW, by="amazon")
    assert rotation_due(book.get(), NOW, within_days=14) is True


def test_one_attempt_per_window_by_conditional_write():
    store = build_store("sqlite://:memory:")
    book = LwaSecretBook(store)
    book.record_new_secret(at=NOW - timedelta(days=170), by="t")
    assert book.claim_attempt(NOW, by="schedule:lwaRotation")
    assert not LwaSecretBook(store).claim_attempt(NOW + timedelta(hours=1), by="schedule:lwaRotation")
    assert LwaSecretBook(store).claim_attempt(NOW + timedelta(days=2), by="schedule:lwaRotation")


def test_new_secret_notification_parses_and_never_shows_the_secret():
    n = parse_app_notification(_new_secret_body())
    assert isinstance(n, NewClientSecret)
    assert n.client_id == APP and n.new_expiry == datetime(2027, 6, 4, 12, tzinfo=UTC)
    assert "new-one" not in repr(n) and "new-one" not in str(n.model_dump())


def test_expiry_notice_parses():
    n = parse_app_notification(_expiry_body())
    assert isinstance(n, SecretExpiryNotice) and n.expires_at == datetime(2027, 3, 6, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    "raw", ["", "{", "[]", json.dumps({"notificationType": "APPLICATION_OAUTH_CLIENT_NEW_SECRET"})]
)
def test_malformed_notifications_raise_value_error(raw):
    with pytest.raises(ValueError):
        parse_app_notification(raw)


class _Writer:
    def __init__(self):
        self.puts: list[tuple[str, str]] = []

    def put_lwa(self, app_id: str, client_secret: str) -> None:
        self.puts.append((app_id, client_secret))


def test_apply_writes_the_secret_records_the_date_once_per_notification():
    book = LwaSecretBook(build_store("sqlite://:memory:"))
    writer = _Writer()
    n = parse_app_notification(_new_secret_body())
    assert apply_new_secret(n, app_id=APP, writer=writer, book=book) is True
    assert writer.puts == [(APP, "amzn1.oa2-cs.v1.new-one")]
    assert book.get().due_at() == datetime(2027, 6, 4, 12, tzinfo=UTC)
    assert apply_new_secret(n, app_id=APP, writer=writer, book=book) is False  # a redelivery changes nothing


def test_another_apps_secret_is_refused():
    n = parse_app_notification(_new_secret_body(client="amzn1.application-oa2-client.other"))
    with pytest.raises(NotThisApp):
        apply_new_secret(n, app_id=APP, writer=_Writer(), book=LwaSecretBook(build_store("sqlite://:memory:")))
