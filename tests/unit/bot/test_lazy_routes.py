"""bot/listeners/lazy_module.py: a listener module registered through declared routes (issue 16) gets exactly
the listeners its own `register` would add, under the views' ids, and a cold start never imports it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.listeners import accounts_routes, connect_routes
from bot.listeners.lazy_module import record
from bot.local.harness import BotHarness
from bot.views import accounts as account_views
from bot.views import connect as connect_views
from bot.views import connect_ads as connect_ads_views

ROOT = Path(__file__).resolve().parents[3]
LAZY = [
    (accounts_routes.ROUTES, "bot.listeners.accounts"),
    (connect_routes.ROUTES, "bot.listeners.connect"),
    (connect_routes.ADS_ROUTES, "bot.listeners.connect_ads"),
]
BODIES = [
    {"text": t}
    for t in ("", "help", "accounts", "Accounts x", "disconnect acme", "connect EU", "connect ads acme", "status")
]


def test_the_ids_are_the_views_ids() -> None:
    for name in (
        "ACCOUNTS_USAGE",
        "DISCONNECT_USAGE",
        "CONFIGURE_ACTION",
        "CONFIGURE_VIEW",
        "DISCONNECT_ACTION",
        "DISCONNECT_CANCEL_ACTION",
        "RECONNECT_ACTION",
    ):
        assert getattr(accounts_routes, name) == getattr(account_views, name), name
    assert connect_routes.USAGE == connect_views.USAGE
    assert connect_routes.ADS_USAGE == connect_ads_views.USAGE


@pytest.mark.parametrize(("routes", "module"), LAZY)
def test_the_declared_routes_are_what_the_module_registers(routes, module) -> None:  # type: ignore[no-untyped-def]
    with BotHarness() as bot:
        real = record(module, bot.deps)
    assert list(routes) == real.routes
    for declared, test in zip(routes, real.tests, strict=True):
        assert (declared.test is None) == (test is None)
        if test is not None and declared.test is not None:
            assert [declared.test(b) for b in BODIES] == [test(b) for b in BODIES]
    for route in real.routes:
        assert {route.ack, *route.lazy} <= set(real.by_name)


def test_a_cold_start_does_not_import_them() -> None:
    modules = [module for _, module in LAZY]
    code = f"import sys, bot.lambda_handler; print([m for m in {modules!r} if m in sys.modules])"
    env = {**os.environ, "SLACK_SIGNING_SECRET": "x"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
