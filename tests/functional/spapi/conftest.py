"""A fake SP-API on 127.0.0.1 and factories pointed at it; real python-amazon-sp-api clients."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from infra.accounts import AccountConfig, load_accounts
from infra.fakes.sp_api import FakeSpApi, SandboxData
from infra.secrets import EnvCredentials
from infra.spapi.factory import SpApiFactory, clear_token_cache
from infra.spapi.limiter import RateLimiter
from infra.spapi.retry import RetryPolicy
from tests.support.aws import moto_server, ssm

os.environ.pop("SP_API_DEFAULT_MARKETPLACE", None)


class RecordedSleep:
    """Stands in for time.sleep in the retry policy: records the wait instead of spending it."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture(autouse=True)
def fresh_token_cache() -> Iterator[None]:
    clear_token_cache()
    yield
    clear_token_cache()


@pytest.fixture(scope="session")
def sandbox() -> SandboxData:
    return SandboxData.build()


@pytest.fixture
def fake(sandbox: SandboxData) -> Iterator[FakeSpApi]:
    with FakeSpApi(sandbox, timeout_fault_seconds=1.0, report_polls=2) as server:
        yield server


@pytest.fixture
def accounts() -> Any:
    return load_accounts()


@pytest.fixture
def acme(accounts: Any) -> AccountConfig:
    return accounts.get("acme")


@pytest.fixture
def slept() -> RecordedSleep:
    return RecordedSleep()


@pytest.fixture
def make_factory(fake: FakeSpApi, slept: RecordedSleep) -> Iterator[Callable[..., SpApiFactory]]:
    made: list[SpApiFactory] = []

    def make(
        *,
        env: dict[str, str] | None = None,
        limiter: RateLimiter | None = None,
        timeout: float = 2.0,
        policy: RetryPolicy | None = None,
        **kw: Any,
    ) -> SpApiFactory:
        factory = SpApiFactory(
            EnvCredentials(env or fake.credentials_env()),
            limiter or RateLimiter(),
            endpoint_override=fake.base_url,
            lwa_endpoint_override=fake.base_url,
            timeout=timeout,
            policy=policy or RetryPolicy(sleep=slept),
            **kw,
        )
        made.append(factory)
        return factory

    yield make
    for factory in made:
        factory.close()


@pytest.fixture
def factory(make_factory: Callable[..., SpApiFactory]) -> SpApiFactory:
    return make_factory()


def order_of(sandbox: SandboxData, account: str, marketplace_id: str, category: str, nth: int = 0) -> str:
    return [o for o in sandbox.orders[(account, marketplace_id)] if o.category == category][nth].order_id
