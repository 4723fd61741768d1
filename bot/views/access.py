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
    if access.admins:
        parts.append("an admin (" + ", ".join(_names(access.admins, kit.mention)) + ")")
    who = "; ".join(parts) or "an admin listed in the accounts file"
    return (
        f":no_entry: You are not on account {where}, so sellerbot will not read or act on it for you. "
        f"Who can: {who}. Ask one of them, or ask an admin to add you to the account's `members`."
    )
