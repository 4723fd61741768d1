"""Seller accounts the bot serves, and where each one's Slack traffic goes.

An agency may run hundreds of seller accounts; each (account, marketplace)
pair has its own alert channel, owner group and optional metric thresholds.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field

from infra.marketplaces import MARKETPLACES

# Code → Amazon marketplace id, from the one marketplace table (infra/marketplaces.py).
MARKETPLACE_IDS: dict[str, str] = {code: m.marketplace_id for code, m in MARKETPLACES.items()}
MARKETPLACE_CODES: dict[str, str] = {v: k for k, v in MARKETPLACE_IDS.items()}


def is_marketplace_id(value: object) -> bool:
    """True for an Amazon marketplace id of the table above (ATVPDKIKX0DER), nothing else (not a code)."""
    return isinstance(value, str) and value in MARKETPLACE_CODES


def marketplace_code(value: str) -> str | None:
    """The code (US) for a code or an Amazon id of the table, any case for codes; None when it is neither."""
    if value in MARKETPLACE_CODES:
        return MARKETPLACE_CODES[value]
    return value.upper() if value.upper() in MARKETPLACE_IDS else None


DEMO_ACCOUNTS_FILE = Path(__file__).parent / "data" / "accounts.demo.json"


class MarketplaceConfig(BaseModel):
    code: str = Field(pattern=r"^[A-Z]{2}$")
    alert_channel: str
    owner_group: str = ""
    # People who answer this marketplace's red flags; they may read and act on the account (issue 23).
    responders: list[str] = Field(default_factory=list)
    # Overrides for Amazon's published fallbacks, keyed by metric name.
    thresholds: dict[str, float] = Field(default_factory=dict)

    @property
    def marketplace_id(self) -> str:
        return MARKETPLACE_IDS[self.code]


class AccountConfig(BaseModel):
    account_id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,39}$")
    name: str
    seller_id: str
    region: str = "na"
    brand_registry: bool = False
    # The brand name the account's products carry in Amazon's catalog (`summaries[].brand`); when set,
    # promo ASINs must belong to it. Empty: no brand check (a reseller, or not in Brand Registry).
    brand: str = ""
    approvals_channel: str = ""
    approvers: list[str] = Field(default_factory=list)
    # Slack users who work on this account without approving promotions (the agency's account team).
    members: list[str] = Field(default_factory=list)
    marketplaces: list[MarketplaceConfig]

    def marketplace(self, code: str) -> MarketplaceConfig | None:
        return next((m for m in self.marketplaces if m.code == code.upper()), None)

    def channels(self) -> set[str]:
        """Every Slack channel configured for this account: its approvals channel and alert channels."""
        return {c for c in (self.approvals_channel, *(m.alert_channel for m in self.marketplaces)) if c}


class AccountsConfig(BaseModel):
    accounts: list[AccountConfig]
    # Slack users who may read and act on every account (the agency's leads).
    admins: list[str] = Field(default_factory=list)

    def get(self, account_id: str) -> AccountConfig | None:
        return next((a for a in self.accounts if a.account_id == account_id), None)

    def default(self) -> AccountConfig:
        return self.accounts[0]

    def pairs(self) -> list[tuple[AccountConfig, MarketplaceConfig]]:
        return [(a, m) for a in self.accounts for m in a.marketplaces]


@lru_cache(maxsize=4)
def _load(path: str) -> AccountsConfig:
    return AccountsConfig.model_validate(json.loads(Path(path).read_text(encoding="utf-8")))


def in_lambda() -> bool:
    return bool(os.environ.get("AWS_LAMBDA_FUNCTION_NAME"))


def accounts_file(path: str | os.PathLike[str] | None = None) -> Path | None:
    """The accounts file to import: `path`, $SELLERBOT_ACCOUNTS_FILE, else the embedded demo set, except on
    Lambda: a deployed stack without an accounts file starts with no account, never the demo's (issue 21)."""
    chosen = path or os.environ.get("SELLERBOT_ACCOUNTS_FILE")
    if chosen:
        return Path(chosen)
    return None if in_lambda() else DEMO_ACCOUNTS_FILE


def parse_accounts(text: str) -> AccountsConfig:
    """The accounts file format; ValueError (pydantic's ValidationError, or JSON's) when it is not."""
    return AccountsConfig.model_validate_json(text)


def load_accounts(path: str | os.PathLike[str] | None = None) -> AccountsConfig:
    """Accounts from `path`, $SELLERBOT_ACCOUNTS_FILE, or the embedded demo set (none on Lambda).

    The bot itself reads accounts from the store (handlers.accounts.AccountRegistry), into which this
    file is imported; this stays for tools and fakes that run beside it."""
    chosen = accounts_file(path)
    return _load(str(chosen)) if chosen else AccountsConfig(accounts=[])
