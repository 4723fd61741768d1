"""The fake's side of LWA client secret rotation (onboarding.md §1.7, Amazon's application_2023-11-30.json).

- LWA `client_credentials` with scope `sellingpartnerapi::client_credential:rotation` gives a rotation token;
  any other scope a plain grantless token.
- `POST /applications/2023-11-30/clientSecret` with the rotation token: 204, a new secret becomes current, the
  old one keeps working for `overlap` (Amazon: 7 days) and is refused (invalid_client) after, and an
  APPLICATION_OAUTH_CLIENT_NEW_SECRET notification is queued on `notifications` (and handed to `deliver` when
  set: a test wires it to a local SQS queue). The new secret reaches nobody else: only the queue.
- Not enrolled (`enrolled = False`): Amazon's 400 InvalidInput "Application is not enrolled ..." (its sandbox).
- Any other token: Amazon's 403 Unauthorized.
`expiry_notice()` builds an APPLICATION_OAUTH_CLIENT_SECRET_EXPIRY notification for tests and the demo.
"""

from __future__ import annotations

import json
import secrets
import threading
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from infra.fakes.sp_api.http import Response, error_response

ROTATION_SCOPE = "sellingpartnerapi::client_credential:rotation"
NOT_ENROLLED = (
    "Application is not enrolled for rotation notification. "
    "Please update application notification preference in Developer console."
)
APPLICATION_ID = "amzn1.sp.solution.fake-sellerbot"


def _iso(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


class FakeAppRotation:
    def __init__(
        self,
        data: object,  # SandboxData: lwa_app_id, lwa_client_secret (the current secret, replaced on rotation)
        *,
        now: Callable[[], datetime],
        token_prefix: str,
        overlap: timedelta = timedelta(days=7),
        lifetime: timedelta = timedelta(days=180),
    ) -> None:
        self.data, self.now, self.overlap, self.lifetime = data, now, overlap, lifetime
        self.rotation_token = token_prefix + "grantless-rotation-" + secrets.token_hex(8)
        self.plain_token = token_prefix + "grantless"
        self.enrolled = True
        self.old_secret: str | None = None
        self.old_valid_until: datetime | None = None
        self.rotations = 0
        self.notifications: list[str] = []
        self.deliver: Callable[[str], None] | None = None
        self._lock = threading.Lock()

    def accepts(self, client_id: object, client_secret: object) -> bool:
        """LWA's client authentication: the current secret, or the previous one inside its overlap."""
        if client_id != getattr(self.data, "lwa_app_id", None):
            return False
        if client_secret == getattr(self.data, "lwa_client_secret", None):
            return True
        with self._lock:
            return (
                self.old_secret is not None
                and client_secret == self.old_secret
                and self.old_valid_until is not None
                and self.now() < self.old_valid_until
            )

    def grantless_token(self, scope: object) -> str:
        return self.rotation_token if scope == ROTATION_SCOPE else self.plain_token

    def rotate(self, token: str) -> Response:
        if token != self.rotation_token:
            return error_response(
                403,
                "Unauthorized",
                "Access to requested resource is denied.",
                "The access token you provided is revoked, malformed or invalid.",
            )
        if not self.enrolled:
            return error_response(400, "InvalidInput", NOT_ENROLLED)
        now = self.now()
        new_secret = "amzn1.oa2-cs.v1.fake-" + secrets.token_hex(16)
        with self._lock:
            self.old_secret = str(getattr(self.data, "lwa_client_secret", ""))
            self.old_valid_until = now + self.overlap
            self.data.lwa_client_secret = new_secret  # type: ignore[attr-defined]
            self.rotations += 1
        body = self._notification(
            "APPLICATION_OAUTH_CLIENT_NEW_SECRET",
            {
                "applicationOAuthClientNewSecret": {
                    "clientId": getattr(self.data, "lwa_app_id", ""),
                    "newClientSecret": new_secret,
                    "newClientSecretExpiryTime": _iso(now + self.lifetime),
                    "oldClientSecretExpiryTime": _iso(now + self.overlap),
                }
            },
            now,
        )
        self._queue(body)
        return Response(204)

    def expiry_notice(self, expires_at: datetime, reason: str = "PERIODIC_ROTATION") -> str:
        body = self._notification(
            "APPLICATION_OAUTH_CLIENT_SECRET_EXPIRY",
            {
                "applicationOAuthClientSecretExpiry": {
                    "clientId": getattr(self.data, "lwa_app_id", ""),
                    "clientSecretExpiryTime": _iso(expires_at),
                    "clientSecretExpiryReason": reason,
                }
            },
            self.now(),
        )
        self._queue(body)
        return body

    def _notification(self, kind: str, payload: dict[str, object], now: datetime) -> str:
        return json.dumps(
            {
                "notificationVersion": "1.0",
                "notificationType": kind,
                "payload": payload,
                "notificationMetadata": {
                    "applicationId": APPLICATION_ID,
                    "subscriptionId": str(uuid.uuid4()),
                    "publishTime": _iso(now),
                    "notificationId": str(uuid.uuid4()),
                },
            }
        )

    def _queue(self, body: str) -> None:
        with self._lock:
            self.notifications.append(body)
        if self.deliver is not None:
            self.deliver(body)
