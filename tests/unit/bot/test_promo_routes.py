"""bot/listeners/promo_routes.py: /promo is registered without importing the promo listeners (issue 16), under
the ids the views use, and every stand-in has its real listener."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

from bot.listeners import promo_routes
from bot.views import promo as views
from handlers.promo.lifecycle import Action

ROOT = Path(__file__).resolve().parents[3]


def test_the_ids_are_the_views_ids() -> None:
    assert promo_routes.VIEW_IDS == {"new": views.NEW_VIEW, "reject": views.REJECT_VIEW, "created": views.CREATED_VIEW}
    buttons = {
        name: views.ACTION_IDS[action]
        for name, action in (
            ("approve", Action.APPROVE),
            ("reject", Action.REJECT),
            ("hand_off", Action.HAND_OFF),
            ("mark_created", Action.CONFIRM_CREATED),
            ("cancel", Action.CANCEL),
        )
    }
    assert {**buttons, "chart_share": views.CHART_SHARE_ACTION} == promo_routes.BUTTON_IDS


def test_every_stand_in_has_its_listener() -> None:
    registered: list[str] = []

    class Recorder:
        def _take(self, *args: object, **kwargs: object):
            def take(ack=None, lazy=()):  # type: ignore[no-untyped-def]
                registered.extend(f.__name__ for f in [ack, *lazy] if f is not None)

            return take

        command = view = action = _take

    promo_routes.register(Recorder(), SimpleNamespace())  # type: ignore[arg-type]
    from bot.listeners.promo import listeners_by_name
    from bot.local.harness import BotHarness

    with BotHarness() as bot:
        names = listeners_by_name(bot.deps)
    assert set(registered) <= set(names), set(registered) - set(names)


def test_a_cold_start_does_not_import_the_promo_listeners() -> None:
    code = "import sys, bot.lambda_handler; print('bot.listeners.promo' in sys.modules)"
    env = {**os.environ, "SLACK_SIGNING_SECRET": "x"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False"
