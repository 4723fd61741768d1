"""Moto in server mode, over real HTTP, for every functional test (tests/support/aws.py); the local demo server."""

import threading

import pytest

from bot.local.environment import LocalEnvironment
from bot.local.server import make_server
from bot.settings import DEMO_SIGNING_SECRET
from infra.secrets import clear_local_secrets
from tests.support.aws import *  # noqa: F403


@pytest.fixture
def demo(store, monkeypatch):
    """`make demo`'s bot behind the local HTTP server (fake Slack, fake SP-API and Seller Central): (env, events URL)."""
    monkeypatch.setenv("SLACK_SIGNING_SECRET", DEMO_SIGNING_SECRET)
    monkeypatch.delenv("SELLERBOT_AMAZON_CALLBACK_URL", raising=False)
    env = LocalEnvironment(env={"SLACK_SIGNING_SECRET": DEMO_SIGNING_SECRET}, with_spapi=True, store=store).start()
    server = make_server(env, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield env, f"http://127.0.0.1:{server.server_address[1]}/slack/events"
    server.shutdown()
    server.server_close()
    env.stop()
    clear_local_secrets()
