"""An account's standing with Amazon beyond its configuration (issue 21 item 4): whether scheduled work may
use it, what `/sellerbot accounts` shows for each account x marketplace, the age of its 365-day authorization,
and the claims that make "tell the admins once" hold.

- A refresh Amazon answers `invalid_grant` (the seller revoked the app, or the authorization lapsed) marks the
  account TOKEN_REFUSED through the registry's conditional write: only the call that changed the state tells.
- An admin's `/sellerbot disconnect` deletes the refresh token, then marks it DISCONNECTED.
- Scheduled work skips both states; a successful connect (registry.connect) sets CONNECTED again.
- Amazon's seller authorization lasts 365 days (onboarding.md §1.6); the admins are told once, 30 days before
  it lapses, per authorization (a renewal is a new authorization, so it is told again a year later).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Protocol

from pydantic import BaseModel

from handlers.accounts.models import Connection, ConnectionState
from handlers.accounts.registry import AccountRegistry, UnknownAccount
from handlers.health.check_state import CheckState
from infra.accounts import AccountConfig, AccountsConfig
from infra.clock import as_utc
from infra.marketplaces import MARKETPLACES
from infra.store.base import Item, Store

log = logging.getLogger("sellerbot.accounts")

AUTHORIZATION_DAYS = 365
RENEWAL_WARNING_DAYS = 30
UNUSABLE = frozenset({ConnectionState.TOKEN_REFUSED, ConnectionState.DISCONNECTED})
REFUSED_REASON = (
    "Amazon answered invalid_grant to a token refresh: the seller revoked the app or the authorization lapsed"
)
REMINDER_PK = "ACCOUNTS#RENEWAL"
SYSTEM = "sp-api"


class PairState(StrEnum):
    """What `/sellerbot accounts` says of one account x marketplace."""

    CONNECTED = "connected"
    CHECK_FAILING = "check_failing"  # connected, but its last health check failed
    TOKEN_REFUSED = "token_refused"  # disconnected: Amazon refused the token, reconnect needed
    DISCONNECTED = "disconnected"  # an admin removed the token
    NEVER_CHECKED = "never_checked"


class AuthorizationAge(BaseModel):
    authorized_at: datetime
    days: int  # since Amazon granted consent
    renew_by: date  # the last day of the authorization, in the marketplace's zone
    days_left: int

    @property
    def due(self) -> bool:
        """Within RENEWAL_WARNING_DAYS of lapsing (or lapsed)."""
        return self.days_left <= RENEWAL_WARNING_DAYS


class PairStatus(BaseModel):
    account_id: str
    marketplace: str
    state: PairState
    last_success_at: datetime | None = None
    age: AuthorizationAge | None = None


def usable(connection: Connection | None) -> bool:
    """Whether work may call Amazon for the account (an account the registry does not know is left to the caller)."""
    return connection is None or connection.state not in UNUSABLE


def schedulable(
    accounts: AccountsConfig, connections: Mapping[str, Connection], *, job: str
) -> tuple[AccountsConfig, list[str]]:
    """The accounts scheduled work may run for, and the ids it skips (each logged once, for this run)."""
    skipped = [a.account_id for a in accounts.accounts if not usable(connections.get(a.account_id))]
    for account_id in skipped:
        state = connections[account_id].state
        log.info("%s: skipping %s (%s): an admin reconnects it with /sellerbot connect", job, account_id, state)
    kept = [a for a in accounts.accounts if a.account_id not in skipped]
    return accounts.model_copy(update={"accounts": kept}), skipped


def authorization_age(connection: Connection, now: datetime, zone_code: str | None = None) -> AuthorizationAge | None:
    """How old the account's authorization is, and the last day it holds (in the marketplace's zone, else UTC)."""
    if connection.authorized_at is None:
        return None
    granted = as_utc(connection.authorized_at)
    lapses = granted + timedelta(days=AUTHORIZATION_DAYS)
    market = MARKETPLACES.get(zone_code or "")
    local_now, local_lapse = (
        (as_utc(now).astimezone(market.tz), lapses.astimezone(market.tz)) if market else (as_utc(now), lapses)
    )
    return AuthorizationAge(
        authorized_at=granted,
        days=max(0, (as_utc(now) - granted).days),
        renew_by=local_lapse.date(),
        days_left=(local_lapse.date() - local_now.date()).days,
    )


def pair_status(
    account: AccountConfig, code: str, connection: Connection | None, check: CheckState | None, now: datetime
) -> PairStatus:
    """The state shown for one pair: the registry's connection first (refused, disconnected), then what the
    health checks of the pair found (a success means connected, even for an account imported unchecked)."""
    state = connection.state if connection is not None else ConnectionState.NEVER_CHECKED
    succeeded = check.last_success_at if check is not None else None
    if state == ConnectionState.TOKEN_REFUSED:
        shown = PairState.TOKEN_REFUSED
    elif state == ConnectionState.DISCONNECTED:
        shown = PairState.DISCONNECTED
    elif check is not None and check.failed:
        shown = PairState.CHECK_FAILING
    elif state == ConnectionState.CONNECTED or succeeded is not None:
        shown = PairState.CONNECTED
    else:
        shown = PairState.NEVER_CHECKED
    age = authorization_age(connection, now, code) if connection is not None else None
    return PairStatus(account_id=account.account_id, marketplace=code, state=shown, last_success_at=succeeded, age=age)


def mark_token_refused(registry: AccountRegistry, account_id: str) -> bool:
    """Record Amazon's invalid_grant for the account; True only for the call that changed the state (so the
    caller tells people once). An account the store does not hold is not marked."""
    try:
        return registry.set_connection(account_id, ConnectionState.TOKEN_REFUSED, reason=REFUSED_REASON, actor=SYSTEM)
    except UnknownAccount:
        log.warning("invalid_grant for %s, which is not in the store: not marked", account_id)
        return False


class TokenDeleter(Protocol):
    def delete_refresh_token(self, account_id: str) -> None: ...


def disconnect(registry: AccountRegistry, tokens: TokenDeleter, account_id: str, *, actor: str) -> bool:
    """Delete the account's refresh token, then mark it DISCONNECTED (audited); True when the state changed. The
    token goes first: a failure to delete it leaves the account as it was, never "disconnected" with a token."""
    if registry.stored(account_id) is None:
        raise UnknownAccount(account_id)
    tokens.delete_refresh_token(account_id)
    return registry.set_connection(
        account_id, ConnectionState.DISCONNECTED, reason=f"disconnected by {actor}", actor=actor
    )


def renewals_due(
    accounts: AccountsConfig, connections: Mapping[str, Connection], now: datetime
) -> list[tuple[AccountConfig, AuthorizationAge]]:
    """Accounts in use whose authorization lapses within RENEWAL_WARNING_DAYS (or lapsed), in the zone of their
    first marketplace."""
    due = []
    for account in accounts.accounts:
        connection = connections.get(account.account_id)
        if connection is None or not usable(connection):
            continue
        first = account.marketplaces[0].code if account.marketplaces else None
        age = authorization_age(connection, now, first)
        if age is not None and age.due:
            due.append((account, age))
    return due


def claim_reminder(store: Store, account_id: str, age: AuthorizationAge, now: datetime) -> bool:
    """True once per account and authorization: the conditional write that makes the reminder a single one."""
    expires = as_utc(age.authorized_at) + timedelta(days=AUTHORIZATION_DAYS + 60)
    item = Item(
        pk=REMINDER_PK,
        sk=f"{account_id}#{as_utc(age.authorized_at).isoformat()}",
        data={"account": account_id, "told_at": as_utc(now).isoformat(), "renew_by": age.renew_by.isoformat()},
        expires_at=int(expires.timestamp()),
    )
    return store.put_if_absent(item)


def account_usable(store: Store, account_id: str) -> bool:
    """One read: whether queued work may still call Amazon for the account (False once its token was refused or
    an admin disconnected it; an account the store does not hold is left to the caller)."""
    stored = AccountRegistry(store).stored(account_id)
    return stored is None or usable(stored.connection)
