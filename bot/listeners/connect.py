"""`/sellerbot connect [NA|EU|FE] [ACCOUNT]`: an admin gets a Seller Central consent link (ephemeral).

The ack checks who asks and the arguments; the lazy listener issues the state (a store write) and answers
with the link. ACCOUNT renews an existing account's authorization (its region is the account's).
"""

from __future__ import annotations

from slack_bolt import Ack, App, Respond

from bot.access import caller_of
from bot.commands import UsageError
from bot.deps import Deps
from bot.listeners.common import user_facing
from bot.listeners.connect_routes import is_connect
from bot.listeners.routing import only_if
from bot.views import kit
from bot.views.connect import USAGE, consent_link
from handlers.onboarding.consent import REGIONS

MAX_WORDS = 4


def parse(text: str, deps: Deps) -> tuple[str, str | None]:
    """(region, account id or None) from `connect [REGION] [ACCOUNT]`; UsageError says what is wrong."""
    words = text.split()[1:MAX_WORDS]
    region, account_id = None, None
    for word in words:
        if word.upper() in REGIONS and region is None:
            region = word.upper()
        elif account_id is None and len(word) <= 64:
            account_id = word.lower()
        else:
            raise UsageError(f"`{kit.escape(word[:64])}` is not a region (NA, EU, FE) or an account.", USAGE)
    if account_id is not None:
        account = deps.registry.get(account_id)
        if account is None:
            raise UsageError(f"No account `{kit.escape(account_id)}`: to connect a new one, leave it out.", USAGE)
        account_region = account.region.upper()
        if region is not None and region != account_region:
            raise UsageError(f"`{account_id}` is in region {account_region}, not {region}.", USAGE)
        region = account_region
    return region or "NA", account_id


def register(app: App, deps: Deps) -> None:
    def ack_connect(ack: Ack, command: dict) -> None:
        caller = caller_of(command)
        if not deps.admins.is_admin(caller.user):
            ack(**kit.message(deps.admins.refusal("connect a seller account")))
            return
        try:
            region, _ = parse(str(command.get("text", "")), deps)
        except UsageError as exc:
            ack(**kit.error(exc.message, exc.usage))
            return
        ack(**kit.message(f"Making a Seller Central link for region {region}…"))

    @user_facing
    def run_connect(respond: Respond, command: dict) -> None:
        # Imported here: the flow's modules (httpx, the state book) load only when someone connects.
        from bot.oauth.setup import consent_url

        caller = caller_of(command)
        if not deps.admins.is_admin(caller.user):  # checked again: the lazy run is a separate invocation
            respond(**kit.message(deps.admins.refusal("connect a seller account")))
            return
        region, account_id = parse(str(command.get("text", "")), deps)
        url = consent_url(
            deps,
            team_id=str(command.get("team_id", "")),
            user_id=caller.user,
            region=region,
            channel_id=caller.channel or None,
            account_id=account_id,
        )
        respond(**consent_link(region, url, account_id=account_id))

    app.command("/sellerbot", middleware=only_if(is_connect))(ack=ack_connect, lazy=[run_connect])
