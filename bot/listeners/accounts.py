"""`/sellerbot accounts` (the list and a Configure modal per account x marketplace), `/sellerbot disconnect
ACCOUNT` (with a confirm step), and the Reconnect button of a refused token or a renewal reminder: admins only
(issue 21 items 3, 4). Every button and the modal's submission check again that the presser is an admin; the
modal's private_metadata only names a pair, which must exist in the registry when the modal is submitted.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.access import caller_of
from bot.commands import UsageError
from bot.deps import Deps
from bot.listeners.accounts_routes import is_accounts, is_disconnect
from bot.listeners.common import user_facing
from bot.listeners.routing import only_if
from bot.views import kit
from bot.views.accounts import (
    ALERT_CHANNEL,
    APPROVERS,
    BRAND_REGISTRY,
    CONFIGURE_ACTION,
    CONFIGURE_VIEW,
    DISCONNECT_ACTION,
    DISCONNECT_CANCEL_ACTION,
    DISCONNECT_USAGE,
    MAX_USERS,
    OWNER_GROUP,
    RECONNECT_ACTION,
    RESPONDERS,
    THRESHOLD_PREFIX,
    accounts_message,
    configure_modal,
    disconnect_confirm,
    disconnected_message,
    saved_message,
)
from bot.views.connect import consent_link
from handlers.accounts import MarketplaceChanges, UnknownAccount, UnknownMarketplace
from handlers.accounts.revocation import disconnect, pair_status
from handlers.health.check_state import CheckStateBook
from handlers.health.metrics import RATE_METRICS
from infra.accounts import AccountConfig, MarketplaceConfig

log = logging.getLogger("sellerbot.accounts")

_GROUP_ID = re.compile(r"S[A-Z0-9]{2,31}")
_ACCOUNT_ID = re.compile(r"[a-z0-9][a-z0-9-]{1,39}")


# ---- reading the list --------------------------------------------------------------------------------------------


def list_rows(deps: Deps, now: datetime) -> list[tuple[AccountConfig, list[tuple[MarketplaceConfig, Any]]]]:
    """Each account with each marketplace's derived state (the registry's connection, the pair's health checks)."""
    connections = deps.registry.connections()
    checks = CheckStateBook(deps.store)
    rows = []
    for account in deps.registry.snapshot().accounts:
        connection = connections.get(account.account_id)
        pairs = [
            (m, pair_status(account, m.code, connection, checks.get(account.account_id, m.code), now))
            for m in account.marketplaces
        ]
        rows.append((account, pairs))
    return rows


# ---- the modal ---------------------------------------------------------------------------------------------------


def _pair_from(deps: Deps, raw: object) -> tuple[AccountConfig, MarketplaceConfig] | None:
    """The account x marketplace a button value ("acct|US") or the modal's metadata names, when both exist now."""
    if isinstance(raw, str):
        account_id, _, code = raw.partition("|")
    elif isinstance(raw, dict):
        account_id, code = str(raw.get("account", "")), str(raw.get("marketplace", ""))
    else:
        return None
    if not _ACCOUNT_ID.fullmatch(account_id) or not re.fullmatch(r"[A-Z]{2}", code):
        return None
    account = deps.registry.get(account_id)
    market = account.marketplace(code) if account else None
    return (account, market) if account and market else None


def _metadata(view: dict) -> object:
    try:
        meta = json.loads(str(view.get("private_metadata") or "{}")[:1000])
    except ValueError:
        return None
    return meta if isinstance(meta, dict) and set(meta) == {"account", "marketplace"} else None


def _value(values: dict, block: str) -> dict[str, Any]:
    found = (values.get(block) or {}).get("value") or {}
    return found if isinstance(found, dict) else {}


def _users(values: dict, block: str, errors: dict[str, str]) -> list[str]:
    users = [str(u) for u in _value(values, block).get("selected_users") or []]
    if len(users) > MAX_USERS or not all(kit.is_slack_id(u) for u in users):
        errors[block] = f"Pick at most {MAX_USERS} people."
    return users[:MAX_USERS]


