"""Which account an SP-API notification subscription belongs to (issue 23 item 6).

`ACCOUNT_STATUS_CHANGED` names no seller: the notification consumer routes it by
`notificationMetadata.subscriptionId`. Amazon returns that id from createSubscription (and
getSubscription); `sellerbot health subscribe` records it here with the account (and, for a
single-marketplace account, the marketplace). One item per subscription, created with a
conditional write together with its audit entry:

  SPAPISUB#<subscription id>       ACCOUNT                 {"subscription_id","account_id","marketplace",...}
  SPAPISUBAUDIT#<subscription id>  AUDIT#<iso ts>          handlers.audit.AuditEntry

A subscription belongs to one seller: recording it again for the same account changes nothing,
for another account is refused.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Literal

from pydantic import BaseModel

from handlers import audit
from infra.accounts import AccountsConfig, marketplace_code
from infra.clock import as_utc, iso_sortable
from infra.store.base import ConditionFailed, Item, Put, Store

# Amazon's ids are UUID-like (`subscription-id-d0e9e693-...`); the bound keeps keys and messages tidy.
SUBSCRIPTION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")
RECORDED = "subscription_recorded"


class Subscription(BaseModel):
    subscription_id: str
    account_id: str
    marketplace: str | None = None  # a code (US); None: Amazon's notification says which, else "ALL"
    recorded_at: datetime | None = None
    recorded_by: str | None = None


class SubscriptionRefused(ValueError):
    """The subscription cannot be recorded as asked; the message says what to do."""


def _key(subscription_id: str) -> tuple[str, str]:
    return f"SPAPISUB#{subscription_id}", "ACCOUNT"


def subscription_for(store: Store, subscription_id: str | None) -> Subscription | None:
    """The recorded subscription, or None (no id, or not recorded)."""
    if not subscription_id or not SUBSCRIPTION_ID.match(subscription_id):
        return None
    item = store.get(*_key(subscription_id))
    return Subscription.model_validate(item.data) if item else None


def _checked(
    accounts: AccountsConfig, subscription_id: str, account_id: str, marketplace: str | None
) -> tuple[str, str | None]:
    if not SUBSCRIPTION_ID.match(subscription_id):
        raise SubscriptionRefused(
            "--subscription-id must be the subscriptionId Amazon returned from createSubscription "
            "(letters, digits, '.', '_', ':', '-'; at most 128)"
        )
    account = accounts.get(account_id)
    if account is None:
        known = ", ".join(a.account_id for a in accounts.accounts)
        raise SubscriptionRefused(f"unknown account {account_id!r}; use one of the accounts config: {known}")
    if marketplace is None:
        return account.account_id, None
    code = marketplace_code(marketplace)
    if code is None or account.marketplace(code) is None:
        codes = ", ".join(m.code for m in account.marketplaces)
        raise SubscriptionRefused(
            f"account {account.account_id} has no marketplace {marketplace!r}; use one of {codes} or leave it out"
        )
    return account.account_id, code


def record_subscription(
    store: Store,
    accounts: AccountsConfig,
    subscription_id: str,
    account_id: str,
    marketplace: str | None = None,
    *,
    by: str,
    now: datetime,
) -> Literal["recorded", "already_recorded"]:
    """Record that `subscription_id` delivers `account_id`'s notifications (conditional write + audit entry)."""
    account_id, code = _checked(accounts, subscription_id, account_id, marketplace)
    now = as_utc(now)
    sub = Subscription(
        subscription_id=subscription_id, account_id=account_id, marketplace=code, recorded_at=now, recorded_by=by
    )
    pk, sk = _key(subscription_id)
    entry = audit.AuditEntry(at=now, by=by, action=RECORDED, detail={"account": account_id, "marketplace": code})
    try:
        store.transact(
            [
                Put(item=Item(pk=pk, sk=sk, data=sub.model_dump(mode="json"))),
                Put(
                    item=Item(
                        pk=f"SPAPISUBAUDIT#{subscription_id}",
                        sk=f"AUDIT#{iso_sortable(now)}",
                        data=entry.model_dump(mode="json"),
                    )
                ),
            ]
        )
    except ConditionFailed:
        existing = subscription_for(store, subscription_id)
        if existing is None:  # lost a race with a delete, or the audit key collided: let the caller retry
            raise
        if existing.account_id == account_id and existing.marketplace == code:
            return "already_recorded"
        where = f" {existing.marketplace}" if existing.marketplace else ""
        raise SubscriptionRefused(
            f"subscription {subscription_id} is already recorded for account {existing.account_id}{where}; "
            "a subscription belongs to one seller: check the id with getSubscription for this seller"
        ) from None
    return "recorded"
