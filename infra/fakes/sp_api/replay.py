"""A stand-in SP-API that answers with Amazon's own sandbox responses, verbatim.

For every operation in the vendored models it serves the `x-amzn-api-sandbox` static response
whose request parameters the call carries (TEST_CASE_200 ...) or, failing that, the operation's
first successful one: what Amazon's sandbox endpoint answers, and what outside checks replay
against the CLI. Requests are checked against the model as in FakeSpApi.

    with SandboxReplay(edits={"getOrder": move_dates_into_window}) as amazon:
        ...  # amazon.base_url for SELLERBOT_SPAPI_ENDPOINT and SELLERBOT_LWA_ENDPOINT

`edits[operationId](payload) -> payload` changes an answer where a test needs it (today's dates
instead of 1970's, a field removed as Amazon documents it can be); the edited answer must still
pass the model, or the stand-in answers 500 and records the violation. Report documents: the
sandbox getReportDocument URL is a CloudFront address no test can reach, so `documents` maps a
reportDocumentId to the bytes served at the stand-in's own /_replay/documents/ID instead.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from infra.fakes.sp_api.contract import AmazonModels, amazon_models
from infra.fakes.sp_api.http import LoopbackServer, Response, error_response, json_response
from infra.fakes.sp_api.server import parse_body, sandbox_case_for

Edit = Callable[[Any], Any]
_DOCUMENT = re.compile(r"^/_replay/documents/(?P<id>[^/]+)$")


@dataclass(frozen=True)
class ReplayedCall:
    operation: str
    method: str
    path: str
    query: dict[str, list[str]]


class SandboxReplay(LoopbackServer):
    def __init__(
        self,
        edits: Mapping[str, Edit] | None = None,
        *,
        documents: Mapping[str, bytes] | None = None,
        models: AmazonModels | None = None,
        port: int = 0,
    ) -> None:
        super().__init__(port=port, name="sandbox-replay")
        self.models = models or amazon_models()
        self.edits = dict(edits or {})
        self.documents = dict(documents or {})
        self.calls: list[ReplayedCall] = []

    def operations(self) -> list[str]:
        return [c.operation for c in self.calls]

    def credentials_env(self, account: str = "acme") -> dict[str, str]:
        """SELLERBOT_* variables that point the bot at this stand-in (any credentials are accepted)."""
        return {
            "SELLERBOT_SPAPI_ENDPOINT": self.base_url,
            "SELLERBOT_LWA_ENDPOINT": self.base_url,
            "SELLERBOT_LWA_APP_ID": "amzn1.application-oa2-client.sandbox",
            "SELLERBOT_LWA_CLIENT_SECRET": "sandbox",
            f"SELLERBOT_REFRESH_TOKEN_{account.upper().replace('-', '_')}": "Atzr|sandbox",
        }

    def handle(self, method: str, raw_path: str, headers: Mapping[str, str], body: bytes) -> Response:
        parts = urlsplit(raw_path)
        path, query = parts.path, parse_qs(parts.query, keep_blank_values=True)
        if method == "POST" and path == "/auth/o2/token":
            return json_response(200, {"access_token": "Atza|sandbox", "token_type": "bearer", "expires_in": 3600})
        document = _DOCUMENT.match(path)
        if method == "GET" and document:
            found = self.documents.get(document.group("id"))
            return (
                Response(200, found)
                if found is not None
                else Response(404, b"<Error>NoSuchKey</Error>", "application/xml")
            )
        modelled = self.models.operation(method, path)
        if modelled is None:
            return error_response(404, "NotFound", f"{method} {path} is in none of Amazon's vendored models.")
        op, path_params = modelled
        with self._lock:
            self.calls.append(ReplayedCall(op.operation_id, method, path, query))
        refused = self.refuse_off_model(op, path_params, query, parse_body(body, headers.get("content-type", "")))
        if refused is not None:
            return refused
        case = sandbox_case_for(op, path_params, query) or next(
            (c for c in op.sandbox_cases() if 200 <= c.status < 300), None
        )
        if case is None:
            return error_response(501, "NotImplemented", f"Amazon's model has no sandbox answer for {op.operation_id}.")
        payload = copy.deepcopy(case.response)
        edit = self.edits.get(op.operation_id)
        if edit is not None:
            payload = edit(payload)
        if op.operation_id == "getReportDocument" and isinstance(payload, dict):
            payload["url"] = f"{self.base_url}/_replay/documents/{payload.get('reportDocumentId', '')}"
        response = json_response(case.status, payload) if payload is not None else Response(case.status)
        response.headers["x-amzn-RequestId"] = "sandbox-replay"
        return self.checked_answer(op, response) if edit is not None else response
