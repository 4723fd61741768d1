"""The Amazon Ads connect flow over HTTP: the fake Attribution server's Login with Amazon page, token route and
/v2/profiles on loopback, a SQLite store, the registry with the demo accounts and Initech (EU: UK, DE, FR)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from pydantic import SecretStr

from handlers.accounts import AccountRegistry
from handlers.onboarding.ads import AdsConnectFlow, AdsConnectSettings
from handlers.onboarding.state import StateBook
from infra.accounts import load_accounts
from infra.ads.client import forget_tokens
from infra.fakes.attribution import FakeAttribution
from infra.fakes.attribution.data import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from infra.fakes.sp_api.consent import INITECH
from infra.secret_writer import SecretWriter
from infra.secrets import AdsAppCredentials
from infra.store.base import Store
from infra.store.factory import build_store

CALLBACK = "https://sellerbot.example/amazon/ads/callback"
SIGNING_SECRET = "test-signing-secret"


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Env:
    fake: FakeAttribution
    flow: AdsConnectFlow
    registry: AccountRegistry
    store: Store
    writer: SecretWriter
    clock: Clock
    http: httpx.Client


@dataclass
class _SecretsSettings:
    secrets_source: str = "env"
    ssm_prefix: str = "/sellerbot/test"
    aws_endpoint_url: str | None = None


def app_credentials(secret: str = DEMO_CLIENT_SECRET) -> AdsAppCredentials:
    return AdsAppCredentials(client_id=DEMO_CLIENT_ID, client_secret=SecretStr(secret))


@pytest.fixture
def env() -> Iterator[Env]:
    with FakeAttribution() as fake:
        clock = Clock()
        fake.consent.redirect_uris = [CALLBACK]
        fake.consent.clock = clock
        store = build_store("sqlite://:memory:")
        registry = AccountRegistry(store, clock)
        config = load_accounts()
        registry.import_config(config.model_copy(update={"accounts": [*config.accounts, INITECH]}), actor="test")
        writer = SecretWriter(_SecretsSettings())
        http = httpx.Client(timeout=5)
        flow = AdsConnectFlow(
            settings=AdsConnectSettings(
                callback_url=CALLBACK,
                consent_base=fake.base_url,
                lwa_endpoint=fake.base_url,
                ads_endpoint=fake.endpoint,
                timeout=5,
            ),
            states=StateBook(store, SIGNING_SECRET, clock),
            store=store,
            registry=registry,
            writer=writer,
            app=app_credentials,
            http=http,
            clock=clock,
        )
        try:
            yield Env(fake, flow, registry, store, writer, clock, http)
        finally:
            http.close()
            writer.forget_local()
            forget_tokens()
