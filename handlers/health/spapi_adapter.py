"""The `fetch.SpApiCall` port on python-amazon-sp-api, through the shared infra.spapi factory.

`ReportsGateway(factory).caller(account, "US", deadline=...)` gives the
`call(operation, **params)` that `handlers.health.fetch` expects; every call goes
through the factory's token buckets (createReport / getReportDocument 0.0167/s,
burst 15, per seller × app) and the one retry policy. `download(url)` is a plain
HTTPS GET of the pre-signed document URL (no SP-API auth, no rate limit), streamed and
stopped past MAX_DOWNLOAD_BYTES.
"""

from __future__ import annotations

from typing import Any

import httpx

from handlers.health.fetch import SpApiCall
from handlers.health.report import ReportUnreadable
from handlers.spapi_port import JsonObject, SpApiFactoryLike
from infra.accounts import AccountConfig

DOWNLOAD_TIMEOUT_SECONDS = 20.0
# Default 100 MB: the most of a report document (compressed, as sent) `download` reads. A V2 performance
# report is a few hundred KB; past the cap the download stops and ReportUnreadable is raised (nothing returned).
MAX_DOWNLOAD_BYTES = 100 * 1024 * 1024


def _payload(response: Any) -> JsonObject:
    """The JSON payload of a library response (or of a plain dict), unwrapped from `{"payload": ...}`."""
    payload = getattr(response, "payload", response)
    if isinstance(payload, dict) and "payload" in payload and isinstance(payload["payload"], dict):
        payload = payload["payload"]
    return payload if isinstance(payload, dict) else {}


class ReportsGateway:
    def __init__(self, factory: SpApiFactoryLike, *, download_timeout: float = DOWNLOAD_TIMEOUT_SECONDS) -> None:
        self.factory = factory
        self.download_timeout = download_timeout
        self._http: httpx.Client | None = None

    def caller(self, account: AccountConfig, marketplace_code: str, *, deadline: float | None = None) -> SpApiCall:
        # Lazy: python-amazon-sp-api costs ~170 ms to import; only a report fetch pays it (Lambda cold start).
        from sp_api.api import Reports

        client = self.factory.client(Reports, account, marketplace_code)
        factory = self.factory

        def call(operation: str, **params: Any) -> JsonObject:
            if operation == "createReport":
                body = dict(params.get("body") or {})
                return _payload(factory.call("createReport", account, client.create_report, deadline=deadline, **body))
            if operation == "getReport":
                return _payload(
                    factory.call("getReport", account, client.get_report, params["reportId"], deadline=deadline)
                )
            if operation == "getReportDocument":
                return _payload(
                    factory.call(
                        "getReportDocument",
                        account,
                        client.get_report_document,
                        params["reportDocumentId"],
                        download=False,
                        deadline=deadline,
                    )
                )
            raise ValueError(f"operation {operation!r} is not a Reports operation this adapter knows")

        return call

    def download(self, url: str) -> bytes:
        if self._http is None:
            self._http = httpx.Client(timeout=self.download_timeout, follow_redirects=True)
        cap = MAX_DOWNLOAD_BYTES
        mb = f"{cap / (1024 * 1024):g} MB"
        with self._http.stream("GET", url) as response:
            response.raise_for_status()
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > cap:
                raise ReportUnreadable(
                    f"the report document is larger than {mb} ({declared} bytes); it was not downloaded"
                )
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > cap:
                    raise ReportUnreadable(f"the report document is larger than {mb}; the download was stopped")
        return bytes(body)
