"""Seller accounts in the store (issue 21): the registry every reader and every change goes through."""

from handlers.accounts.models import (
    ConnectedSeller,
    Connection,
    ConnectionState,
    ImportResult,
    MarketplaceChanges,
)
from handlers.accounts.registry import (
    AccountRegistry,
    SellerMismatch,
    StoredAccount,
    UnknownAccount,
    UnknownMarketplace,
)

__all__ = [
    "AccountRegistry",
    "ConnectedSeller",
    "Connection",
    "ConnectionState",
    "ImportResult",
    "MarketplaceChanges",
    "SellerMismatch",
    "StoredAccount",
    "UnknownAccount",
    "UnknownMarketplace",
]
