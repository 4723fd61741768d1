"""The seller accounts the bot serves, kept in the store (issue 21): imported from the accounts file,
connected through Amazon's consent flow, configured in Slack; everything that reads accounts reads
`snapshot()`.

Layout (one partition, so one query reads every account):
  ACCOUNTS  META                 admins, the digest of the last seeded file; its version is the
                                 registry's revision, bumped by every write in the same transaction
  ACCOUNTS  ACCOUNT#<id>         {"config": AccountConfig, "connection": Connection, "source", "seq"}
  ACCOUNTS#AUDIT  <iso>#<ns>#<r>  AuditEntry per change

Every change is one conditional transaction (the account's version, the META version and the audit
entry), retried a few times on a lost race, so two admins or a retried request never apply a change
twice or lose one. A process caches its snapshot for CHECK_SECONDS, then reads META alone and reloads
only when the revision moved: another process's change shows within seconds, this process's at once.

Import rule: an account absent from the store is added; one whose stored configuration came from an
import (nobody changed it in Slack since) is updated to the file's; one changed in Slack since
(connected, reconfigured) is kept as it is unless `overwrite=True`. An import never removes an account
and leaves connection states alone. The file's `admins` replace the stored admins.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any, Literal, TypeVar

from handlers.accounts.models import (
    ConnectedSeller,
    Connection,
    ConnectionState,
    ImportResult,
    MarketplaceChanges,
)
from handlers.audit import AuditEntry, audit_put
from infra.accounts import AccountConfig, AccountsConfig, MarketplaceConfig, marketplace_code
from infra.marketplaces import MARKETPLACES
from infra.store.base import ConditionFailed, Item, Put, Store, Update

ACCOUNTS_PK = "ACCOUNTS"
META_SK = "META"
ACCOUNT_PREFIX = "ACCOUNT#"
AUDIT_PK = "ACCOUNTS#AUDIT"
ATTEMPTS = 6  # a lost race re-reads and tries again; more than this means something keeps writing

Source = Literal["import", "slack"]
T = TypeVar("T")


class UnknownAccount(KeyError):
    """No account has this id."""


class UnknownMarketplace(KeyError):
    """The account has no such marketplace."""


class SellerMismatch(ValueError):
    """A re-authorization of an account came back with another selling partner."""


@dataclass(frozen=True)
class StoredAccount:
    config: AccountConfig
    connection: Connection
    source: Source
    seq: float
    version: int


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40].strip("-")
    return slug if len(slug) >= 2 else ""


def digest(config: AccountsConfig) -> str:
    return hashlib.sha256(json.dumps(config.model_dump(mode="json"), sort_keys=True).encode()).hexdigest()


class AccountRegistry:
    CHECK_SECONDS = 5.0

    def __init__(self, store: Store, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.clock = clock
        self._lock = threading.Lock()
        self._cached: tuple[int, AccountsConfig] | None = None
        self._checked_at = 0.0

    # ---- reading -------------------------------------------------------------------------------

    def snapshot(self) -> AccountsConfig:
        """Every account and the admins, as the accounts file would say them."""
        now = self.clock()
        with self._lock:
            cached, checked_at = self._cached, self._checked_at
        if cached is not None and now - checked_at < self.CHECK_SECONDS:
            return cached[1]
        meta = self.store.get(ACCOUNTS_PK, META_SK)
        revision = meta.version if meta else 0
        if cached is None or cached[0] != revision:
            config = self._load(meta)
            cached = (revision, config)
        with self._lock:
            self._cached, self._checked_at = cached, now
        return cached[1]

    def invalidate(self) -> None:
        with self._lock:
            self._cached = None

    def _load(self, meta: Item | None) -> AccountsConfig:
        stored = sorted(self._stored_accounts(), key=lambda s: (s.seq, s.config.account_id))
        admins = list((meta.data if meta else {}).get("admins", []))
        return AccountsConfig(accounts=[s.config for s in stored], admins=admins)

    def _stored_accounts(self) -> list[StoredAccount]:
        return [self._parse(i) for i in self.store.query(ACCOUNTS_PK, prefix=ACCOUNT_PREFIX)]

    @staticmethod
    def _parse(item: Item) -> StoredAccount:
        return StoredAccount(
            config=AccountConfig.model_validate(item.data["config"]),
            connection=Connection.model_validate(item.data["connection"]),
            source=item.data.get("source", "import"),
            seq=float(item.data.get("seq", 0)),
            version=item.version,
        )

    def stored(self, account_id: str) -> StoredAccount | None:
        item = self.store.get(ACCOUNTS_PK, ACCOUNT_PREFIX + account_id)
        return self._parse(item) if item else None

    def get(self, account_id: str) -> AccountConfig | None:
        return self.snapshot().get(account_id)

    def connection(self, account_id: str) -> Connection:
        found = self.stored(account_id)
        if found is None:
            raise UnknownAccount(account_id)
        return found.connection

    def connections(self) -> dict[str, Connection]:
        """Every account's connection, by account id (one query)."""
        return {s.config.account_id: s.connection for s in self._stored_accounts()}

    def export(self) -> AccountsConfig:
        """Everything in the import format, read fresh from the store."""
        return self._load(self.store.get(ACCOUNTS_PK, META_SK))

    def audit_trail(self) -> list[AuditEntry]:
        return [AuditEntry.model_validate(i.data) for i in self.store.query(AUDIT_PK)]

    # ---- writing -------------------------------------------------------------------------------

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), UTC)

    def _audit(self, by: str, action: str, **detail: object) -> Put:
        at = self._now()
        entry = AuditEntry(at=at, by=by, action=action, detail=dict(detail))
        return audit_put(AUDIT_PK, entry)

    def _commit(self, steps: Sequence[Put | Update], *, meta_changes: dict[str, Any] | None = None) -> None:
        """`steps` with the META revision bump, in one transaction; ConditionFailed on a lost race."""
        meta = self.store.get(ACCOUNTS_PK, META_SK)
        data = {**(meta.data if meta else {"admins": []}), **(meta_changes or {})}
        bump: Put | Update = (
            Update(pk=ACCOUNTS_PK, sk=META_SK, data=data, expected_version=meta.version)
            if meta
            else Put(item=Item(pk=ACCOUNTS_PK, sk=META_SK, data=data))
        )
        try:
            self.store.transact([*steps, bump])
        finally:
            self.invalidate()

    def _account_step(self, current: StoredAccount | None, account: StoredAccount) -> Put | Update:
        data = {
            "config": account.config.model_dump(mode="json"),
            "connection": account.connection.model_dump(mode="json"),
            "source": account.source,
            "seq": account.seq,
        }
        sk = ACCOUNT_PREFIX + account.config.account_id
        if current is None:
            return Put(item=Item(pk=ACCOUNTS_PK, sk=sk, data=data))
        return Update(pk=ACCOUNTS_PK, sk=sk, data=data, expected_version=current.version)

    def _retry(self, attempt: Callable[[], T], what: str) -> T:
        for _ in range(ATTEMPTS - 1):
            try:
                return attempt()
            except ConditionFailed:
                continue
        try:
            return attempt()
        except ConditionFailed as exc:
            raise ConditionFailed(exc.pk, exc.sk, f"{what}: the accounts kept changing") from exc

    def connect(self, seller: ConnectedSeller, *, actor: str) -> AccountConfig:
        """Create or reconnect the seller's account: CONNECTED, authorized now, with the participating
        marketplaces of its region that the bot knows (Non-Amazon and unknown ids are ignored)."""
        region = seller.region.lower()
        codes = [
            code
            for code in dict.fromkeys(marketplace_code(i) for i in seller.marketplace_ids if i in _IDS)
            if code is not None and MARKETPLACES[code].region == region
        ]

        def attempt() -> AccountConfig:
            current = self._existing_for(seller, region)
            now = self._now()
            connection = Connection(
                state=ConnectionState.CONNECTED,
                authorized_at=now,
                changed_at=now,
                selling_partner_id=seller.selling_partner_id,
            )
            if current is None:
                account_id = seller.account_id or self._new_id(seller, region)
                config = AccountConfig(
                    account_id=account_id,
                    name=seller.name or seller.selling_partner_id,
                    seller_id=seller.selling_partner_id,
                    region=region,
                    marketplaces=[MarketplaceConfig(code=c, alert_channel="") for c in codes],
                )
                action = "account_connected"
                seq = self.clock()
            else:
                old = {m.code: m for m in current.config.marketplaces}
                config = current.config.model_copy(
                    update={
                        "region": region,
                        "marketplaces": [old.get(c) or MarketplaceConfig(code=c, alert_channel="") for c in codes],
                    }
                )
                action = "account_reconnected"
                seq = current.seq
            stored = StoredAccount(config, connection, "slack", seq, current.version if current else 0)
            audit = self._audit(
                actor,
                action,
                account=config.account_id,
                region=seller.region,
                selling_partner_id=seller.selling_partner_id,
                marketplaces=codes,
                team=seller.team_id,
                user=seller.user_id,
            )
            self._commit([self._account_step(current, stored), audit])
            return config

        return self._retry(attempt, "connect")

    def _existing_for(self, seller: ConnectedSeller, region: str) -> StoredAccount | None:
        if seller.account_id is not None:
            found = self.stored(seller.account_id)
            if found is not None and found.config.seller_id != seller.selling_partner_id:
                raise SellerMismatch(
                    f"account {seller.account_id} belongs to another selling partner; connect it as a new account"
                )
            return found
        # The same seller in the same region authorizing again is that account, not a second one.
        return next(
            (
                s
                for s in self._stored_accounts()
                if s.config.seller_id == seller.selling_partner_id and s.config.region == region
            ),
            None,
        )

    def _new_id(self, seller: ConnectedSeller, region: str) -> str:
        taken = {s.config.account_id for s in self._stored_accounts()}
        base = _slug(seller.name) or _slug(f"seller-{seller.selling_partner_id}")
        for candidate in (base, f"{base[:37]}-{region}", *(f"{base[:36]}-{n}" for n in range(2, 100))):
            if candidate not in taken:
                return candidate
        return f"seller-{uuid.uuid4().hex[:12]}"

    def set_connection(self, account_id: str, state: ConnectionState, *, reason: str, actor: str) -> bool:
        """Set the connection state; True only when this call changed it (so "tell once" holds across
        retries and concurrent workers)."""

        def attempt() -> bool:
            current = self.stored(account_id)
            if current is None:
                raise UnknownAccount(account_id)
            if current.connection.state == state:
                return False
            connection = current.connection.model_copy(
                update={"state": state, "reason": reason[:500], "changed_at": self._now()}
            )
            stored = StoredAccount(current.config, connection, current.source, current.seq, current.version)
            audit = self._audit(
                actor,
                "connection_changed",
                account=account_id,
                state=str(state),
                previous=str(current.connection.state),
            )
            self._commit([self._account_step(current, stored), audit])
            return True

        return self._retry(attempt, "set_connection")

    def update_marketplace(
        self, account_id: str, code: str, changes: MarketplaceChanges, *, actor: str
    ) -> AccountConfig:
        """Apply a change made in Slack to one account x marketplace (and its account-level fields)."""

        def attempt() -> AccountConfig:
            current = self.stored(account_id)
            if current is None:
                raise UnknownAccount(account_id)
            wanted = marketplace_code(code) or code.upper()
            market = current.config.marketplace(wanted)
            if market is None:
                raise UnknownMarketplace(f"{account_id} has no marketplace {wanted}")
            new_market = MarketplaceConfig.model_validate({**market.model_dump(), **changes.for_marketplace()})
            config = AccountConfig.model_validate(
                {
                    **current.config.model_dump(),
                    **changes.for_account(),
                    "marketplaces": [
                        new_market.model_dump() if m.code == wanted else m.model_dump()
                        for m in current.config.marketplaces
                    ],
                }
            )
            stored = StoredAccount(config, current.connection, "slack", current.seq, current.version)
            audit = self._audit(
                actor,
                "marketplace_updated",
                account=account_id,
                marketplace=wanted,
                changes=changes.model_dump(mode="json", exclude_none=True),
            )
            self._commit([self._account_step(current, stored), audit])
            return config

        return self._retry(attempt, "update_marketplace")

    def import_config(self, config: AccountsConfig, *, actor: str, overwrite: bool = False) -> ImportResult:
        """Bring the file's accounts in by the import rule in this module's docstring."""
        result = ImportResult()
        for position, account in enumerate(config.accounts):
            outcome = self._retry(partial(self._import_one, account, position, actor, overwrite), "import")
            getattr(result, outcome).append(account.account_id)
        result.admins_changed = self._retry(lambda: self._import_admins(config.admins, actor), "import admins")
        return result

    def _import_one(self, account: AccountConfig, position: int, actor: str, overwrite: bool) -> str:
        current = self.stored(account.account_id)
        if current is not None and current.config == account:
            return "unchanged"
        if current is not None and current.source == "slack" and not overwrite:
            return "kept"
        connection = (
            current.connection
            if current is not None
            else Connection(state=ConnectionState.NEVER_CHECKED, changed_at=self._now())
        )
        seq = current.seq if current is not None else float(position)
        stored = StoredAccount(account, connection, "import", seq, current.version if current else 0)
        action = "account_imported" if current is None else "account_reimported"
        audit = self._audit(actor, action, account=account.account_id)
        self._commit([self._account_step(current, stored), audit])
        return "added" if current is None else "updated"

    def _import_admins(self, admins: list[str], actor: str) -> bool:
        meta = self.store.get(ACCOUNTS_PK, META_SK)
        if meta is not None and list(meta.data.get("admins", [])) == list(admins):
            return False
        self._commit([self._audit(actor, "admins_imported", admins=list(admins))], meta_changes={"admins": admins})
        return True

    def seed(self, config: AccountsConfig, *, source: str) -> ImportResult | None:
        """Import `config` once: None (one read, no write) when this very content was seeded before, so a
        process start never undoes a change made in Slack and a changed file is imported once."""
        wanted = digest(config)
        meta = self.store.get(ACCOUNTS_PK, META_SK)
        if meta is not None and meta.data.get("seeded") == wanted:
            return None
        result = self.import_config(config, actor=f"seed:{source}")

        def mark() -> None:
            self._commit([], meta_changes={"seeded": wanted})

        self._retry(mark, "seed")
        return result


_IDS = {m.marketplace_id for m in MARKETPLACES.values()}
