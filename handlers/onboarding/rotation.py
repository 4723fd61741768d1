"""The LWA client secret: when it was stored, when Amazon says it expires, and its rotation.

Amazon requires a new LWA client secret every 180 days (onboarding.md §1.7); a missed date breaks every SP-API
call. The store keeps one record, written whenever a new secret is stored (`sellerbot secrets put`, or the
APPLICATION_OAUTH_CLIENT_NEW_SECRET notification), when an expiry notice arrives, and when a rotation is tried:

  ONBOARDING#LWASECRET   state                  LwaSecretRecord (compare-and-swap on the item's version)
  ONBOARDING#LWASECRET   AUDIT#<iso ts>#<ver>   AuditEntry per change

Rotation (`rotateApplicationClientSecret`, 0.0167 requests/s, burst 1) is never retried blindly: the lwaRotation
schedule first claims the attempt with a conditional write (one per ATTEMPT_GAP, whoever runs), then calls once.
Amazon answers 204 and sends the new secret only to the app's registered queue; the old secret stays valid for
a while (7 days, AMZ), so a lost notification leaves time for the manual steps.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Literal, Protocol

import httpx
from pydantic import BaseModel, Field, SecretStr, ValidationError

from handlers.audit import AuditEntry
from handlers.onboarding.amazon import AmazonRefused, json_body, lwa_grant
from infra.clock import as_utc, iso_sortable
from infra.secrets import LwaCredentials, register_secrets
from infra.store.base import ConditionFailed, Item, Put, Store, Update

# Grantless scopes (onboarding.md §1.7): any SP-API app may ask for `notifications`, so it proves the client id
# and secret; `client_credential:rotation` is what rotateApplicationClientSecret takes.
SCOPE_NOTIFICATIONS = "sellingpartnerapi::notifications"
SCOPE_ROTATION = "sellingpartnerapi::client_credential:rotation"
ROTATE_PATH = "/applications/2023-11-30/clientSecret"
NA_ENDPOINT = "https://sellingpartnerapi-na.amazon.com"

PK = "ONBOARDING#LWASECRET"
SK = "state"
LIFETIME = timedelta(days=180)  # Amazon's rotation period
ROTATE_WITHIN_DAYS = 14  # rotate when this close to the due date (Amazon's sample: 7; a weekly schedule needs more)
ATTEMPT_GAP = timedelta(days=1)  # at most one rotation call per day, whatever runs the schedule
MAX_NOTIFICATION = 16_384  # an application notification is well under 2 KB
_MAX_CAS_RETRIES = 5

NEW_SECRET = "APPLICATION_OAUTH_CLIENT_NEW_SECRET"
SECRET_EXPIRY = "APPLICATION_OAUTH_CLIENT_SECRET_EXPIRY"


class LwaSecretRecord(BaseModel):
    rotated_at: datetime  # when the secret now in use was stored
    expires_at: datetime | None = None  # Amazon's stated expiry (newClientSecretExpiryTime / expiry notice)
    by: str = ""
    last_attempt_at: datetime | None = None  # the last rotation call (claimed before it is made)
    last_outcome: str = ""  # requested | not_enrolled | refused:<code> | unreachable

    def due_at(self) -> datetime:
        """When the secret must be replaced: Amazon's stated expiry, else 180 days after it was stored."""
        return as_utc(self.expires_at) if self.expires_at else as_utc(self.rotated_at) + LIFETIME


def rotation_due(record: LwaSecretRecord | None, now: datetime, *, within_days: int = ROTATE_WITHIN_DAYS) -> bool:
    """True when the stored secret is due within `within_days` (no record: unknown age, nothing is rotated)."""
    return record is not None and record.due_at() - as_utc(now) <= timedelta(days=within_days)


