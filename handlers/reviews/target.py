"""Which seller account and marketplace a command acts on.

Default (documented in help): the first configured account and its first marketplace.
`--marketplace M` alone picks the first account that sells in M.
"""

from __future__ import annotations

from dataclasses import dataclass

from handlers.reviews.errors import TargetError
from infra.accounts import MARKETPLACE_CODES, AccountConfig, AccountsConfig, MarketplaceConfig


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

    def for_marketplace_id(self, marketplace_id: str) -> Target:
        """This account in the marketplace an order says it was placed in (MarketplaceId).

        Amazon found the order with this account's credentials, so it is the account's order
        wherever it was placed; a marketplace the account has no alert settings for is used
        for this request only. TargetError for a marketplace sellerbot does not know.
        """
        if marketplace_id == self.marketplace_id:
            return self
        code = MARKETPLACE_CODES.get(marketplace_id)
        if code is None:
            raise TargetError(
                f"the order was placed in marketplace {marketplace_id}, which sellerbot does not "
                f"support yet; request the review in Seller Central"
            )
        configured = self.account.marketplace(code)
        if configured is not None:
            return Target(account=self.account, marketplace=configured)
        extra = MarketplaceConfig(code=code, alert_channel="")
        account = self.account.model_copy(update={"marketplaces": [*self.account.marketplaces, extra]})
        return Target(account=account, marketplace=extra)


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
            raise TargetError(
                f"--marketplace `{marketplace}` is not configured for {chosen.account_id}; use one of: {codes}"
            )
    else:
        mp = chosen.marketplaces[0]
    return Target(account=chosen, marketplace=mp)
