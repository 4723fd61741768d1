"""`/sellerbot help`: the list of every command the bot answers."""
from __future__ import annotations

from slack_bolt import Ack, App

from bot import render
from bot.commands import CATALOGUE, CommandSpec, declare
from bot.deps import Deps

HELP = declare(CommandSpec("/sellerbot", "/sellerbot help", "List every command and what it does"))


def help_message() -> dict:
    specs = sorted(CATALOGUE.values(), key=lambda s: (s.command, s.usage))
    lines = [f"`{s.usage}`  {s.summary}" for s in specs]
    return render.message("sellerbot commands:\n" + "\n".join(lines), [
        render.header("sellerbot commands"),
        render.section("\n".join(f"• {line}" for line in lines)),
    ])


def ack_sellerbot(ack: Ack, command: dict) -> None:
    words = command.get("text", "").split()
    if not words or words[0].lower() == "help":
        ack(**help_message())
        return
    ack(**render.error(f"Unknown subcommand `{words[0]}`.", HELP.usage))


def register(app: App, deps: Deps) -> None:
    app.command("/sellerbot")(ack_sellerbot)
