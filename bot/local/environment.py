"""The embedded defaults behind `make demo` and the end-to-end tests.

Starts what is not configured: a fake Slack Web API, the built-in SP-API
sandbox, a SQLite store; then builds the bot runtime around them with an
in-process Lambda client for lazy listeners.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot import runtime as _runtime
from bot.local.lambda_emulation import InProcessLambda
from bot.settings import DEMO_BOT_TOKEN, DEMO_SIGNING_SECRET, Settings

log = logging.getLogger("sellerbot.local")

DEMO_LWA_ENV = {
    "SELLERBOT_LWA_APP_ID": "amzn1.application-oa2-client.demo",
    "SELLERBOT_LWA_CLIENT_SECRET": "demo-secret",
    "SELLERBOT_REFRESH_TOKEN_ACME": "Atzr|demo-acme",
    "SELLERBOT_REFRESH_TOKEN_GLOBEX": "Atzr|demo-globex",
}


@dataclass
class LocalEnvironment:
    store_url: str | None = None
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    fake_slack: Any = None
    fake_spapi: Any = None
    lambda_client: InProcessLambda | None = None
    runtime: Any = None
    notes: list[str] = field(default_factory=list)
    with_spapi: bool = True
    store: Any = None  # an already-built Store (tests); else store_url

    def start(self) -> LocalEnvironment:
        from bot.lambda_handler import handler

        env = self.env
        if not env.get("SLACK_API_URL"):
            from infra.fakes.slack_api import FakeSlack

            self.fake_slack = FakeSlack(token=env.get("SLACK_BOT_TOKEN") or DEMO_BOT_TOKEN).start()
            env["SLACK_API_URL"] = self.fake_slack.base_url
            env.setdefault("SLACK_BOT_TOKEN", self.fake_slack.token)
            self.notes.append(f"fake Slack Web API at {self.fake_slack.base_url}")
        if not env.get("SLACK_SIGNING_SECRET"):
            env["SLACK_SIGNING_SECRET"] = DEMO_SIGNING_SECRET
            self.notes.append("signing secret: the demo default (set SLACK_SIGNING_SECRET to change)")
        if self.with_spapi and not env.get("SELLERBOT_SPAPI_ENDPOINT"):
            from infra.fakes.sp_api import FakeSpApi

            self.fake_spapi = FakeSpApi()
            base_url = self.fake_spapi.start()
            env["SELLERBOT_SPAPI_ENDPOINT"] = base_url
            env["SELLERBOT_LWA_ENDPOINT"] = base_url
            for key, value in DEMO_LWA_ENV.items():
                env.setdefault(key, value)
            self.notes.append(f"SP-API sandbox (2 accounts x 2 marketplaces) at {base_url}")
            # The sandbox finishes a report after two polls: poll every second, not every 10 s as against
            # Amazon, so `/health check` fits several account x marketplace pairs in one lazy listener.
            os.environ.setdefault("SELLERBOT_HEALTH_POLL_SECONDS", env.get("SELLERBOT_HEALTH_POLL_SECONDS", "1"))
        env["SELLERBOT_STORE_URL"] = self.store_url or env.get("SELLERBOT_STORE_URL") or "sqlite://:memory:"
        self.notes.append(f"store: {env['SELLERBOT_STORE_URL']}")
        # The SP-API credential source reads the process environment.
        for key in [*DEMO_LWA_ENV, "SELLERBOT_SPAPI_ENDPOINT", "SELLERBOT_LWA_ENDPOINT"]:
            if key in env:
                os.environ[key] = env[key]
        self.lambda_client = InProcessLambda(handler)
        _preload_lazy_imports()
        self.runtime = _runtime.build_runtime(
            Settings.from_env(env), lambda_client=self.lambda_client, store=self.store
        )
        _runtime.install(self.runtime)
        return self

    def stop(self) -> None:
        _runtime.install(None)
        if self.lambda_client:
            self.lambda_client.wait_idle(5)
        for fake in (self.fake_slack, self.fake_spapi):
            if fake is not None:
                fake.stop()

    def __enter__(self) -> LocalEnvironment:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


# Modules the lazy listeners import on first use. On Lambda each re-invocation has its container to
# itself; here up to 20 run on threads at once, and two threads importing one module chain for the
# first time can hit Python's import-lock deadlock detection (_DeadlockError). Import them up front.
LAZY_IMPORTS = (
    "sp_api.api",
    "handlers.reviews.spapi_adapter",
    "handlers.reviews.sweep",
    "handlers.reviews.requests",
    "handlers.reviews.messaging",
    "handlers.health.spapi_adapter",
    "handlers.health.fetch",
    "handlers.health.service",
    "handlers.promo.service",
    "handlers.promo.report",
    "handlers.promo.chart",
    "handlers.promo.performance",
    "handlers.promo.cards",
    "infra.spapi.wiring",
)


def _preload_lazy_imports() -> None:
    import importlib

    for name in LAZY_IMPORTS:
        importlib.import_module(name)


def demo_store_url(directory: str | os.PathLike = ".demo") -> str:
    path = Path(directory).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path / 'sellerbot.db'}"
