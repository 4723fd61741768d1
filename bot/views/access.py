"""What a user sees when the access rule (handlers.access) refuses them an account."""

from __future__ import annotations

from collections.abc import Callable

from bot.views import kit
from handlers.access import Access

MAX_NAMED = 6  # a refusal names a few people, not the whole agency


def _names(ids: list[str], render: Callable[[str | None], str]) -> list[str]:
    return [render(i) for i in ids[:MAX_NAMED]]


def unknown_account(account_id: str, yours: list[str]) -> str:
    """An `--account` no account has: name only the caller's accounts (an agency's other clients stay private)."""
    known = ", ".join(f"`{a}`" for a in yours[:12]) or "none that you are on"
    return f"Unknown account `{kit.escape(account_id[:40])}`; your accounts: {known}."


def refusal_text(access: Access) -> str:
    """One line: which account, and who can use it (people, owner groups, channels, admins)."""
    where = f"`{access.account_id}`" + (f" {access.marketplace}" if access.marketplace else "")
    parts: list[str] = []
    people = _names(access.people, kit.mention) + _names(access.groups, kit.group_mention)
    if people:
        parts.append("its people (" + ", ".join(people) + ")")
    if access.channels:
        parts.append("anyone in " + ", ".join(f"<#{c}>" for c in access.channels[:MAX_NAMED] if kit.is_slack_id(c)))
    if access.admins or access.workspace_admins:
        parts.append(_admins_named(access.admins, access.workspace_admins))
    who = "; ".join(parts) or "an admin listed in the accounts file"
    return (
        f":no_entry: You are not on account {where}, so sellerbot will not read or act on it for you. "
        f"Who can: {who}. Ask one of them, or ask an admin to add you to the account's `members`."
    )


def _admins_named(admins: list[str], workspace: bool) -> str:
    named = ", ".join(_names(admins, kit.mention))
    if workspace:
        return "a workspace admin or owner" + (f", or an admin ({named})" if named else "")
    return f"an admin ({named})" if named else "an admin"


def admins_only(action: str, admins: list[str], *, workspace: bool = False) -> str:
    """A non-admin's refusal: what only sellerbot admins may do (`action`: "connect a seller account"), and
    who they are (SELLERBOT_ADMINS, the accounts' `admins`, or the workspace's admins and owners)."""
    if not admins and not workspace:
        who = (
            "nobody yet: set SELLERBOT_ADMINS (Slack user ids, or `workspace`); on AWS, put them in the SSM "
            "parameter /sellerbot/<stage>/admins and run `make deploy` again"
        )
    else:
        who = _admins_named(admins, workspace)
    return f":no_entry: Only sellerbot admins can {action}. Who can: {who}."


def no_accounts(*, caller_is_admin: bool, admins: list[str], workspace: bool = False) -> str:
    """What every command that needs a seller account answers while none is connected (issue 21)."""
    how = "`/sellerbot connect NA|EU|FE` (NA: US, CA, MX · EU: UK, DE, FR, IT, ES · FE: JP)"
    named = ", ".join(_names(admins, kit.mention))
    if workspace:
        who = "the workspace's admins and owners" + (f", {named}" if named else "")
    else:
        who = named or "none set yet (SELLERBOT_ADMINS)"
    if caller_is_admin:
        return (
            ":wave: No seller account is connected yet, so there is nothing to look at. "
            f"You are a sellerbot admin: run {how} and the seller approves sellerbot in Seller Central."
        )
    return (
        ":wave: No seller account is connected yet, so there is nothing to look at. "
        f"An admin runs {how} to connect one. Admins: {who}."
    )
