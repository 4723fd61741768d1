"""Shared pieces of the reliability suite (issue 7)."""
from __future__ import annotations

from typing import Any, Iterator

import pytest

from bot.local.harness import BotHarness
from tests.fixtures.aws import *  # noqa: F401,F403 - moto server fixtures (faults, DLQ)


def fast_spapi(harness: BotHarness, scale: float = 1000.0) -> Any:
    """The bot's real SP-API factory (python-amazon-sp-api, retries, limiter) on the harness's fake SP-API,
    with Amazon's rate plans scaled up so a load run measures the bot, not Amazon's 1 request/s."""
    from infra.spapi.limiter import RateLimiter
    from infra.spapi.rates import DEFAULT_RATES, scaled
    from infra.spapi.wiring import build_spapi_factory

    factory = build_spapi_factory(harness.deps.settings, limiter=RateLimiter(scaled(DEFAULT_RATES, scale)))
    harness.deps.__dict__["spapi"] = factory  # the Deps.spapi cached_property slot
    return factory


@pytest.fixture
def spapi_bot(store) -> Iterator[BotHarness]:
    """The whole Lambda handler with the fake Slack and the fake SP-API (real HTTP both)."""
    from infra.spapi.factory import clear_token_cache

    clear_token_cache()
    with BotHarness(store=store, with_spapi=True) as harness:
        fast_spapi(harness)
        yield harness
        harness.wait(30)
    clear_token_cache()
