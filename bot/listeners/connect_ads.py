"""`/sellerbot connect ads ACCOUNT`: an admin gets a Login with Amazon link that connects the account's Amazon Ads
(Attribution), answered ephemerally. Admins only, and the account must exist and be one the admin may use.

The ack checks who asks and the account; the lazy listener issues the state (a store write) and answers with the
link on the account's region's consent host.
"""

from __future__ import annotations

from slack_bolt import Ack, App, Respond

from bot.access import caller_of
from bot.commands import UsageError
from bot.deps import Deps
from bot.listeners.common import user_facing
from bot.listeners.connect_routes import is_connect_ads
from bot.listeners.routing import only_if
from bot.views import kit
from bot.views.connect_ads import USAGE, consent_link
from infra.accounts import AccountConfig

MAX_ACCOUNT_CHARS = 64
ACTION = "connect Amazon Ads for an account"


def account_of(command: dict, deps: Deps) -> AccountConfig:
    """The named account, which must exist and which the caller may use; UsageError says what to type."""
    words = str(command.get("text", "")).split()[2:]
    if len(words) != 1 or len(words[0]) > MAX_ACCOUNT_CHARS:
        raise UsageError("Name one account: the one whose Amazon Ads to connect.", USAGE)
    account = deps.access.lookup(command, words[0], USAGE)
    deps.access.require(command, account)
    return account


def register(app: App, deps: Deps) -> None:
    def ack_connect_ads(ack: Ack, command: dict) -> None:
        if not deps.admins.is_admin(caller_of(command).user):
            ack(**kit.message(deps.admins.refusal(ACTION)))
            return
        try:
            account = account_of(command, deps)
        except UsageError as exc:
            ack(**kit.error(exc.message, exc.usage))
            return
        ack(**kit.message(f"Making an Amazon Ads link for `{kit.escape(account.account_id)}`…"))

    @user_facing
    def run_connect_ads(respond: Respond, command: dict) -> None:
        # Imported here: the flow's modules (httpx, the Ads client) load only when someone connects.
        from bot.oauth.ads_callback import build_ads_flow

        caller = caller_of(command)
        if not deps.admins.is_admin(caller.user):  # again: the lazy run is a separate invocation
            respond(**kit.message(deps.admins.refusal(ACTION)))
            return
        account = account_of(command, deps)
        flow = build_ads_flow(deps)
        try:
            if not flow.is_configured():
                raise UsageError(
                    "sellerbot's Amazon Ads app is not configured: set <prefix>/ads-app (JSON client_id, "
                    "client_secret) or SELLERBOT_ADS_APP_CLIENT_ID and SELLERBOT_ADS_APP_CLIENT_SECRET, and "
                    "SELLERBOT_AMAZON_CALLBACK_URL (see the README)."
                )
            url = flow.begin(
                team_id=str(command.get("team_id", "")),
                user_id=caller.user,
                account=account,
                channel_id=caller.channel or None,
            )
        finally:
            flow.http.close()
        respond(**consent_link(account.account_id, account.region.upper(), url))

    app.command("/sellerbot", middleware=only_if(is_connect_ads))(ack=ack_connect_ads, lazy=[run_connect_ads])
