"""The one Slack Web API client the bot uses, and the pace of posting.

slack-sdk retries only connection errors by default; Slack answers bursts
with 429 + Retry-After and occasionally 5xx, so both are retried here, with
one exception: a call that creates a message (chat.postMessage, chat.postEphemeral)
is retried only on 429 (Slack did not take it; the handler waits Retry-After). A 5xx or
a dropped connection may come after Slack accepted the post, and a blind retry would post
it twice; the caller's claim decides instead (bot/jobs/health_checks.py).

`ChannelPacer` keeps posts to one channel at Slack's documented pace for chat.postMessage
(one message per second per channel, short bursts allowed).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest

from bot.settings import check_https_url
from infra import metrics

# Methods whose retry after an unknown outcome could post a second message.
NOT_IDEMPOTENT = ("chat.postMessage", "chat.postEphemeral", "chat.scheduleMessage")


def _creates_message(request: HttpRequest) -> bool:
    return request.url.rstrip("/").rsplit("/", 1)[-1] in NOT_IDEMPOTENT


class _IdempotentOnlyConnectionRetry(ConnectionErrorRetryHandler):
    def _can_retry(self, *, state: Any, request: HttpRequest, response: Any = None, error: Any = None) -> bool:
        return not _creates_message(request) and super()._can_retry(
            state=state, request=request, response=response, error=error
        )


class _IdempotentOnlyServerRetry(ServerErrorRetryHandler):
    def _can_retry(self, *, state: Any, request: HttpRequest, response: Any = None, error: Any = None) -> bool:
        return not _creates_message(request) and super()._can_retry(
            state=state, request=request, response=response, error=error
        )


class CountingWebClient(WebClient):
    """Every Web API call funnels through `api_call`: one that fails (an error answer, after slack-sdk's
    retries, or no answer) counts in SlackApiErrors, its method kept as the metric line's detail."""

    def api_call(self, api_method: str, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().api_call(api_method, *args, **kwargs)
        except Exception:
            metrics.count(metrics.SLACK_API_ERRORS, detail=api_method)
            raise


def build_web_client(token: str, base_url: str, timeout: int = 10) -> WebClient:
    check_https_url(base_url, "SLACK_API_URL")  # https, or http to a loopback host only
    if not base_url.endswith("/"):
        base_url += "/"
    return CountingWebClient(
        token=token,
        base_url=base_url,
        timeout=timeout,
        retry_handlers=[
            _IdempotentOnlyConnectionRetry(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=3),
            _IdempotentOnlyServerRetry(max_retry_count=2),
        ],
    )


PACE_ENV = "SELLERBOT_SLACK_POSTS_PER_SECOND"  # per channel; tests with many posts raise it
QUEUE_LIMIT = 30


class ChannelPacer:
    """At most `per_second` posts per channel on average, `burst` at once (per container).

    `wait(channel)` sleeps until the channel's next slot and takes it. Slack's own limit is per
    workspace × channel; several containers may post to one channel, and a 429 from that is
    retried after its Retry-After by the client.
    """

    def __init__(self, per_second: float | None = None, burst: int = 3) -> None:
        self.per_second = per_second
        self.burst = burst
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, channel: str, clock: Callable[[], float], sleep: Callable[[float], None]) -> None:
        # 5 % over the nominal gap: network jitter between our clock and Slack's must not land a post early.
        interval = 1.05 / (self.per_second or float(os.environ.get(PACE_ENV) or 1.0))
        with self._lock:
            now = clock()
            # The bucket refills one slot per interval and holds at most `burst` unused ones.
            slot = max(self._next.get(channel, float("-inf")), now - (self.burst - 1) * interval)
            # Never queue more than QUEUE_LIMIT posts ahead (a clock that jumped must not stall a channel);
            # beyond that, Slack's 429 + Retry-After paces us.
            slot = min(slot, now + QUEUE_LIMIT * interval)
            self._next[channel] = slot + interval
        if slot > now:
            sleep(slot - now)


# One pacer per container: every health post from this process goes through it.
PACER = ChannelPacer()
