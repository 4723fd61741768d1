"""What `/sellerbot accounts`, its Configure modal, `/sellerbot disconnect`, a refused token and the yearly renewal
say in Slack (issue 21 items 3, 4). Every value from the store, a user or Amazon goes through kit.escape, and
user, channel and group ids become mentions only when they are Slack ids (kit.mention)."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from bot.views import kit
from handlers.accounts.revocation import AuthorizationAge, PairState, PairStatus
from handlers.health.metrics import RATE_METRICS
from infra.accounts import AccountConfig, MarketplaceConfig

ACCOUNTS_USAGE = "/sellerbot accounts"
DISCONNECT_USAGE = "/sellerbot disconnect ACCOUNT"
CONFIGURE_ACTION = "accounts_configure"
CONFIGURE_VIEW = "accounts_configure_submit"
DISCONNECT_ACTION = "accounts_disconnect_confirm"
DISCONNECT_CANCEL_ACTION = "accounts_disconnect_cancel"
RECONNECT_ACTION = "accounts_reconnect"
MORE = "`sellerbot accounts list` prints every one"

# Modal block ids (each input's action id is "value").
ALERT_CHANNEL, RESPONDERS, OWNER_GROUP, APPROVERS, BRAND_REGISTRY = (
    "alert_channel",
    "responders",
    "owner_group",
    "approvers",
    "brand_registry",
)
THRESHOLD_PREFIX = "threshold:"
MAX_USERS = 50  # people per picker: enough for an agency team, bounded for the store

STATE_TEXT = {
    PairState.CONNECTED: ":large_green_circle: connected",
    PairState.CHECK_FAILING: ":large_orange_circle: connected, last health check failed",
    PairState.TOKEN_REFUSED: ":red_circle: disconnected: Amazon refused the token, reconnect needed",
    PairState.DISCONNECTED: ":black_circle: disconnected by an admin",
    PairState.NEVER_CHECKED: ":white_circle: never checked",
}


def _day(d: date) -> str:
    return d.isoformat()


def age_text(age: AuthorizationAge | None) -> str:
    """ "authorized 200 days ago; renew by 2027-06-01", with a warning within 30 days of the end."""
    if age is None:
        return "authorization date unknown (imported): reconnect to start the 365-day clock"
    when = "today" if age.days == 0 else f"{age.days} day{'s' if age.days != 1 else ''} ago"
    text = f"authorized {when}; renew by {_day(age.renew_by)}"
    if age.days_left < 0:
        return f":warning: {text}: the authorization lapsed, reconnect it"
    if age.due:
        return f":warning: {text} ({age.days_left} days left)"
    return text


def _people(ids: list[str]) -> str:
    return ", ".join(kit.mention(u) for u in ids) if ids else "nobody"


NO_CHANNEL = "no alert channel yet: Configure"


def _pair_line(market: MarketplaceConfig, status: PairStatus) -> str:
    # A pair connected from Slack has no channel until Configure: its checks run, nothing is posted.
    channel = f"alerts <#{market.alert_channel}>" if kit.is_slack_id(market.alert_channel) else NO_CHANNEL
    group = kit.group_mention(market.owner_group) if market.owner_group else "no owner group"
    return (
        f"*{kit.escape(market.code)}*: {STATE_TEXT[status.state]} · {channel} · {group} · "
        f"responders {_people(market.responders)}"
    )


def accounts_message(
    rows: list[tuple[AccountConfig, list[tuple[MarketplaceConfig, PairStatus]]]], *, now: datetime
) -> dict[str, Any]:
    """The list: each account, its authorization's age, and one row per marketplace with a Configure button."""
    if not rows:
        return kit.message("No seller account yet: run `/sellerbot connect NA|EU|FE` to connect one.")
    blocks: list[kit.Block] = [kit.header(f"Seller accounts ({len(rows)})")]
    lines = []
    for account, pairs in rows:
        age = pairs[0][1].age if pairs else None
        brand = " · Brand Registry" if account.brand_registry else ""
        head = (
            f"*{kit.escape(account.name)}* (`{kit.escape(account.account_id)}`) · {kit.escape(account.region.upper())}"
            f"{brand} · approvers {_people(account.approvers)}\n{age_text(age)}"
        )
        lines.append(head)
        blocks.append(kit.section(head))
        if not pairs:
            blocks.append(kit.context("No marketplace: Amazon listed none this bot knows for the seller."))
        for market, status in pairs:
            line = _pair_line(market, status)
            lines.append(line)
            block = kit.section(line)
            block["accessory"] = kit.button("Configure", CONFIGURE_ACTION, f"{account.account_id}|{market.code}")
            blocks.append(block)
    blocks.append(kit.context(f"As of {now:%Y-%m-%d %H:%M} UTC. Admins only. {MORE}."))
    return kit.message("Seller accounts\n" + "\n".join(lines), blocks, more=MORE)


def _input(block_id: str, label: str, element: dict[str, Any], *, optional: bool = True, hint: str = "") -> kit.Block:
    block: kit.Block = {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": {"type": "plain_text", "text": kit.clip(label, 2000)},
        "element": {**element, "action_id": "value"},
    }
    if hint:
        block["hint"] = {"type": "plain_text", "text": kit.clip(hint, 2000)}
    return block


def _percent(value: float) -> str:
    return f"{value * 100:g}"


def _users_select(users: list[str]) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "multi_users_select", "max_selected_items": MAX_USERS}
    initial = [u for u in users if kit.is_slack_id(u)][:MAX_USERS]
    if initial:
        element["initial_users"] = initial
    return element


