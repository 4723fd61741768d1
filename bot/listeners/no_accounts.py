"""While no seller account is connected (a fresh deploy), every command that needs one answers how to
connect one, in the ack, instead of failing on an empty account list (issue 21).

Registered first: its listener matches only while the store holds no account (`only_if`, one cached
snapshot read), so with accounts it costs one function call and the feature's own listener runs.
`/sellerbot status` is answered this way for non-admins only: an admin's status is the first-run
checklist, which is what a fresh deploy needs.
"""

from __future__ import annotations

import re

from slack_bolt import Ack, App

from bot.access import caller_of
from bot.deps import Deps
from bot.listeners.routing import only_if
from bot.views import kit
from bot.views.access import no_accounts

COMMANDS = ("/promo", "/health", "/review", "/message")
COMMAND_PATTERN = re.compile("^(?:" + "|".join(re.escape(c) for c in COMMANDS) + ")$")


def register(app: App, deps: Deps) -> None:
    def empty() -> bool:
        return not deps.accounts.accounts

    def caller_is_admin(body: dict) -> bool:
        return deps.admins.is_admin(caller_of(body).user)

    def answer(ack: Ack, command: dict) -> None:
        text = no_accounts(
            caller_is_admin=caller_is_admin(command), admins=deps.admins.named(), workspace=deps.admins.workspace
        )
        ack(**kit.message(text))

    # One listener for the four commands: Bolt checks every listener on every request.
    app.command(COMMAND_PATTERN, middleware=only_if(lambda body: empty()))(answer)
    status = only_if(
        lambda body: body.get("text", "").strip().lower() == "status" and empty() and not caller_is_admin(body)
    )
    app.command("/sellerbot", middleware=status)(answer)
