"""The bot's side of an account's standing with Amazon (issue 21 item 4): telling people once that Amazon refused
an account's token, the yearly renewal reminder, and which accounts scheduled work runs for.

`tell_token_refused` is the SP-API factory's `on_token_refused` hook (bot/deps.py): whichever call first meets
Amazon's invalid_grant for the account (a health check, a review sweep, /promo, /sellerbot status) marks it
TOKEN_REFUSED through the registry's conditional write, and only that call tells its channels and the admins.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from slack_sdk import WebClient

from bot.views.accounts import renewal_message, token_refused_message
from handlers.accounts.registry import AccountRegistry
from handlers.accounts.revocation import claim_reminder, mark_token_refused, renewals_due, schedulable
from infra.accounts import AccountConfig, AccountsConfig
from infra.store.base import Store

if TYPE_CHECKING:
    from bot.deps import Deps

log = logging.getLogger("sellerbot.accounts")


def _post(slack: WebClient, targets: list[str], message: dict[str, Any], what: str, account_id: str) -> int:
    posted = 0
    for target in dict.fromkeys(targets):
        try:
            slack.chat_postMessage(channel=target, **message)
            posted += 1
        except Exception as exc:  # one channel the bot is not in must not keep the others from hearing it
            log.warning("%s for %s: could not post to %s: %s", what, account_id, target, type(exc).__name__)
    return posted


def tell_token_refused(deps: Deps, account_id: str) -> bool:
    """Mark the account TOKEN_REFUSED; the call that changed the state tells the account's channels and the
    admins (by DM), with a Reconnect button. True when this call told."""
    if not mark_token_refused(deps.registry, account_id):
        return False
    account = deps.registry.get(account_id)
    if account is None:
        return False
    log.warning("account %s: Amazon refused its refresh token (invalid_grant); marked token_refused", account_id)
    targets = [*sorted(account.channels()), *deps.admins.named()]
    _post(deps.slack, targets, token_refused_message(account), "token refused", account_id)
    return True


def schedulable_accounts(accounts: AccountsConfig, registry: AccountRegistry, *, job: str) -> AccountsConfig:
    """`accounts` less those whose token Amazon refused or an admin disconnected (each skip logged once)."""
    kept, _ = schedulable(accounts, registry.connections(), job=job)
    return kept


def remind_renewals(
    *, registry: AccountRegistry, store: Store, slack: WebClient, admins: list[str], now: datetime | None = None
) -> list[str]:
    """Tell the admins once per account and authorization, within 30 days of its end; the accounts told."""
    now = now or datetime.now(UTC)
    told: list[str] = []
    due: list[tuple[AccountConfig, Any]] = renewals_due(registry.snapshot(), registry.connections(), now)
    for account, age in due:
        if not admins:
            log.warning("renewal of %s is due by %s, but no admin is named to tell", account.account_id, age.renew_by)
            continue
        if not claim_reminder(store, account.account_id, age, now):
            continue
        _post(slack, admins, renewal_message(account, age), "renewal reminder", account.account_id)
        told.append(account.account_id)
    return told
