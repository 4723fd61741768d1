"""`/sellerbot help` and `/sellerbot status`: what the bot answers, and whether it can work."""

from __future__ import annotations

import time

from slack_bolt import Ack, App, Respond

from bot.access import caller_of
from bot.commands import CATALOGUE, CommandSpec, declare
from bot.deps import Deps
from bot.listeners.common import user_facing
from bot.listeners.routing import only_if
from bot.views import kit
from bot.views.help import help_message, status_message
from infra.spapi.errors import explain
from infra.store.base import Item

HELP = declare(CommandSpec("/sellerbot", "/sellerbot help", "List every command and what it does"))
STATUS = declare(
    CommandSpec(
        "/sellerbot",
        "/sellerbot status",
        "Check the store and SP-API access for your accounts; admins also see schedules, queues and errors",
    )
)
USAGE = f"{HELP.usage}\n{STATUS.usage}"


def status_lines(deps: Deps, body: dict) -> list[str]:
    """The store, and SP-API access for the accounts the caller is on; failures say what to do, never the
    exception's text (it can carry Amazon's or the library's internals)."""
    lines = []
    probe = Item(pk="STATUS#probe", sk=str(time.time_ns()), data={}, expires_at=int(deps.clock()) + 60)
    try:
        deps.store.put_if_absent(probe)
        deps.store.get(probe.pk, probe.sk)
        lines.append(":white_check_mark: store: read and conditional write OK")
    except Exception as exc:
        lines.append(f":x: store: {type(exc).__name__}")
    pairs = deps.access.pairs_for(body)
    if not pairs:
        lines.append(":information_source: You are on no seller account, so no account is listed here.")
    for account, marketplace in pairs:
        try:
            deps.spapi.check_access(account, marketplace.code)
            lines.append(
                f":white_check_mark: {account.name} ({account.account_id}) {marketplace.code}: SP-API access OK"
            )
        except Exception as exc:
            lines.append(f":x: {account.name} ({account.account_id}) {marketplace.code}: {explain(exc)}")
    return lines


def _doctor_lines(deps: Deps) -> list[str]:
    """The first-run checks (`sellerbot doctor`) for admins; a failure of the doctor never hides the status."""
    from bot.jobs.doctor import admin_doctor
    from bot.views.doctor import doctor_lines

    try:
        return doctor_lines(admin_doctor(deps))
    except Exception as exc:
        return [f":warning: first-run checks could not run ({type(exc).__name__}): run `sellerbot doctor`."]


def is_status(body: dict) -> bool:
    return body.get("text", "").strip().lower() == "status"


def ack_sellerbot(ack: Ack, command: dict) -> None:
    words = command.get("text", "").split()
    if not words or words[0].lower() == "help":
        ack(**help_message())
    else:
        ack(**kit.error(f"Unknown subcommand `{words[0]}`.", USAGE))


def routed_subcommands() -> frozenset[str]:
    """The /sellerbot subcommands other listeners answer: every declared one but help (read once the feature
    modules are imported, so a new subcommand's declaration is all it takes for help to let it through)."""
    words = (spec.usage.split() for spec in CATALOGUE.values() if spec.command == "/sellerbot")
    return frozenset(w[1].lower() for w in words if len(w) > 1) - {"help"}


def register(app: App, deps: Deps) -> None:
    """`/sellerbot help`, registered first of all listeners: Bolt checks every listener in order, building its
    arguments for each, so each listener in front of help cost every help ack ~10 µs (bench/ack.py). Help answers
    what no other listener routes (help, nothing, an unknown word) in the ack."""
    routed = routed_subcommands()

    def is_help(body: dict) -> bool:
        words = str(body.get("text", "")).split(maxsplit=1)
        return not words or words[0].lower() not in routed

    app.command("/sellerbot", middleware=only_if(is_help))(ack_sellerbot)


def register_status(app: App, deps: Deps) -> None:
    def ack_status(ack: Ack, command: dict) -> None:
        ack(**kit.message(f"Checking the store and {len(deps.access.pairs_for(command))} account/marketplace pairs…"))

    @user_facing
    def run_sellerbot_status(respond: Respond, command: dict) -> None:
        lines = status_lines(deps, command)
        if deps.admins.is_admin(caller_of(command).user):
            # Admins (SELLERBOT_ADMINS, the accounts' `admins`) see the bot's own state too; others only their accounts.
            # Imported here: only an admin's status reads queues and metrics (no cost to the cold start).
            from bot.jobs.ops_status import cached_status
            from bot.views.status import ops_status_message

            status = cached_status(store=deps.store, accounts=deps.accounts, clock=deps.clock)
            respond(**ops_status_message(status, lines, doctor=_doctor_lines(deps)))
        else:
            respond(**status_message(lines))

    # Only `status` pays for a lazy self-invocation; help (and an unknown subcommand) is answered in the ack.
    app.command("/sellerbot", middleware=only_if(is_status))(ack=ack_status, lazy=[run_sellerbot_status])