def _group(raw: str, errors: dict[str, str]) -> str:
    """A user group id by its format (S + letters and digits). The fake Slack has no usergroups.list to look it
    up in; an id Slack does not know gives no access (bot/access.py reads its members as nobody)."""
    group = raw.strip().upper()
    if group and not _GROUP_ID.fullmatch(group):
        errors[OWNER_GROUP] = "A user group id starts with S (e.g. S0123ABCD): in Slack, open the group, copy its ID."
    return group


def parse_submission(view: dict) -> tuple[MarketplaceChanges, dict[str, str]]:
    """The modal's values as one change, and the errors per block (each says what to do)."""
    values = (view.get("state") or {}).get("values") or {}
    errors: dict[str, str] = {}
    channel = str(_value(values, ALERT_CHANNEL).get("selected_conversation") or "")
    if not kit.is_slack_id(channel):
        errors[ALERT_CHANNEL] = "Pick the channel where this marketplace's alerts go."
    responders = _users(values, RESPONDERS, errors)
    approvers = _users(values, APPROVERS, errors)
    group = _group(str(_value(values, OWNER_GROUP).get("value") or "")[:64], errors)
    selected = _value(values, BRAND_REGISTRY).get("selected_options") or []
    brand_registry = any(isinstance(o, dict) and o.get("value") == "yes" for o in selected)
    thresholds: dict[str, float] = {}
    for name in RATE_METRICS:
        raw = str(_value(values, THRESHOLD_PREFIX + name).get("value") or "").strip()[:32]
        if not raw:
            continue
        try:
            percent = float(raw)
        except ValueError:
            percent = -1.0
        if not 0 <= percent <= 100:
            errors[THRESHOLD_PREFIX + name] = "A percentage from 0 to 100, or empty for Amazon's target."
            continue
        thresholds[name] = round(percent / 100, 6)
    changes = MarketplaceChanges(
        alert_channel=channel,
        responders=responders,
        owner_group=group,
        approvers=approvers,
        brand_registry=brand_registry,
        thresholds=thresholds,
    )
    return changes, errors


# ---- the listeners -----------------------------------------------------------------------------------------------


