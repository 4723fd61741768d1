"""AWS fixtures (moto server) for the sweep worker tests, and the one fake SP-API (infra/fakes)
seeded with exact orders, reached through the real factory and python-amazon-sp-api clients."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timezone

import pytest

from bot.local.harness import BotHarness
from infra.fakes.sp_api import FakeOrder, FakeSpApi, SandboxData
from infra.fakes.sp_api.replay import SandboxReplay
from infra.secrets import EnvCredentials
from infra.spapi.factory import SpApiFactory, clear_token_cache
from infra.spapi.limiter import RateLimiter
from infra.spapi.retry import RetryPolicy
from tests.support.aws import *  # noqa: F403

NOW = datetime.now(UTC)


def seeded_fake(orders: list[FakeOrder], *, max_page_size: int = 100) -> FakeSpApi:
    """The fake SP-API knowing only `orders` (the demo accounts, no generated orders)."""
    data = SandboxData.build(NOW, orders_per_pair=0)
    data.add_orders(orders)
    return FakeSpApi(data, max_page_size=max_page_size)


def factory_for(fake: FakeSpApi | SandboxReplay, *, attempts: int = 6) -> SpApiFactory:
    """The production factory pointed at `fake` (the fake SP-API or the sandbox replay); retries do not sleep."""
    clear_token_cache()
    return SpApiFactory(
        EnvCredentials(fake.credentials_env()),
        RateLimiter(),
        endpoint_override=fake.base_url,
        lwa_endpoint_override=fake.base_url,
        policy=RetryPolicy(max_attempts=attempts, sleep=lambda _seconds: None),
    )


@pytest.fixture
def running() -> Iterator[list[FakeSpApi]]:
    """Fakes started by a test, stopped after it."""
    started: list[FakeSpApi] = []
    yield started
    for fake in started:
        fake.stop()


def started_fake(running: list[FakeSpApi], orders: list[FakeOrder], *, max_page_size: int = 100) -> FakeSpApi:
    """`seeded_fake(orders)`, started and registered with the `running` fixture (stopped after the test)."""
    fake = seeded_fake(orders, max_page_size=max_page_size)
    fake.start()
    running.append(fake)
    return fake


@contextmanager
def bot_on(store: object, fake: FakeSpApi) -> Iterator[BotHarness]:
    """The whole Lambda handler over `store`, its SP-API calls going to `fake` through the real factory."""
    with BotHarness(store=store) as harness:  # type: ignore[arg-type]
        harness.deps.__dict__["spapi"] = factory_for(fake)  # the Deps.spapi cached_property slot
        yield harness
