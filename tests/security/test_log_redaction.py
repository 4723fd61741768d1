"""Presigned URLs never reach a log line; the Slack API is reached over https except on loopback."""

from __future__ import annotations

import logging

import pytest

from bot.logging_setup import configure_logging, scrub
from bot.settings import Settings

PRESIGNED = (
    "https://tortuga-prod-na.s3-external-1.amazonaws.com/doc.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256"
    "&X-Amz-Credential=AKIAEXAMPLE%2F20261206%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261206T000000Z"
    "&X-Amz-Expires=300&X-Amz-SignedHeaders=host&X-Amz-Signature=0123456789abcdef0123456789abcdef"
)


@pytest.mark.parametrize(
    "url",
    [
        PRESIGNED,
        "https://bucket.s3.amazonaws.com/k?AWSAccessKeyId=AKIAEXAMPLE&Expires=1&Signature=c2lnbmF0dXJl",
        "https://account.blob.core.windows.net/c/b?sv=2024&sig=c2lnbmF0dXJlc2ln",
    ],
)
def test_signed_url_query_is_redacted(url):
    line = scrub(f'HTTP Request: GET {url} "HTTP/1.1 200 OK"')
    assert "[redacted]" in line
    for secret in ("0123456789abcdef", "AKIAEXAMPLE", "c2lnbmF0dXJl"):
        assert secret not in line
    assert url.split("?")[0] in line and line.endswith('"HTTP/1.1 200 OK"')


def test_http_client_loggers_are_quiet():
    configure_logging()
    for name in ("httpx", "httpcore", "urllib3", "botocore"):
        assert logging.getLogger(name).getEffectiveLevel() >= logging.WARNING, name


@pytest.mark.parametrize("url", ["http://slack.example.com/api/", "http://10.0.0.5:8080/api/"])
def test_plain_http_slack_api_is_refused(url):
    with pytest.raises(ValueError, match="https"):
        Settings.from_env({"SLACK_API_URL": url})


@pytest.mark.parametrize(
    "url", ["https://slack.com/api/", "http://127.0.0.1:5000/api/", "http://localhost:1/api/", "http://[::1]:2/api/"]
)
def test_https_or_loopback_slack_api_is_accepted(url):
    assert Settings.from_env({"SLACK_API_URL": url}).slack_api_url == url