class LwaSecretBook:
    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self) -> LwaSecretRecord | None:
        item = self.store.get(PK, SK)
        return LwaSecretRecord.model_validate(item.data) if item else None

    def record_new_secret(self, *, at: datetime, by: str, expires_at: datetime | None = None) -> bool:
        """A new secret was stored at `at`; False if this or a later one is recorded already; audited."""
        return self._write(
            lambda old: (
                LwaSecretRecord(rotated_at=as_utc(at), expires_at=expires_at, by=by)
                if old is None or as_utc(old.rotated_at) < as_utc(at)
                else None
            ),
            at=at,
            by=by,
            action="lwa_secret_stored",
        )

    def record_expiry(self, *, expires_at: datetime, at: datetime, by: str) -> bool:
        """Amazon said when the current secret expires; False if no secret was ever recorded or nothing changed."""
        return self._write(
            lambda old: (
                old.model_copy(update={"expires_at": as_utc(expires_at)})
                if old is not None and old.expires_at != as_utc(expires_at)
                else None
            ),
            at=at,
            by=by,
            action="lwa_secret_expiry_notice",
        )

    def claim_attempt(self, now: datetime, *, by: str, gap: timedelta = ATTEMPT_GAP) -> bool:
        """Claim the one rotation call of this window (conditional write); False if another run has it."""
        return self._write(
            lambda old: (
                old.model_copy(update={"last_attempt_at": as_utc(now), "last_outcome": "claimed"})
                if old is not None and (old.last_attempt_at is None or as_utc(now) - as_utc(old.last_attempt_at) >= gap)
                else None
            ),
            at=now,
            by=by,
            action="lwa_rotation_claimed",
        )

    def record_outcome(self, outcome: str, *, at: datetime, by: str) -> bool:
        return self._write(
            lambda old: old.model_copy(update={"last_outcome": outcome[:60]}) if old is not None else None,
            at=at,
            by=by,
            action="lwa_rotation_" + outcome.split(":", 1)[0],
        )

    def _write(
        self, change: Callable[[LwaSecretRecord | None], LwaSecretRecord | None], *, at: datetime, by: str, action: str
    ) -> bool:
        for _ in range(_MAX_CAS_RETRIES):
            item = self.store.get(PK, SK)
            old = LwaSecretRecord.model_validate(item.data) if item else None
            new = change(old)
            if new is None:
                return False  # nothing to change: the record stands
            data = new.model_dump(mode="json")
            step: Put | Update = (
                Update(pk=PK, sk=SK, data=data, expected_version=item.version)
                if item
                else Put(item=Item(pk=PK, sk=SK, data=data))
            )
            version = (item.version if item else 0) + 1
            entry = AuditEntry(at=as_utc(at), by=by, action=action, detail={"due_at": new.due_at().isoformat()})
            audit = Put(
                item=Item(
                    pk=PK, sk=f"AUDIT#{iso_sortable(as_utc(at))}#{version:06d}", data=entry.model_dump(mode="json")
                )
            )
            try:
                self.store.transact([step, audit])
                return True
            except ConditionFailed:
                continue
        raise ConditionFailed(PK, SK, "the LWA secret record kept changing")


# ---- LWA and the Application Management API ---------------------------------------------------------------------
def grantless_token(http: httpx.Client, *, url: str, lwa: LwaCredentials, scope: str) -> SecretStr:
    """LWA `client_credentials` grant for `scope`; raises AmazonRefused (invalid_client: a wrong or expired secret)."""
    body, status = lwa_grant(http, url=url, lwa=lwa, grant_type="client_credentials", scope=scope)
    access = body.get("access_token")
    if not isinstance(access, str) or not access:
        raise AmazonRefused("malformed_token_response", status)
    register_secrets(access)
    return SecretStr(access)


RotationOutcome = Literal["requested", "not_enrolled", "refused"]


class RotationAnswer(BaseModel):
    outcome: RotationOutcome
    status: int
    code: str = ""  # Amazon's error code when refused


def request_rotation(http: httpx.Client, *, endpoint: str, access_token: SecretStr) -> RotationAnswer:
    """POST rotateApplicationClientSecret once (no body). 204: Amazon sends the new secret to the queue."""
    response = http.post(
        endpoint.rstrip("/") + ROTATE_PATH,
        headers={"x-amz-access-token": access_token.get_secret_value(), "accept": "application/json"},
    )
    if response.status_code == 204:
        return RotationAnswer(outcome="requested", status=204)
    errors = json_body(response).get("errors")
    first = errors[0] if isinstance(errors, list) and errors and isinstance(errors[0], dict) else {}
    code, message = str(first.get("code") or "")[:40], str(first.get("message") or "")
    if response.status_code == 400 and "not enrolled" in message:
        return RotationAnswer(outcome="not_enrolled", status=400, code=code)
    return RotationAnswer(outcome="refused", status=response.status_code, code=code or f"HTTP {response.status_code}")


