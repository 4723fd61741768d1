"""Everything a listener needs, built once per process (Lambda container)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from bot.settings import Settings
from infra.accounts import AccountsConfig, load_accounts
from infra.store.base import Store

if TYPE_CHECKING:
    from slack_sdk import WebClient

    from infra.spapi.factory import SpApiFactory


@dataclass
class Deps:
    settings: Settings
    store: Store
    slack: WebClient
    accounts: AccountsConfig = field(default_factory=load_accounts)
    clock: Callable[[], float] = time.time

    @cached_property
    def spapi(self) -> SpApiFactory:
        # Imported on first use: sp_api costs ~170 ms and the ack path never needs it.
        from infra.spapi.wiring import build_spapi_factory

        return build_spapi_factory(self.settings, self.accounts)