def register(app: App, deps: Deps) -> None:
    def refuse(user: str, action: str) -> str | None:
        return None if deps.admins.is_admin(user) else deps.admins.refusal(action)

    # /sellerbot accounts --------------------------------------------------------------------------------------
    def ack_accounts(ack: Ack, command: dict) -> None:
        refused = refuse(caller_of(command).user, "list and configure seller accounts")
        ack(**kit.message(refused or "Reading the seller accounts…"))

    @user_facing
    def run_accounts(respond: Respond, command: dict) -> None:
        if refuse(caller_of(command).user, "list and configure seller accounts"):
            return  # refused in the ack; a lazy run is a separate invocation and checks again
        now = datetime.fromtimestamp(deps.clock(), UTC)
        respond(**accounts_message(list_rows(deps, now), now=now))

    # Configure button -> modal; submission -> registry.update_marketplace ------------------------------------
    def ack_configure(ack: Ack, body: dict, client: WebClient, respond: Respond) -> None:
        ack()
        refused = refuse(caller_of(body).user, "configure seller accounts")
        if refused:
            respond(**kit.message(refused), replace_original=False)
            return
        action = (body.get("actions") or [{}])[0]
        pair = _pair_from(deps, str(action.get("value", ""))[:100])
        if pair is None:
            respond(**kit.error("That account or marketplace is gone: run `/sellerbot accounts` again."))
            return
        try:
            client.views_open(trigger_id=str(body.get("trigger_id", "")), view=configure_modal(*pair))
        except Exception as exc:
            log.warning("could not open the account modal: %s", type(exc).__name__)
            respond(**kit.error("Could not open the settings form: click Configure again."), replace_original=False)

    def ack_configure_submit(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        user = caller_of(body).user
        refused = refuse(user, "configure seller accounts")
        pair = _pair_from(deps, _metadata(view))
        if refused or pair is None:
            reason = refused or "This form no longer matches an account: close it and run `/sellerbot accounts`."
            ack(response_action="errors", errors={ALERT_CHANNEL: kit.clip(reason, 1900)})
            return
        account, market = pair
        changes, errors = parse_submission(view)
        if errors:
            ack(response_action="errors", errors=errors)
            return
        try:
            deps.registry.update_marketplace(account.account_id, market.code, changes, actor=user)
        except (UnknownAccount, UnknownMarketplace):
            ack(response_action="errors", errors={ALERT_CHANNEL: "This account or marketplace was removed meanwhile."})
            return
        ack()
        log.info("account %s %s configured by %s", account.account_id, market.code, user)
        try:
            client.chat_postMessage(channel=user, text=saved_message(account, market.code, user))
        except Exception as exc:  # the change is saved; the note is a courtesy
            log.warning("could not confirm the saved settings: %s", type(exc).__name__)

    # /sellerbot disconnect ACCOUNT -> confirm -> delete token + DISCONNECTED ---------------------------------
    def ack_disconnect(ack: Ack, command: dict) -> None:
        refused = refuse(caller_of(command).user, "disconnect a seller account")
        if refused:
            ack(**kit.message(refused))
            return
        words = str(command.get("text", "")).split()
        if len(words) != 2:
            ack(**kit.error("Name the account to disconnect.", DISCONNECT_USAGE))
            return
        account = deps.registry.get(words[1].lower()[:64])
        if account is None:
            known = ", ".join(f"`{a.account_id}`" for a in deps.registry.snapshot().accounts[:20]) or "none"
            ack(**kit.error(f"No account `{kit.escape(words[1][:64])}`. Accounts: {known}.", DISCONNECT_USAGE))
            return
        ack(**disconnect_confirm(account))

    def ack_button(ack: Ack) -> None:
        ack()

    def button_account(body: dict, respond: Respond, action: str) -> tuple[str, AccountConfig] | None:
        """The presser and the account a button names; None (the presser told) when they may not act."""
        user = caller_of(body).user
        refused = refuse(user, action)
        if refused:
            respond(**kit.message(refused), replace_original=False)
            return None
        account_id = str(((body.get("actions") or [{}])[0]).get("value", ""))[:64]
        account = deps.registry.get(account_id)
        if account is None:
            raise UsageError(f"No account `{kit.escape(account_id)}` any more.")
        return user, account

    @user_facing
    def run_disconnect(respond: Respond, body: dict) -> None:
        pressed = button_account(body, respond, "disconnect a seller account")
        if pressed is None:
            return
        user, account = pressed
        from infra.secret_writer import SecretWriter  # boto3 (SSM) only when someone disconnects

        changed = disconnect(deps.registry, SecretWriter(deps.settings), account.account_id, actor=user)
        log.info("account %s disconnected by %s (changed: %s)", account.account_id, user, changed)
        respond(**disconnected_message(account, user, changed=changed), replace_original=True)

    def run_disconnect_cancel(respond: Respond) -> None:
        respond(**kit.message("Nothing was disconnected."), replace_original=True)

    # Reconnect (a refused token, a renewal reminder) -> the consent link for that account --------------------
    @user_facing
    def run_reconnect(respond: Respond, body: dict) -> None:
        from bot.oauth.setup import consent_url  # httpx, the state book: only when someone clicks

        pressed = button_account(body, respond, "reconnect a seller account")
        if pressed is None:
            return
        user, account = pressed
        region = account.region.upper()
        url = consent_url(
            deps,
            team_id=str((body.get("team") or {}).get("id", "")),
            user_id=user,
            region=region,
            channel_id=caller_of(body).channel or None,
            account_id=account.account_id,
        )
        respond(**consent_link(region, url, account_id=account.account_id), replace_original=False)

    app.command("/sellerbot", middleware=only_if(is_accounts))(ack=ack_accounts, lazy=[run_accounts])
    app.command("/sellerbot", middleware=only_if(is_disconnect))(ack_disconnect)
    app.action(CONFIGURE_ACTION)(ack_configure)
    app.view(CONFIGURE_VIEW)(ack_configure_submit)
    app.action(DISCONNECT_ACTION)(ack=ack_button, lazy=[run_disconnect])
    app.action(DISCONNECT_CANCEL_ACTION)(ack=ack_button, lazy=[run_disconnect_cancel])
    app.action(RECONNECT_ACTION)(ack=ack_button, lazy=[run_reconnect])
