"""Feature listener modules; each exposes `register(app, deps)`.

The fallback module must stay last: Bolt runs the first matching listener,
and the fallback matches every command and action.
"""

from __future__ import annotations

import importlib

from slack_bolt import App

from bot.deps import Deps

FEATURES = [
    "bot.listeners.help",
    "bot.listeners.reviews",
    "bot.listeners.messages",
    "bot.listeners.promo",
    "bot.listeners.health",
    "bot.listeners.compliance",
    "bot.listeners.fallback",
]


def register_listeners(app: App, deps: Deps) -> None:
    for name in FEATURES:
        importlib.import_module(name).register(app, deps)