def configure_modal(account: AccountConfig, market: MarketplaceConfig) -> dict[str, Any]:
    """The modal for one account x marketplace; private_metadata names the pair (checked again on submit)."""
    channel: dict[str, Any] = {"type": "conversations_select", "filter": {"include": ["public", "private"]}}
    if kit.is_slack_id(market.alert_channel):
        channel["initial_conversation"] = market.alert_channel
    responders, approvers = _users_select(market.responders), _users_select(account.approvers)
    group: dict[str, Any] = {"type": "plain_text_input", "max_length": 32}
    if market.owner_group:
        group["initial_value"] = market.owner_group[:32]
    option = {"text": {"type": "plain_text", "text": "The account is in Amazon Brand Registry"}, "value": "yes"}
    brand: dict[str, Any] = {"type": "checkboxes", "options": [option]}
    if account.brand_registry:
        brand["initial_options"] = [option]
    blocks: list[kit.Block] = [
        kit.section(f"*{kit.escape(account.name)}* (`{kit.escape(account.account_id)}`) in *{market.code}*"),
        _input(ALERT_CHANNEL, "Alert channel", channel, optional=False, hint="Health alerts and digests go here."),
        _input(RESPONDERS, "Responders", responders, hint="People who answer this marketplace's red flags."),
        _input(
            OWNER_GROUP,
            "Owner group (user group id)",
            group,
            hint="The Slack user group id, e.g. S0123ABCD; its members may use the account and are mentioned.",
        ),
        _input(APPROVERS, "Approvers", approvers, hint="Approve promotions; applies to every marketplace."),
        _input(BRAND_REGISTRY, "Brand Registry", brand, hint="Applies to every marketplace of the account."),
    ]
    for name, spec in RATE_METRICS.items():
        number: dict[str, Any] = {"type": "number_input", "is_decimal_allowed": True, "min_value": "0"}
        number["max_value"] = "100"
        if name in market.thresholds:
            number["initial_value"] = _percent(market.thresholds[name])
        blocks.append(
            _input(
                THRESHOLD_PREFIX + name,
                f"{spec.label} threshold (%)",
                number,
                hint=f"Empty: Amazon's target ({_percent(spec.target)} %).",
            )
        )
    view = {
        "type": "modal",
        "callback_id": CONFIGURE_VIEW,
        "title": {"type": "plain_text", "text": "Configure account"},
        "submit": {"type": "plain_text", "text": "Save"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "private_metadata": json.dumps({"account": account.account_id, "marketplace": market.code}),
        "blocks": blocks,
    }
    return kit.fit_view(view)


def saved_message(account: AccountConfig, code: str, by: str) -> str:
    return f":white_check_mark: {kit.mention(by)} saved the settings of `{kit.escape(account.account_id)}` {code}."


def disconnect_confirm(account: AccountConfig) -> dict[str, Any]:
    name = f"*{kit.escape(account.name)}* (`{kit.escape(account.account_id)}`)"
    text = (
        f"Disconnect {name}? sellerbot deletes its Amazon refresh token and stops all scheduled work for it "
        "(health checks, review requests). Its settings stay; `/sellerbot connect` reconnects it."
    )
    blocks = [
        kit.section(f":warning: {text}"),
        kit.actions(
            kit.button("Disconnect", DISCONNECT_ACTION, account.account_id, style="danger"),
            kit.button("Cancel", DISCONNECT_CANCEL_ACTION, account.account_id),
        ),
    ]
    return kit.message(text, blocks)


def disconnected_message(account: AccountConfig, by: str, *, changed: bool) -> dict[str, Any]:
    name = f"*{kit.escape(account.name)}* (`{kit.escape(account.account_id)}`)"
    if not changed:
        return kit.message(f"{name} was already disconnected; its token is deleted.")
    return kit.message(
        f":black_circle: {kit.mention(by)} disconnected {name}: its Amazon token is deleted and scheduled work skips "
        f"it. To connect it again: `/sellerbot connect {kit.escape(account.region.upper())} "
        f"{kit.escape(account.account_id)}`."
    )


def reconnect_button(account: AccountConfig) -> dict[str, Any]:
    return kit.button("Reconnect", RECONNECT_ACTION, account.account_id, style="primary")


def token_refused_message(account: AccountConfig) -> dict[str, Any]:
    """Told once when Amazon answers invalid_grant for the account: its channels and the admins."""
    name = f"*{kit.escape(account.name)}* (`{kit.escape(account.account_id)}`)"
    text = (
        f":red_circle: Amazon no longer accepts sellerbot's authorization for {name}: the seller removed the app in "
        "Seller Central, or the yearly authorization lapsed. Health checks and review requests for it are paused. "
        "A sellerbot admin reconnects it (the seller confirms on Amazon's page)."
    )
    return kit.message(text, [kit.section(text), kit.actions(reconnect_button(account))], ephemeral=False)


def renewal_message(account: AccountConfig, age: AuthorizationAge) -> dict[str, Any]:
    """Told once to the admins, 30 days before the 365-day authorization lapses."""
    name = f"*{kit.escape(account.name)}* (`{kit.escape(account.account_id)}`)"
    lapsed = age.days_left < 0
    when = f"lapsed on {_day(age.renew_by)}" if lapsed else f"ends on {_day(age.renew_by)} ({age.days_left} days)"
    text = (
        f":hourglass_flowing_sand: Amazon's authorization of {name} {when}: authorized {age.days} days ago, and "
        "Amazon asks sellers to renew every 365 days. Reconnect it before then (the seller confirms on Amazon's "
        "page), or the bot stops reaching Amazon for it."
    )
    return kit.message(text, [kit.section(text), kit.actions(reconnect_button(account))], ephemeral=False)
