"""Shared pieces of the reliability suite (issue 7)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bench.load_driver import fast_spapi
from bot.local.harness import BotHarness
from tests.support.aws import *  # noqa: F403 - moto server fixtures (faults, DLQ)


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
