"""The httpx response hook that stops python-amazon-sp-api from swallowing bad answers."""

from __future__ import annotations

import httpx
import pytest

from infra.spapi.errors import SpApiHttpError, SpApiServerError, is_retryable
from infra.spapi.transport import guard_response


def respond(status: int, body: bytes) -> httpx.Response:
    return httpx.Response(status, content=body, request=httpx.Request("GET", "http://127.0.0.1/x"))


@pytest.mark.parametrize(
    "status,body,reason",
    [
        (500, b"", "empty body"),
        (503, b"<html>down</html>", "body is not JSON"),
        (502, b'{"errors":[{"code":"BadGateway"}]}', "no Amazon error details"),
        (500, b"{}", "no Amazon error details"),
        (200, b'{"payload": {"Orders": [', "body is not JSON"),
    ],
)
def test_swallowed_answers_become_retryable_server_errors(status: int, body: bytes, reason: str) -> None:
    with pytest.raises(SpApiServerError) as info:
        guard_response(respond(status, body))
    assert info.value.status == status and info.value.reason == reason and is_retryable(info.value)


def test_a_4xx_without_amazon_errors_is_raised_but_only_429_is_retried() -> None:
    with pytest.raises(SpApiHttpError) as forbidden:
        guard_response(respond(403, b"<html>denied</html>"))
    assert not isinstance(forbidden.value, SpApiServerError) and not is_retryable(forbidden.value)
    with pytest.raises(SpApiHttpError) as throttled:
        guard_response(respond(429, b""))
    assert is_retryable(throttled.value)


@pytest.mark.parametrize(
    "status,body",
    [
        (200, b'{"payload": {}}'),
        (201, b""),
        (201, b"{}"),
        (403, b'{"errors":[{"code":"Unauthorized"}]}'),
        (500, b'{"errors":[{"code":"InternalFailure"}]}'),  # the library raises SellingApiServerException itself
    ],
)
def test_answers_the_library_handles_pass_through(status: int, body: bytes) -> None:
    guard_response(respond(status, body))
