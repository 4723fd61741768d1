"""Which seller account and marketplace a command acts on.

Default (documented in help): the first configured account and its first marketplace.
`--marketplace M` alone picks the first account that sells in M.
"""
from __future__ import annotations

from dataclasses import dataclass

from handlers.accounts import AccountConfig, AccountsConfig, MarketplaceConfig
from handlers.reviews.errors import TargetError


@dataclass(frozen=True)
class Target:
    account: AccountConfig
    marketplace: MarketplaceConfig

    @property
    def account_id(self) -> str:
        return self.account.account_id

    @property
    def code(self) -> str:
        return self.marketplace.code

    @property
    def marketplace_id(self) -> str:
        return self.marketplace.marketplace_id

    def label(self) -> str:
        return f"{self.account.account_id}/{self.marketplace.code}"


def resolve_target(accounts: AccountsConfig, account: str | None = None, marketplace: str | None = None) -> Target:
    if not accounts.accounts:
        raise TargetError("no seller accounts are configured (SELLERBOT_ACCOUNTS_FILE)")
    known = ", ".join(a.account_id for a in accounts.accounts)
    if account:
        chosen = accounts.get(account.strip().lower())
        if chosen is None:
            raise TargetError(f"--account `{account}` is not configured; use one of: {known}")
    elif marketplace:
        chosen = next((a for a in accounts.accounts if a.marketplace(marketplace)), None)
        if chosen is None:
            raise TargetError(f"--marketplace `{marketplace}` is not configured for any account ({known})")
    else:
        chosen = accounts.default()
    if marketplace:
        mp = chosen.marketplace(marketplace.strip())
        if mp is None:
            codes = ", ".join(m.code for m in chosen.marketplaces)
            raise TargetError(f"--marketplace `{marketplace}` is not configured for {chosen.account_id}; use one of: {codes}")
    else:
        mp = chosen.marketplaces[0]
    return Target(account=chosen, marketplace=mp)
