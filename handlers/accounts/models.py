"""What the registry says about an account besides its configuration: its connection to Amazon, a newly
authorized seller, a change made in Slack, and what an import did."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import ClassVar, Literal

from pydantic import BaseModel, Field


class ConnectionState(StrEnum):
    CONNECTED = "connected"
    NEVER_CHECKED = "never_checked"
    # Amazon answered invalid_grant: shown as "disconnected, reconnect needed".
    TOKEN_REFUSED = "token_refused"
    # An admin removed the token.
    DISCONNECTED = "disconnected"


class Connection(BaseModel):
    state: ConnectionState
    authorized_at: datetime | None = None  # UTC, when Amazon last granted consent
    changed_at: datetime
    reason: str = Field(default="", max_length=500)
    selling_partner_id: str | None = None


class ConnectedSeller(BaseModel):
    """A seller Amazon just authorized (the OAuth callback), with its participating marketplaces."""

    selling_partner_id: str = Field(min_length=1, max_length=64)
    region: Literal["NA", "EU", "FE"]
    marketplace_ids: list[str] = Field(max_length=100)
    team_id: str = Field(max_length=32)
    user_id: str = Field(max_length=32)
    # None: a new account, its id derived from `name` (the seller's store name) or the seller id.
    # A re-authorization passes the existing id and must carry the same selling_partner_id.
    account_id: str | None = None
    name: str = Field(default="", max_length=200)


class MarketplaceChanges(BaseModel):
    """A change to one account x marketplace; None leaves a field as it is. The account-level fields
    (approvers, members, approvals channel, Brand Registry, brand, name) apply to the whole account."""

    alert_channel: str | None = Field(default=None, max_length=32)
    owner_group: str | None = Field(default=None, max_length=32)
    responders: list[str] | None = Field(default=None, max_length=100)
    thresholds: dict[str, float] | None = Field(default=None, max_length=50)
    approvers: list[str] | None = Field(default=None, max_length=100)
    members: list[str] | None = Field(default=None, max_length=500)
    approvals_channel: str | None = Field(default=None, max_length=32)
    brand_registry: bool | None = None
    brand: str | None = Field(default=None, max_length=200)
    name: str | None = Field(default=None, max_length=200)

    MARKETPLACE_FIELDS: ClassVar[tuple[str, ...]] = ("alert_channel", "owner_group", "responders", "thresholds")

    def for_marketplace(self) -> dict[str, object]:
        return {k: v for k, v in self.model_dump().items() if k in self.MARKETPLACE_FIELDS and v is not None}

    def for_account(self) -> dict[str, object]:
        return {k: v for k, v in self.model_dump().items() if k not in self.MARKETPLACE_FIELDS and v is not None}


class ImportResult(BaseModel):
    """What an import did, per account id."""

    added: list[str] = Field(default_factory=list)
    updated: list[str] = Field(default_factory=list)
    unchanged: list[str] = Field(default_factory=list)
    # Changed in Slack since they were imported: an import does not overwrite them (unless told to).
    kept: list[str] = Field(default_factory=list)
    admins_changed: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.admins_changed)
