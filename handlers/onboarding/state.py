"""The OAuth `state`: what ties Amazon's redirect back to the Slack admin who asked.

A state is `<claims>.<signature>`: base64url JSON claims (a 256-bit random nonce, team, user, region, the
account a re-authorization is for, the expiry) and an HMAC-SHA256 over them keyed with the Slack signing
secret, so a forged or altered state is refused before the store is read. The store keeps the issued record
(conditional put); the callback consumes it with a conditional update, so a state works once. The record
outlives the state's 10 minutes by a day so that a late or repeated use can still be told to its admin.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from collections.abc import Callable
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field, ValidationError

from infra.store.base import ConditionFailed, Item, Store

STATE_TTL_SECONDS = 600
RECORD_GRACE_SECONDS = 86_400
MAX_STATE_CHARS = 1024
_KEY_CONTEXT = b"sellerbot/amazon-oauth-state/v1:"

Region = Literal["NA", "EU", "FE"]
# Which consent a state was issued for: Seller Central (SP-API) or Login with Amazon for Amazon Ads. Each
# callback consumes only its own kind, so a state cannot be replayed into the other flow.
Purpose = Literal["spapi", "ads"]


class StateProblem(StrEnum):
    FORGED = "forged"  # malformed, bad signature, or the record disagrees with the signed claims
    UNKNOWN = "unknown"  # signed by us, but no record (never issued here, or purged)
    REUSED = "reused"
    EXPIRED = "expired"


class StateRefused(Exception):
    def __init__(self, problem: StateProblem, record: StateRecord | None = None) -> None:
        super().__init__(problem.value)
        self.problem = problem
        self.record = record  # who asked, when the state itself is known (to tell them)


class StateRecord(BaseModel):
    """What a state binds: who asked in Slack, for which region and (re-authorization) which account."""

    nonce: str = Field(min_length=43, max_length=64)
    team_id: str = Field(min_length=1, max_length=32)
    user_id: str = Field(min_length=1, max_length=32)
    region: Region
    account_id: str | None = Field(default=None, max_length=64)
    channel_id: str | None = Field(default=None, max_length=32)  # where to answer; None = the user's DM
    redirect_uri: str = Field(min_length=1, max_length=512)
    expires_at: int
    source: Literal["slack", "amazon_login"] = "slack"
    selling_partner_id: str | None = Field(default=None, max_length=64)  # log-in flow: the seller Amazon named
    purpose: Purpose = "spapi"


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(secret: str, claims: str) -> str:
    key = hmac.new(secret.encode(), _KEY_CONTEXT, hashlib.sha256).digest()  # a key for this purpose only
    return _b64(hmac.new(key, claims.encode("ascii"), hashlib.sha256).digest())


def _key(nonce: str) -> tuple[str, str]:
    return f"AMZSTATE#{nonce}", "state"


class StateBook:
    """Issues and consumes states in the store; `secret` is the Slack signing secret."""

    def __init__(self, store: Store, secret: str, clock: Callable[[], float]) -> None:
        if not secret:
            raise ValueError("The Slack signing secret is needed to sign OAuth states.")
        self.store = store
        self._secret = secret
        self._clock = clock

    def _now(self) -> int:
        return int(self._clock())

    def issue(
        self,
        *,
        team_id: str,
        user_id: str,
        region: Region,
        redirect_uri: str,
        account_id: str | None = None,
        channel_id: str | None = None,
        source: Literal["slack", "amazon_login"] = "slack",
        selling_partner_id: str | None = None,
        purpose: Purpose = "spapi",
    ) -> tuple[str, StateRecord]:
        """A new state (the string to put in the consent URL) and its stored record."""
        record = StateRecord(
            nonce=_b64(secrets.token_bytes(32)),  # 256 bits from the OS CSPRNG
            team_id=team_id,
            user_id=user_id,
            region=region,
            account_id=account_id,
            channel_id=channel_id,
            redirect_uri=redirect_uri,
            expires_at=self._now() + STATE_TTL_SECONDS,
            source=source,
            selling_partner_id=selling_partner_id,
            purpose=purpose,
        )
        pk, sk = _key(record.nonce)
        item = Item(
            pk=pk,
            sk=sk,
            data={"record": record.model_dump(mode="json"), "used": False},
            expires_at=record.expires_at + RECORD_GRACE_SECONDS,
        )
        if not self.store.put_if_absent(item):  # a 256-bit collision: never in practice
            raise ConditionFailed(pk, sk, "state exists")
        signed: dict[str, object] = {
            "n": record.nonce,
            "t": team_id,
            "u": user_id,
            "r": region,
            "a": account_id,
            "e": record.expires_at,
        }
        if purpose != "spapi":
            signed["p"] = purpose  # SP-API states keep their shape (links issued before this change still work)
        claims = _b64(json.dumps(signed, separators=(",", ":")).encode())
        return f"{claims}.{_signature(self._secret, claims)}", record

    def verify(self, state: str) -> dict[str, object]:
        """The signed claims, or StateRefused(FORGED); reads nothing from the store."""
        if not state or len(state) > MAX_STATE_CHARS or state.count(".") != 1:
            raise StateRefused(StateProblem.FORGED)
        claims, signature = state.split(".")
        if not hmac.compare_digest(_signature(self._secret, claims), signature):
            raise StateRefused(StateProblem.FORGED)
        try:
            parsed = json.loads(_unb64(claims))
        except ValueError:
            raise StateRefused(StateProblem.FORGED) from None
        if not isinstance(parsed, dict) or not isinstance(parsed.get("n"), str):
            raise StateRefused(StateProblem.FORGED)
        return parsed

    def consume(self, state: str, purpose: Purpose = "spapi") -> StateRecord:
        """The record of a valid, unused, unexpired state of this `purpose`, marked used (once: a conditional
        update). Another flow's state is FORGED here, refused before the store is read (and stays unused)."""
        claims = self.verify(state)
        if claims.get("p", "spapi") != purpose:
            raise StateRefused(StateProblem.FORGED)
        pk, sk = _key(str(claims["n"]))
        item = self.store.get(pk, sk)
        if item is None:
            raise StateRefused(StateProblem.UNKNOWN)
        try:
            record = StateRecord.model_validate(item.data.get("record"))
        except ValidationError:
            raise StateRefused(StateProblem.FORGED) from None
        bound = {"n": record.nonce, "t": record.team_id, "u": record.user_id, "r": record.region}
        if (
            any(claims.get(k) != v for k, v in bound.items())
            or claims.get("a") != record.account_id
            or record.purpose != purpose
        ):
            raise StateRefused(StateProblem.FORGED, record)  # another team's, user's or account's record
        if item.data.get("used"):
            raise StateRefused(StateProblem.REUSED, record)
        try:
            self.store.update(pk, sk, {**item.data, "used": True}, expected_version=item.version)
        except ConditionFailed:
            raise StateRefused(StateProblem.REUSED, record) from None  # a concurrent request used it first
        if self._now() >= record.expires_at:
            raise StateRefused(StateProblem.EXPIRED, record)
        return record
