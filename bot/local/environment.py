"""The embedded defaults behind `make demo` and the end-to-end tests.

Starts what is not configured: a fake Slack Web API, the built-in SP-API sandbox, a SQLite store;
then builds the bot runtime and the Slack entry (bot/lambda_handler.py) around them, with an
in-process Lambda client for lazy listeners.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import sp_api.api

import bot.jobs.ops_status
import bot.listeners.affiliates
import bot.listeners.health
import bot.listeners.promo
import bot.oauth.callback
import bot.oauth.setup
import bot.views.status
import handlers.health.fetch
import handlers.health.service
import handlers.health.spapi_adapter
import handlers.promo.cards
import handlers.promo.chart
import handlers.promo.performance
import handlers.promo.report
import handlers.promo.service
import handlers.reviews.messaging
import handlers.reviews.requests
import handlers.reviews.spapi_adapter
import handlers.reviews.sweep
import infra.spapi.factory
from bot import lambda_handler
from bot import runtime as _runtime
from bot.jobs import charts as chart_jobs
from bot.lambda_handler import SlackEntry, build_slack_entry
from bot.local.demo import DEMO_LWA_ENV
from bot.local.lambda_emulation import CHARTS_FUNCTION_NAME, InProcessLambda, LocalLambda
from bot.settings import DEMO_BOT_TOKEN, DEMO_OPS_CHANNEL, DEMO_SIGNING_SECRET, Settings
from bot.workers import charts as chart_worker
from infra.lambda_invoke import AsyncInvoker
from infra.store.base import Store

if TYPE_CHECKING:
    from infra.fakes.attribution import FakeAttribution
    from infra.fakes.slack_api import FakeSlack
    from infra.fakes.sp_api import FakeSpApi

# What lazy listeners import on first use, imported here up front. On Lambda each re-invocation has its
# container to itself; here up to 20 run on threads at once, and two threads importing one module chain
# for the first time can hit Python's import-lock deadlock detection (_DeadlockError).
LAZY_IMPORTS = (
    sp_api.api,
    handlers.reviews.spapi_adapter,
    handlers.reviews.sweep,
    handlers.reviews.requests,
    handlers.reviews.messaging,
    handlers.health.spapi_adapter,
    handlers.health.fetch,
    handlers.health.service,
    handlers.promo.service,
    handlers.promo.report,
    handlers.promo.chart,
    handlers.promo.performance,
    handlers.promo.cards,
    infra.spapi.factory,
    bot.jobs.ops_status,  # an admin's /sellerbot status
    bot.listeners.health,  # /health and alert buttons (bot/listeners/health_routes.py)
    bot.listeners.promo,  # /promo, its buttons and forms (bot/listeners/promo_routes.py)
    bot.listeners.affiliates,  # /affiliates (bot/listeners/affiliates_routes.py)
    bot.views.status,
    bot.oauth.setup,  # /sellerbot connect's lazy run
    bot.oauth.callback,  # GET /amazon/* on the local server
)

log = logging.getLogger("sellerbot.local")

# The connect flow's settings (bot/oauth/setup.py) the demo points at its fake Seller Central; the callback URL
# is the local server's (`sellerbot serve` moves it to its own port).
CONNECT_ENV = (
    "SELLERBOT_SELLER_CENTRAL_URL",
    "SELLERBOT_SPAPI_APP_ID",
    "SELLERBOT_AMAZON_CALLBACK_URL",
    "SELLERBOT_TEAM_ID",
)
LOCAL_CALLBACK_URL = "http://127.0.0.1:3000/amazon/callback"
# 90 days of Attribution rows `make demo` writes (tools/seed_attribution.py); generated in memory when absent.
ATTRIBUTION_SEED_FILE = os.path.join(".demo", "attribution.json")

MISSING_SECRET = (
    "no Slack signing secret configured: set SLACK_SIGNING_SECRET (or SELLERBOT_SECRETS=ssm), "
    "or pass --demo to run with the public demo secret"
)


class MissingSigningSecret(RuntimeError):
    """Outside the demo, the bot does not start on a built-in signing secret."""


@dataclass
class LocalEnvironment:
    store_url: str | None = None
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    fake_slack: FakeSlack | None = None  # when no SLACK_API_URL is configured
    fake_spapi: FakeSpApi | None = None  # when no SELLERBOT_SPAPI_ENDPOINT is configured
    fake_attribution: FakeAttribution | None = None  # when no SELLERBOT_ADS_ENDPOINT is configured
    lambda_client: LocalLambda | None = None  # InProcessLambda, or bench/load_driver.py's DeferredLambda
    runtime: _runtime.Runtime | None = None
    entry: SlackEntry | None = None
    notes: list[str] = field(default_factory=list)
    with_spapi: bool = True
    with_attribution: bool = True
    _ads_env: dict[str, str | None] = field(default_factory=dict)  # SELLERBOT_ADS_* set here: the previous values
    store: Store | None = None  # an already-built Store (tests); else store_url
    demo: bool = False  # only then may the public demo signing secret stand in for SLACK_SIGNING_SECRET

    def start(self) -> LocalEnvironment:
        env = self.env
        if not env.get("SLACK_SIGNING_SECRET") and env.get("SELLERBOT_SECRETS") != "ssm":
            if not self.demo:
                raise MissingSigningSecret(MISSING_SECRET)
            env["SLACK_SIGNING_SECRET"] = DEMO_SIGNING_SECRET
            self.notes.append("signing secret: the public demo default (--demo; set SLACK_SIGNING_SECRET to change)")
        if not env.get("SLACK_API_URL"):
            self._start_fake_slack(env)
        if self.with_spapi and not env.get("SELLERBOT_SPAPI_ENDPOINT"):
            self._start_fake_spapi(env)
        if self.with_attribution and not env.get("SELLERBOT_ADS_ENDPOINT"):
            self._start_fake_attribution(env)
        env["SELLERBOT_STORE_URL"] = self.store_url or env.get("SELLERBOT_STORE_URL") or "sqlite://:memory:"
        self.notes.append(f"store: {env['SELLERBOT_STORE_URL']}")
        # The SP-API credential source reads the process environment.
        for key in [*DEMO_LWA_ENV, *CONNECT_ENV, "SELLERBOT_SPAPI_ENDPOINT", "SELLERBOT_LWA_ENDPOINT"]:
            if key in env:
                os.environ[key] = env[key]
        # Lazy listeners and the charts function both run in-process, so `wait_idle` covers chart uploads too.
        self.lambda_client = InProcessLambda(lambda_handler.handler, {CHARTS_FUNCTION_NAME: chart_worker.handler})
        chart_jobs.install(AsyncInvoker(CHARTS_FUNCTION_NAME, client=self.lambda_client))
        self.runtime = _runtime.build_runtime(Settings.from_env(env), store=self.store)
        _runtime.install(self.runtime)
        self.entry = lambda_handler.install_entry(build_slack_entry(self.runtime, lambda_client=self.lambda_client))
        return self

    def _start_fake_slack(self, env: dict[str, str]) -> None:
        # Lazy: a configured Slack API (SLACK_API_URL) never needs the fake.
        from infra.fakes.slack_api import FakeSlack

        fake = self.fake_slack = FakeSlack(token=env.get("SLACK_BOT_TOKEN") or DEMO_BOT_TOKEN).start()
        env["SLACK_API_URL"] = fake.base_url
        env.setdefault("SLACK_BOT_TOKEN", fake.token)
        # Alarms (issue 20) go to the fake Slack's ops channel.
        env.setdefault("SELLERBOT_OPS_CHANNEL", DEMO_OPS_CHANNEL)
        self.notes.append(f"fake Slack Web API at {fake.base_url}; ops channel {env['SELLERBOT_OPS_CHANNEL']}")

    def _start_fake_spapi(self, env: dict[str, str]) -> None:
        # Lazy: the sandbox (~60 ms to import) is started only when no SP-API endpoint is configured.
        from infra.fakes.sp_api import FakeSpApi

        fake = self.fake_spapi = FakeSpApi()
        base_url = fake.start()
        env["SELLERBOT_SPAPI_ENDPOINT"] = base_url
        env["SELLERBOT_LWA_ENDPOINT"] = base_url
        for key, value in DEMO_LWA_ENV.items():
            env.setdefault(key, value)
        self.notes.append(f"SP-API sandbox (2 accounts x 2 marketplaces) at {base_url}")
        # Its Seller Central consent page connects a third seller (Initech, EU) from `/sellerbot connect EU`.
        env.setdefault("SELLERBOT_SELLER_CENTRAL_URL", base_url)
        env.setdefault("SELLERBOT_SPAPI_APP_ID", fake.seller_central.application_id)
        env.setdefault("SELLERBOT_AMAZON_CALLBACK_URL", LOCAL_CALLBACK_URL)
        env.setdefault("SELLERBOT_TEAM_ID", "T0DEMO")
        fake.seller_central.redirect_uris.append(env["SELLERBOT_AMAZON_CALLBACK_URL"])
        fake.seller_central.login_uri = env["SELLERBOT_AMAZON_CALLBACK_URL"].replace("/callback", "/login")
        # The sandbox finishes a report after two polls: poll every second, not every 10 s as against
        # Amazon, so `/health check` fits several account x marketplace pairs in one lazy listener.
        os.environ.setdefault("SELLERBOT_HEALTH_POLL_SECONDS", env.get("SELLERBOT_HEALTH_POLL_SECONDS", "1"))

    def _start_fake_attribution(self, env: dict[str, str]) -> None:
        # Lazy, as the SP-API sandbox: only when no Amazon Ads endpoint is configured.
        from infra.fakes.attribution import AttributionData, FakeAttribution

        seed = env.get("SELLERBOT_ATTRIBUTION_SEED_FILE") or ATTRIBUTION_SEED_FILE
        data = AttributionData.load(seed) if os.path.exists(seed) else AttributionData.demo()
        fake = self.fake_attribution = FakeAttribution(data)
        fake.start()
        # `/sellerbot connect ads ACCOUNT`: the fake's Login with Amazon page and the bot's Ads app (issue 22).
        spapi_callback = env.get("SELLERBOT_AMAZON_CALLBACK_URL") or LOCAL_CALLBACK_URL
        fake.consent.redirect_uris.append(spapi_callback.replace("/amazon/callback", "/amazon/ads/callback"))
        client_id, client_secret = next(iter(fake.data.apps.items()))
        ads_app = {
            "SELLERBOT_ADS_CONSENT_URL": fake.base_url,
            "SELLERBOT_ADS_APP_CLIENT_ID": client_id,
            "SELLERBOT_ADS_APP_CLIENT_SECRET": client_secret,
        }
        # The Ads client and EnvCredentials read the process environment (SELLERBOT_ADS_*).
        for key, value in {**fake.credentials_env(), **ads_app}.items():
            env.setdefault(key, value)
            # Put back in stop(), so a later environment starts its own fake.
            self._ads_env.setdefault(key, os.environ.get(key))
            os.environ[key] = env[key]
        source = seed if os.path.exists(seed) else "generated"
        self.notes.append(f"Amazon Attribution fake at {fake.base_url} ({source}; tools/seed_attribution.py)")

    @property
    def lazy(self) -> LocalLambda:
        """The Lambda client lazy listeners run through (after `start()`)."""
        if self.lambda_client is None:
            raise RuntimeError("the local environment is not started")
        return self.lambda_client

    def stop(self) -> None:
        if self.lambda_client:  # first: a chart job still running reads the runtime reset below
            self.lambda_client.wait_idle(5)
        chart_jobs.install(None)
        lambda_handler.install_entry(None)
        _runtime.install(None)
        for fake in (self.fake_slack, self.fake_spapi, self.fake_attribution):
            if fake is not None:
                fake.stop()
        for key, previous in self._ads_env.items():
            if previous is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = previous
        self._ads_env.clear()

    def __enter__(self) -> LocalEnvironment:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
