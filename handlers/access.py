"""Who may read or act on a seller account (issue 23): one rule for every command, button and form.

An agency runs many clients in one workspace, so naming an account is not enough. A user may
read or act on account × marketplace when
- the request comes from one of the account's configured channels (its approvals channel or
  an alert channel: whoever is in the client's channel works on the client), or
- the user is listed on it: an approver or member of the account, a responder of the
  marketplace, or in the marketplace's owner group, or
- the user is an admin (top-level `admins` in the accounts file, SELLERBOT_ADMINS, or a workspace
  admin when SELLERBOT_ADMINS=workspace: `is_admin`, which the Slack layer provides).

Owner groups are Slack user groups; their members come from `group_members`, which the Slack
layer provides (this module speaks no Slack).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict

from infra.accounts import AccountConfig, AccountsConfig, MarketplaceConfig

GroupMembers = Callable[[str], frozenset[str]]
"""A user group id → the user ids in it (empty when the group cannot be read)."""

Via = Literal["channel", "listed", "owner_group", "admin"]


class Caller(BaseModel):
    """Who asks, and from where (the channel a command was run or a button clicked in)."""

    model_config = ConfigDict(frozen=True)
    user: str
    channel: str = ""


class Access(BaseModel):
    """The rule's answer for one caller × account (× marketplace), with who could, for a refusal."""

    allowed: bool
    via: Via | None = None
    account_id: str
    marketplace: str | None = None
    people: list[str] = []
    groups: list[str] = []
    channels: list[str] = []
    admins: list[str] = []
    workspace_admins: bool = False  # the workspace's admins and owners are sellerbot admins too


def _marketplaces(account: AccountConfig, code: str | None) -> list[MarketplaceConfig]:
    if code is None:
        return list(account.marketplaces)
    found = account.marketplace(code)
    return [found] if found else []


def listed_people(account: AccountConfig, code: str | None = None) -> list[str]:
    """Approvers, members and the named marketplace's responders (every marketplace's when None)."""
    people = [*account.approvers, *account.members]
    for m in _marketplaces(account, code):
        people += m.responders
    return list(dict.fromkeys(p for p in people if p))


def owner_groups(account: AccountConfig, code: str | None = None) -> list[str]:
    return list(dict.fromkeys(m.owner_group for m in _marketplaces(account, code) if m.owner_group))


class AccessRule:
    """`accounts` is the configuration or a function returning the current one (accounts live in the
    store and change without a restart); `is_admin` defaults to the configuration's `admins`."""

    def __init__(
        self,
        accounts: AccountsConfig | Callable[[], AccountsConfig],
        group_members: GroupMembers,
        is_admin: Callable[[str], bool] | None = None,
        workspace_admins: bool = False,
    ) -> None:
        self._accounts = accounts if callable(accounts) else (lambda: accounts)
        self.group_members = group_members
        self.is_admin = is_admin or (lambda user: user in self.accounts.admins)
        self.workspace_admins = workspace_admins

    @property
    def accounts(self) -> AccountsConfig:
        return self._accounts()

    def decide(self, caller: Caller, account: AccountConfig, marketplace: str | None = None) -> Access:
        people, groups = listed_people(account, marketplace), owner_groups(account, marketplace)
        who = Access(
            allowed=False,
            account_id=account.account_id,
            marketplace=marketplace,
            people=people,
            groups=groups,
            channels=sorted(account.channels()),
            admins=list(self.accounts.admins),
            workspace_admins=self.workspace_admins,
        )
        via = self._via(caller, account, people, groups)
        return who.model_copy(update={"allowed": via is not None, "via": via})

    def _via(self, caller: Caller, account: AccountConfig, people: list[str], groups: list[str]) -> Via | None:
        # Cheapest first: the group lookup and a workspace-admin check are the steps that may call Slack.
        if caller.channel and caller.channel in account.channels():
            return "channel"
        if caller.user in people:
            return "listed"
        if caller.user and self.is_admin(caller.user):
            return "admin"
        if any(caller.user in self.group_members(g) for g in groups):
            return "owner_group"
        return None

    def allows(self, caller: Caller, account: AccountConfig, marketplace: str | None = None) -> bool:
        return self.decide(caller, account, marketplace).allowed

    def visible_accounts(self, caller: Caller, among: Iterable[AccountConfig] | None = None) -> list[AccountConfig]:
        pool = self.accounts.accounts if among is None else among
        return [a for a in pool if self.allows(caller, a)]

    def visible_pairs(
        self, caller: Caller, pairs: Iterable[tuple[AccountConfig, MarketplaceConfig]] | None = None
    ) -> list[tuple[AccountConfig, MarketplaceConfig]]:
        pool = self.accounts.pairs() if pairs is None else pairs
        return [(a, m) for a, m in pool if self.allows(caller, a, m.code)]

    def default_account(self, caller: Caller) -> AccountConfig | None:
        """The account a command without `--account` means: the one whose channel this is, else the
        first the caller may use; None when the caller may use none."""
        here = [a for a in self.accounts.accounts if caller.channel and caller.channel in a.channels()]
        if len(here) == 1:
            return here[0]
        visible = self.visible_accounts(caller, here or None)
        return visible[0] if visible else None
