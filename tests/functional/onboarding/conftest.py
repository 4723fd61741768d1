"""The connect flow over HTTP: the fake Seller Central + LWA + SP-API on loopback, a SQLite store, the registry."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from handlers.accounts import AccountRegistry
from handlers.onboarding.flow import ConnectFlow, ConnectSettings
from handlers.onboarding.state import StateBook
from infra.accounts import load_accounts
from infra.fakes.sp_api import FakeSpApi
from infra.secret_writer import SecretWriter
from infra.secrets import EnvCredentials
from infra.store.factory import build_store

CALLBACK = "https://sellerbot.example/amazon/callback"
SIGNING_SECRET = "test-signing-secret"


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Env:
    fake: FakeSpApi
    flow: ConnectFlow
    registry: AccountRegistry
    writer: SecretWriter
    clock: Clock
    http: httpx.Client


@dataclass
class _SecretsSettings:
    secrets_source: str = "env"
    ssm_prefix: str = "/sellerbot/test"
    aws_endpoint_url: str | None = None


@pytest.fixture
def env() -> Iterator[Env]:
    with FakeSpApi() as fake:
        fake.seller_central.redirect_uris = [CALLBACK]
        clock = Clock()
        store = build_store("sqlite://:memory:")
        registry = AccountRegistry(store, clock)
        registry.import_config(load_accounts(), actor="test")
        writer = SecretWriter(_SecretsSettings())
        lwa_env = fake.credentials_env()
        http = httpx.Client(timeout=5)
        flow = ConnectFlow(
            settings=ConnectSettings(
                application_id=fake.seller_central.application_id,
                draft=True,
                callback_url=CALLBACK,
                seller_central_base=fake.base_url,
                lwa_endpoint=fake.base_url,
                spapi_endpoint=fake.base_url,
                team_id="T0DEMO",
            ),
            states=StateBook(store, SIGNING_SECRET, clock),
            store=store,
            registry=registry,
            tokens=writer,
            lwa=EnvCredentials(lwa_env).lwa,
            http=http,
            clock=clock,
        )
        try:
            yield Env(fake, flow, registry, writer, clock, http)
        finally:
            http.close()
            writer.forget_local()
