"""Shared fixtures. AWS services run in moto server mode (tests/fixtures/aws.py)."""
from __future__ import annotations

import os

import pytest

# Never let a test reach real AWS or pick up a developer's credentials.
os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
os.environ.pop("SP_API_DEFAULT_MARKETPLACE", None)

from bot.local.harness import BotHarness  # noqa: E402
from infra.fakes.slack_api import FakeSlack  # noqa: E402
from infra.store.sqlite import SQLiteStore  # noqa: E402


@pytest.fixture
def fake_slack():
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def store():
    s = SQLiteStore(":memory:")
    yield s
    s.close()


@pytest.fixture
def bot(store):
    """The whole Lambda handler, with a fake Slack and an in-memory store."""
    with BotHarness(store=store) as harness:
        yield harness