# ---- the application notifications --------------------------------------------------------------------------------
class NotThisApp(ValueError):
    """A notification for another LWA client: never applied."""


class NewClientSecret(BaseModel):
    notification_id: str
    client_id: str
    new_client_secret: SecretStr
    new_expiry: datetime
    old_expiry: datetime
    published_at: datetime


class SecretExpiryNotice(BaseModel):
    notification_id: str
    client_id: str
    expires_at: datetime
    reason: str = ""
    published_at: datetime


class _Meta(BaseModel):
    notificationId: str = Field(min_length=1, max_length=200)
    publishTime: datetime


class _NewSecret(BaseModel):
    clientId: str = Field(min_length=1, max_length=200)
    newClientSecret: str = Field(min_length=1, max_length=4096)
    newClientSecretExpiryTime: datetime
    oldClientSecretExpiryTime: datetime


class _Expiry(BaseModel):
    clientId: str = Field(min_length=1, max_length=200)
    clientSecretExpiryTime: datetime
    clientSecretExpiryReason: str = Field(default="", max_length=100)


def parse_app_notification(raw: str | bytes) -> NewClientSecret | SecretExpiryNotice | str:
    """The notification, or its type (a str) when it is neither application notification. ValueError when malformed
    (the message names fields only: the body holds a secret)."""
    if len(raw) > MAX_NOTIFICATION:
        raise ValueError("notification too large")
    try:
        body = json.loads(raw)
    except ValueError:
        raise ValueError("notification is not JSON") from None
    if not isinstance(body, dict):
        raise ValueError("notification is not an object")
    kind = str(body.get("notificationType") or "")[:80]
    payload = body.get("payload") if isinstance(body.get("payload"), dict) else {}
    assert isinstance(payload, dict)
    try:
        meta = _Meta.model_validate(body.get("notificationMetadata"))
        if kind == NEW_SECRET:
            s = _NewSecret.model_validate(payload.get("applicationOAuthClientNewSecret"))
            register_secrets(s.newClientSecret)  # from here on it cannot reach a log line
            return NewClientSecret(
                notification_id=meta.notificationId,
                client_id=s.clientId,
                new_client_secret=SecretStr(s.newClientSecret),
                new_expiry=as_utc(s.newClientSecretExpiryTime),
                old_expiry=as_utc(s.oldClientSecretExpiryTime),
                published_at=as_utc(meta.publishTime),
            )
        if kind == SECRET_EXPIRY:
            e = _Expiry.model_validate(payload.get("applicationOAuthClientSecretExpiry"))
            return SecretExpiryNotice(
                notification_id=meta.notificationId,
                client_id=e.clientId,
                expires_at=as_utc(e.clientSecretExpiryTime),
                reason=e.clientSecretExpiryReason,
                published_at=as_utc(meta.publishTime),
            )
    except ValidationError as exc:
        fields = ", ".join(".".join(str(p) for p in err["loc"]) for err in exc.errors()) or "payload"
        raise ValueError(f"{kind or 'notification'} lacks or mistypes: {fields}") from None
    if not kind:
        raise ValueError("notification has no notificationType")
    return kind


class LwaWriter(Protocol):
    def put_lwa(self, app_id: str, client_secret: str) -> None: ...


def apply_new_secret(n: NewClientSecret, *, app_id: str, writer: LwaWriter, book: LwaSecretBook) -> bool:
    """Store the new secret and its expiry; False when this notification was applied already (a redelivery)."""
    if n.client_id != app_id:
        raise NotThisApp("the notification names another LWA client")
    record = book.get()
    if record is not None and as_utc(record.rotated_at) >= n.published_at:
        return False
    writer.put_lwa(app_id, n.new_client_secret.get_secret_value())
    return book.record_new_secret(at=n.published_at, by="amazon:" + NEW_SECRET, expires_at=n.new_expiry)


def apply_expiry(n: SecretExpiryNotice, *, app_id: str, book: LwaSecretBook, now: datetime) -> bool:
    if n.client_id != app_id:
        raise NotThisApp("the notification names another LWA client")
    return book.record_expiry(expires_at=n.expires_at, at=now, by="amazon:" + SECRET_EXPIRY)
