"""The httpx client under every python-amazon-sp-api client we build.

Imported only when SpApiFactory builds a client (it pulls in httpx and sp_api).

python-amazon-sp-api raises only when the JSON body has `errors`; an HTTP 500
with an empty body comes back as an empty, successful-looking ApiResponse
(sp-api.md §4). A response hook sees the status first and raises
SpApiServerError for any such answer, so the retry policy can act on it.
"""

from __future__ import annotations

import json
from contextlib import AbstractContextManager
from typing import Any

import httpx
from sp_api.base._transport_httpx import HttpxTransport

from infra.spapi.errors import SpApiHttpError, SpApiServerError

# Statuses the library maps to a specific exception when Amazon's `errors` JSON is present.
_LIBRARY_5XX = {500, 503, 504}


def _errors_of(body: bytes) -> tuple[bool, list[dict[str, Any]] | None]:
    """(parsed as JSON, Amazon's errors list if any)."""
    try:
        data = json.loads(body)
    except ValueError:
        return False, None
    if isinstance(data, dict) and isinstance(data.get("errors"), list) and data["errors"]:
        return True, data["errors"]
    return True, None


def guard_response(response: httpx.Response) -> None:
    """httpx response hook: turn answers the library would swallow into SpApiServerError."""
    status = response.status_code
    body = response.read()
    if status >= 500:
        if not body.strip():
            raise SpApiServerError(status, response.headers, "empty body")
        parsed, errors = _errors_of(body)
        if not parsed:
            raise SpApiServerError(status, response.headers, "body is not JSON")
        if errors is None or status not in _LIBRARY_5XX:
            raise SpApiServerError(status, response.headers, "no Amazon error details", errors)
        return
    parsed, errors = _errors_of(body) if body.strip() else (True, None)
    if status >= 400 and errors is None:
        # A 4xx from a proxy or gateway (HTML, empty): not retried except 429.
        raise SpApiHttpError(status, response.headers, "no Amazon error details" if parsed else "body is not JSON")
    if not parsed:  # a truncated or HTML 2xx body would otherwise read as an empty success
        raise SpApiServerError(status, response.headers, "body is not JSON")


def build_http_client(timeout: float) -> httpx.Client:
    return httpx.Client(timeout=timeout, event_hooks={"response": [guard_response]})


class SharedTransport:
    """An sp_api HttpxTransport over a shared httpx.Client that client.close() cannot close.

    One pooled client per factory keeps TLS connections warm across calls in a warm
    Lambda; a library `with Client(...)` block would otherwise close it for everyone.
    """

    def __init__(self, client: httpx.Client) -> None:
        self._inner = HttpxTransport(client=client)

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        response: httpx.Response = self._inner.request(method, url, **kwargs)
        return response

    def stream(self, method: str, url: str, **kwargs: Any) -> AbstractContextManager[httpx.Response]:
        streamed: AbstractContextManager[httpx.Response] = self._inner.stream(method, url, **kwargs)
        return streamed

    def close(self) -> None:
        """The factory owns the httpx client; see SpApiFactory.close()."""
