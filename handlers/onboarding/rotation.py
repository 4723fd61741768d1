"""When the LWA client secret was last replaced, and when Amazon says it expires.

Amazon requires rotating the app's LWA client secret every 180 days (onboarding.md §1.7); a missed date
breaks every SP-API call. The store keeps one record, written whenever a new secret is stored (`sellerbot
secrets put`, or the APPLICATION_OAUTH_CLIENT_NEW_SECRET notification) and when an expiry notice arrives:

  ONBOARDING#LWASECRET   state                  LwaSecretRecord (compare-and-swap on the item's version)
  ONBOARDING#LWASECRET   AUDIT#<iso ts>#<ver>   AuditEntry per change
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import httpx
from pydantic import BaseModel, SecretStr

from handlers.audit import AuditEntry
from handlers.onboarding.amazon import AmazonRefused
from infra.clock import as_utc, iso_sortable
from infra.secrets import LwaCredentials, register_secrets
from infra.store.base import ConditionFailed, Item, Put, Store, Update

# Grantless scopes (onboarding.md §1.7): any SP-API app may ask for `notifications`, so it proves the client id
# and secret; `client_credential:rotation` is what rotateApplicationClientSecret takes.
SCOPE_NOTIFICATIONS = "sellingpartnerapi::notifications"
SCOPE_ROTATION = "sellingpartnerapi::client_credential:rotation"

PK = "ONBOARDING#LWASECRET"
SK = "state"
LIFETIME = timedelta(days=180)  # Amazon's rotation period
_MAX_CAS_RETRIES = 5


class LwaSecretRecord(BaseModel):
    rotated_at: datetime  # when the secret now in use was stored
    expires_at: datetime | None = None  # Amazon's stated expiry (newClientSecretExpiryTime / expiry notice)
    by: str = ""

    def due_at(self) -> datetime:
        """When the secret must be replaced: Amazon's stated expiry, else 180 days after it was stored."""
        return as_utc(self.expires_at) if self.expires_at else as_utc(self.rotated_at) + LIFETIME


class LwaSecretBook:
    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self) -> LwaSecretRecord | None:
        item = self.store.get(PK, SK)
        return LwaSecretRecord.model_validate(item.data) if item else None

    def record_new_secret(self, *, at: datetime, by: str, expires_at: datetime | None = None) -> bool:
        """A new secret was stored at `at`; False if a later one is recorded already (never goes back); audited."""
        return self._write(
            lambda old: (
                LwaSecretRecord(rotated_at=as_utc(at), expires_at=expires_at, by=by)
                if old is None or as_utc(old.rotated_at) <= as_utc(at)
                else None
            ),
            at=at,
            by=by,
            action="lwa_secret_stored",
        )

    def record_expiry(self, *, expires_at: datetime, at: datetime, by: str) -> bool:
        """Amazon said when the current secret expires; False if no secret was ever recorded."""
        return self._write(
            lambda old: old.model_copy(update={"expires_at": as_utc(expires_at)}) if old is not None else None,
            at=at,
            by=by,
            action="lwa_secret_expiry_notice",
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


def grantless_token(http: httpx.Client, *, url: str, lwa: LwaCredentials, scope: str) -> SecretStr:
    """LWA `client_credentials` grant for `scope`; raises AmazonRefused (invalid_client: a wrong or expired secret)."""
    response = http.post(
        url,
        data={
            "grant_type": "client_credentials",
            "scope": scope,
            "client_id": lwa.lwa_app_id,
            "client_secret": lwa.lwa_client_secret.get_secret_value(),
        },
        headers={"Content-Type": "application/x-www-form-urlencoded;charset=UTF-8"},
    )
    try:
        body = response.json()
    except ValueError:
        body = {}
    body = body if isinstance(body, dict) else {}
    if response.status_code != 200:
        raise AmazonRefused(str(body.get("error") or "lwa_error")[:40], response.status_code)
    access = body.get("access_token")
    if not isinstance(access, str) or not access:
        raise AmazonRefused("malformed_token_response", response.status_code)
    register_secrets(access)
    return SecretStr(access)
