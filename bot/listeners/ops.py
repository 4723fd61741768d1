"""The ops channel's buttons (issue 20): Redrive a dead-letter queue, Mute an alarm for 24 h (admins only).

Registered here, built on the first click (bot/listeners/ops_actions.py): the Slack function's cold start
does not load the alarm models and the SQS adapter for buttons that are rarely pressed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt import Ack, App, Respond

from bot.deps import Deps

if TYPE_CHECKING:
    from bot.listeners.ops_actions import OpsListeners

# The buttons' action ids (bot/views/ops.py draws them; a test checks they agree).
ACTION_IDS = ("ops_redrive", "ops_mute_24h")


def register(app: App, deps: Deps) -> None:
    built: list[OpsListeners] = []

    def listeners() -> OpsListeners:
        if not built:
            from bot.listeners.ops_actions import OpsListeners

            built.append(OpsListeners(deps))
        return built[0]

    # Bolt re-invokes lazy listeners by function name: these wrappers keep the names and parameters.
    def ack_ops_button(ack: Ack, body: dict, respond: Respond) -> None:
        listeners().ack_button(ack, body, respond)

    def run_ops_action(body: dict, respond: Respond) -> None:
        listeners().run_ops_action(body, respond)

    for action_id in ACTION_IDS:
        app.action(action_id)(ack=ack_ops_button, lazy=[run_ops_action])
