"""The account access rule (handlers.access) bound to Slack: who calls from where, owner groups
read through `usergroups.users.list`, and refusals as the usage errors every listener already shows.

Listeners call `require` in the ack (the refusal is the ack's answer) and again in the lazy
listener (Bolt runs lazy listeners even when the ack refused), so both paths hold the rule.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient

from bot.commands import UsageError
from bot.views.access import admins_only, refusal_text, unknown_account
from handlers.access import Access, AccessRule, Caller
from infra.accounts import AccountConfig, AccountsConfig, MarketplaceConfig

log = logging.getLogger("sellerbot.access")

GROUP_TTL_SECONDS = 300.0  # group changes reach the bot within five minutes; acks stay fast


class AccessRefused(UsageError):
    """The caller may not use the account; shown like a usage error, without usage."""

    def __init__(self, access: Access) -> None:
        super().__init__(refusal_text(access))
        self.access = access


def caller_of(body: dict[str, Any]) -> Caller:
    """The user and channel of a slash command, block action, shortcut or view submission."""
    user = body.get("user_id") or (body.get("user") or {}).get("id") or ""
    channel = (
        body.get("channel_id")
        or (body.get("channel") or {}).get("id")
        or (body.get("container") or {}).get("channel_id")
        or ""
    )
    return Caller(user=str(user), channel=str(channel))


class SlackGroups:
    """User group members through Slack, cached per container; a group Slack will not list is empty."""

    def __init__(self, slack: WebClient, clock: Callable[[], float]) -> None:
        self.slack, self.clock = slack, clock
        self._cache: dict[str, tuple[float, frozenset[str]]] = {}
        self._lock = threading.Lock()

    def __call__(self, group_id: str) -> frozenset[str]:
        now = self.clock()
        with self._lock:
            hit = self._cache.get(group_id)
        if hit and now - hit[0] < GROUP_TTL_SECONDS:
            return hit[1]
        try:
            users = self.slack.usergroups_users_list(usergroup=group_id).get("users") or []
            members = frozenset(str(u) for u in users)
        except Exception as exc:  # a missing scope or deleted group must not open the account
            log.warning("cannot read user group %s: %s", group_id, type(exc).__name__)
            members = frozenset()
        with self._lock:
            self._cache[group_id] = (now, members)
        return members


class Admins:
    """Who may connect, configure and disconnect seller accounts (issue 21): the user ids of SELLERBOT_ADMINS,
    the accounts' `admins` (the imported file's), and with SELLERBOT_ADMINS=workspace the workspace's admins
    and owners (`users.info` is_admin / is_owner, cached per container like owner groups)."""

    def __init__(
        self,
        accounts: Callable[[], AccountsConfig],
        slack: WebClient,
        clock: Callable[[], float],
        *,
        ids: list[str] | tuple[str, ...] = (),
        workspace: bool = False,
    ) -> None:
        self._accounts, self.slack, self.clock = accounts, slack, clock
        self.ids, self.workspace = list(ids), workspace
        self._cache: dict[str, tuple[float, bool]] = {}
        self._lock = threading.Lock()

    def named(self) -> list[str]:
        """The admins by user id (a refusal mentions them); workspace admins are not listed."""
        return list(dict.fromkeys([*self.ids, *self._accounts().admins]))

    def is_admin(self, user: str) -> bool:
        if not user:
            return False
        if user in self.ids or user in self._accounts().admins:
            return True
        return self.workspace and self._workspace_admin(user)

    def _workspace_admin(self, user: str) -> bool:
        now = self.clock()
        with self._lock:
            hit = self._cache.get(user)
        if hit and 0 <= now - hit[0] < GROUP_TTL_SECONDS:
            return hit[1]
        try:
            profile = self.slack.users_info(user=user).get("user") or {}
            admin = bool(profile.get("is_admin") or profile.get("is_owner")) and not profile.get("deleted")
        except Exception as exc:  # a missing users:read scope must not make anyone an admin
            log.warning("cannot read user %s: %s", user, type(exc).__name__)
            admin = False
        with self._lock:
            self._cache[user] = (now, admin)
        return admin

    def refusal(self, action: str) -> str:
        """The one line a non-admin gets: what only admins may do, and who they are."""
        return admins_only(action, self.named(), workspace=self.workspace)


class AccountGate:
    """`AccessRule` for Slack payloads: check, filter, or pick the default account."""

    def __init__(
        self,
        accounts: AccountsConfig | Callable[[], AccountsConfig],
        slack: WebClient,
        clock: Callable[[], float],
        admins: Admins | None = None,
    ) -> None:
        self.rule = AccessRule(
            accounts,
            SlackGroups(slack, clock),
            is_admin=admins.is_admin if admins else None,
            workspace_admins=admins.workspace if admins else False,
        )

    @property
    def accounts(self) -> AccountsConfig:
        return self.rule.accounts

    def refusal(
        self, body: dict[str, Any], account: AccountConfig, marketplace: str | None = None
    ) -> AccessRefused | None:
        """Why the caller of `body` may not use the account (× marketplace), or None when they may."""
        caller = caller_of(body)
        access = self.rule.decide(caller, account, marketplace)
        if access.allowed:
            return None
        log.warning("refused: %s on %s %s from %s", caller.user, account.account_id, marketplace or "", caller.channel)
        return AccessRefused(access)

    def require(self, body: dict[str, Any], account: AccountConfig, marketplace: str | None = None) -> None:
        """Raise AccessRefused unless the caller of `body` may use the account (× marketplace)."""
        refused = self.refusal(body, account, marketplace)
        if refused is not None:
            raise refused

    def accounts_for(self, body: dict[str, Any]) -> list[AccountConfig]:
        return self.rule.visible_accounts(caller_of(body))

    def pairs_for(
        self, body: dict[str, Any], pairs: list[tuple[AccountConfig, MarketplaceConfig]] | None = None
    ) -> list[tuple[AccountConfig, MarketplaceConfig]]:
        return self.rule.visible_pairs(caller_of(body), pairs)

    def lookup(self, body: dict[str, Any], account_id: str, usage: str | None = None) -> AccountConfig:
        """The account `--account` names, or UsageError naming only the caller's accounts."""
        found = self.accounts.get(account_id.strip().lower())
        if found is None:
            raise UsageError(unknown_account(account_id, [a.account_id for a in self.accounts_for(body)]), usage)
        return found

    def scoped(self, body: dict[str, Any]) -> AccountsConfig:
        """The accounts a command without `--account` chooses from: the caller's, the default first (only the
        first configured account when the caller has none, which `require` then refuses, naming who can)."""
        first = self.default_account(body)
        rest = [a for a in self.accounts_for(body) if a.account_id != first.account_id]
        return self.accounts.model_copy(update={"accounts": [first, *rest]})

    def default_account(self, body: dict[str, Any]) -> AccountConfig:
        """The channel's account, else the caller's first; the first configured one when the caller has
        none (the caller is then refused by `require`, with who can)."""
        return self.rule.default_account(caller_of(body)) or self.accounts.default()
