"""The fake Slack enforces chat.postMessage's per-channel rate (429 + Retry-After) when asked to, and
tells whether the client waited the Retry-After it was given."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack_client import build_web_client
from infra.fakes.slack_api import FakeSlack
from infra.fakes.slack_rate import ChannelRate


class Manual:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_off_by_default(fake_slack):
    client = WebClient(token=fake_slack.token, base_url=fake_slack.base_url)
    for n in range(5):
        client.chat_postMessage(channel="C1", text=f"m{n}")
    assert fake_slack.channel_rate is None and len(fake_slack.messages["C1"]) == 5


def test_a_burst_over_the_limit_gets_429_with_retry_after_per_channel():
    clock = Manual()
    with FakeSlack() as fake:
        fake.channel_rate = ChannelRate(per_second=1.0, burst=2, clock=clock)
        client = WebClient(token=fake.token, base_url=fake.base_url)  # no retry handler: see the 429 itself
        client.chat_postMessage(channel="C1", text="a")
        client.chat_postMessage(channel="C1", text="b")
        with pytest.raises(SlackApiError) as refused:
            client.chat_postMessage(channel="C1", text="c")
        assert refused.value.response.status_code == 429
        assert refused.value.response.headers["Retry-After"] in ("1", ["1"])
        client.chat_postMessage(channel="C2", text="another channel has its own bucket")
        with pytest.raises(SlackApiError):
            client.chat_postMessage(channel="C1", text="too early")
        assert fake.channel_rate.early == 1  # it did not wait the Retry-After
        clock.now += 1.0
        client.chat_postMessage(channel="C1", text="after Retry-After")
        assert [m["text"] for m in fake.messages["C1"]] == ["a", "b", "after Retry-After"]
        assert (fake.channel_rate.accepted, fake.channel_rate.throttled) == (4, 2)


def test_the_bots_client_honours_retry_after():
    with FakeSlack() as fake:
        fake.channel_rate = ChannelRate(per_second=1.0, burst=1)
        client = build_web_client(fake.token, fake.base_url)
        client.chat_postMessage(channel="C1", text="a")
        client.chat_postMessage(channel="C1", text="b")  # 429 first, then retried after Retry-After
        assert [m["text"] for m in fake.messages["C1"]] == ["a", "b"]
        assert fake.channel_rate.throttled == 1 and fake.channel_rate.early == 0
