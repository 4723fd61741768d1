"""Everything a listener needs, built once per process (Lambda container)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from slack_sdk import WebClient

from bot.access import AccountGate
from bot.settings import Settings
from infra.accounts import AccountsConfig, load_accounts
from infra.spapi.factory import SpApiFactory, build_spapi_factory
from infra.store.base import Store

if TYPE_CHECKING:
    from handlers.affiliates.service import AffiliatesService


@dataclass
class Deps:
    settings: Settings
    store: Store
    slack: WebClient
    accounts: AccountsConfig = field(default_factory=load_accounts)
    clock: Callable[[], float] = time.time

    @cached_property
    def spapi(self) -> SpApiFactory:
        # Built on first use: the ack path never calls SP-API (the factory imports sp_api, ~170 ms, per client).
        return build_spapi_factory(self.settings, self.accounts)

    @cached_property
    def access(self) -> AccountGate:
        """Who may use which account (issue 23); one per process so owner-group lookups are cached."""
        return AccountGate(self.accounts, self.slack, self.clock)

    @cached_property
    def affiliates(self) -> AffiliatesService:
        """/affiliates and the weekly digest (issue 22): built on first use, so no ack pays for the Ads client."""
        from bot.affiliates_service import build_affiliates_service

        return build_affiliates_service(self.settings, self.store, self.clock)
