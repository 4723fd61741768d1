"""Everything a listener needs, built once per process (Lambda container)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from slack_sdk import WebClient

from bot.access import AccountGate, Admins
from bot.settings import Settings
from handlers.accounts import AccountRegistry
from infra.accounts import AccountsConfig
from infra.spapi.factory import SpApiFactory, build_spapi_factory
from infra.store.base import Store

if TYPE_CHECKING:
    from handlers.affiliates.service import AffiliatesService

log = logging.getLogger("sellerbot.deps")


@dataclass
class Deps:
    settings: Settings
    store: Store
    slack: WebClient
    clock: Callable[[], float] = time.time
    # Imported into the store once, on first read (the accounts file, or locally the demo set); the import
    # keeps what was changed in Slack since (handlers/accounts/registry.py). None: nothing to import.
    seed_accounts: AccountsConfig | None = None
    seed_source: str = ""

    @cached_property
    def registry(self) -> AccountRegistry:
        """The accounts in the store: the one place that reads and changes them."""
        return open_registry(self.store, self.clock, self.seed_accounts, self.seed_source)

    @property
    def accounts(self) -> AccountsConfig:
        """The accounts now (the store's, cached a few seconds, fresh after a write in this process), with
        SELLERBOT_ADMINS' user ids among the admins."""
        snapshot = self.registry.snapshot()
        extra = [a for a in self.settings.admins if a not in snapshot.admins]
        if not extra:
            return snapshot
        merged = self._merged
        if merged is None or merged[0] is not snapshot:
            merged = (snapshot, snapshot.model_copy(update={"admins": [*snapshot.admins, *extra]}))
            self._merged = merged
        return merged[1]

    _merged: tuple[AccountsConfig, AccountsConfig] | None = field(default=None, init=False, repr=False)

    @cached_property
    def admins(self) -> Admins:
        """Who may connect, configure and disconnect accounts (SELLERBOT_ADMINS, the accounts' `admins`)."""
        return Admins(
            lambda: self.accounts,
            self.slack,
            self.clock,
            ids=self.settings.admins,
            workspace=self.settings.workspace_admins,
        )

    @cached_property
    def spapi(self) -> SpApiFactory:
        # Built on first use: the ack path never calls SP-API (the factory imports sp_api, ~170 ms, per client).
        factory = build_spapi_factory(self.settings)
        # Amazon's invalid_grant marks the account and tells its people once (bot/jobs/revocation.py).
        factory.on_token_refused = self._token_refused
        return factory

    def _token_refused(self, account_id: str) -> None:
        from bot.jobs.revocation import tell_token_refused  # bot.jobs imports this module

        tell_token_refused(self, account_id)

    @cached_property
    def access(self) -> AccountGate:
        """Who may use which account (issue 23); one per process so owner-group lookups are cached."""
        return AccountGate(lambda: self.accounts, self.slack, self.clock, self.admins)

    @cached_property
    def affiliates(self) -> AffiliatesService:
        """/affiliates and the weekly digest (issue 22): built on first use, so no ack pays for the Ads client."""
        from bot.affiliates_service import build_affiliates_service

        return build_affiliates_service(self.settings, self.store, self.clock)


def open_registry(
    store: Store, clock: Callable[[], float], seed: AccountsConfig | None, source: str
) -> AccountRegistry:
    """A registry over `store`, with `seed` imported once (handlers/accounts/registry.py says the rule)."""
    registry = AccountRegistry(store, clock)
    if seed is None:
        return registry
    try:
        result = registry.seed(seed, source=source)
    except Exception as exc:  # a function without write access still reads what is stored
        log.warning("accounts not imported from %s: %s", source, type(exc).__name__)
        return registry
    if result is not None:
        log.info(
            "accounts imported from %s: %d added, %d updated, %d kept (changed in Slack)",
            source,
            len(result.added),
            len(result.updated),
            len(result.kept),
        )
    return registry
