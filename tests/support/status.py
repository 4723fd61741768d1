"""The bot `/sellerbot status` is tested against: the demo, the SP-API sandbox answering the access checks, a
local stage and no queue URLs (so queues show as unknown with that reason)."""

from __future__ import annotations

import pytest

from bot.jobs.ops_status import forget_cache
from bot.local.harness import BotHarness
from handlers.ops.status import QUEUES


@pytest.fixture
def bot(store, monkeypatch):
    """The demo: the SP-API sandbox answers the access checks, a local stage, no queue URLs."""
    monkeypatch.setenv("SELLERBOT_STAGE", "local")
    monkeypatch.delenv("SELLERBOT_AWS_ENDPOINT_URL", raising=False)
    for q in QUEUES:
        monkeypatch.delenv(q.url_env, raising=False)
    forget_cache()
    with BotHarness(store=store, with_spapi=True) as harness:
        yield harness
    forget_cache()
