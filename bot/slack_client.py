"""The one Slack Web API client the bot uses.

slack-sdk retries only connection errors by default; Slack answers bursts
with 429 + Retry-After and occasionally 5xx, so both are retried here.
"""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.settings import check_https_url


def build_web_client(token: str, base_url: str, timeout: int = 10) -> WebClient:
    check_https_url(base_url, "SLACK_API_URL")  # https, or http to a loopback host only
    if not base_url.endswith("/"):
        base_url += "/"
    return WebClient(
        token=token,
        base_url=base_url,
        timeout=timeout,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=3),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
    )
