"""`/health`'s registration: the command specs, the matchers and thin listeners that load
bot.listeners.health (the health handlers, views and jobs, ~60 ms of imports) on first use, so a
cold start that acks another command never pays for them (issue 16)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt import Ack, App, Respond

from bot.commands import CommandSpec, declare
from bot.deps import Deps
from bot.listeners.routing import only_if
from bot.views.health_actions import ACTION_IDS

if TYPE_CHECKING:
    from bot.listeners.health import HealthListeners

SHOW = declare(
    CommandSpec(
        "/health",
        "/health [ACCOUNT] [MARKETPLACE] [--post]",
        "Account health: red flags and metrics vs targets, only to you (no args: your accounts, worst first); "
        "--post shares it in the channel with a 90-day trend chart",
    )
)
CHECK = declare(
    CommandSpec(
        "/health",
        "/health check [ACCOUNT] [MARKETPLACE]",
        "Fetch Amazon's performance report now and post new red flags to the account's channel",
    )
)
USAGE = f"{SHOW.usage}\n{CHECK.usage}"


def is_check(body: dict) -> bool:
    words = (body.get("text") or "").split()
    return bool(words) and words[0].lower() == "check"


def register(app: App, deps: Deps) -> None:
    built: list[HealthListeners] = []

    def h() -> HealthListeners:
        if not built:
            # Imported on the first /health request or alert click, not at cold start.
            from bot.listeners.health import HealthListeners

            built.append(HealthListeners(deps))
        return built[0]

    # Bolt injects arguments by parameter name and re-invokes lazy listeners by function name: these
    # wrappers keep both the names and the parameters of HealthListeners' methods.
    def ack_check(ack: Ack, command: dict) -> None:
        h().ack_check(ack, command)

    def run_health_check(respond: Respond, command: dict) -> None:
        h().run_health_check(respond, command)

    def ack_health(ack: Ack, command: dict) -> None:
        h().ack_health(ack, command)

    def show_health(respond: Respond, command: dict) -> None:
        h().show_health(respond, command)

    def ack_button(ack: Ack, body: dict, respond: Respond) -> None:
        h().ack_button(ack, body, respond)

    def run_alert_action(body: dict, respond: Respond) -> None:
        h().run_alert_action(body, respond)

    app.command("/health", middleware=only_if(is_check))(ack=ack_check, lazy=[run_health_check])
    app.command("/health")(ack=ack_health, lazy=[show_health])
    for action_id in ACTION_IDS:
        app.action(action_id)(ack=ack_button, lazy=[run_alert_action])
