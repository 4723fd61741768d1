"""Asynchronous invocation of another Lambda function (InvocationType=Event).

The boto3 Lambda client is created on first use: the Slack function's cold start and the demo (which may
run without an AWS region) never build it unless a job is actually sent. Any object with boto3's
`invoke(FunctionName=, InvocationType=, Payload=)` can stand in for it: the local emulation runs the
target handler in-process on a thread (bot/local/lambda_emulation.py), tests record the events.
"""

from __future__ import annotations

import json
import logging
import threading
from typing import Any, Protocol

# Lambda refuses an asynchronous invocation payload over 256 KB; checked here so the caller can say why.
MAX_ASYNC_PAYLOAD_BYTES = 256 * 1024

log = logging.getLogger("sellerbot.lambda_invoke")


class LambdaClient(Protocol):
    def invoke(self, *, FunctionName: str, InvocationType: str, Payload: bytes) -> Any: ...


class InvokeFailed(Exception):
    """The event was not handed to Lambda; `reason` says why in words a user can read."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class AsyncInvoker:
    """Sends JSON events to one function, fire and forget (Lambda queues them; the target reports on its own)."""

    def __init__(self, function_name: str, *, client: LambdaClient | None = None, endpoint_url: str | None = None):
        self.function_name = function_name
        self.endpoint_url = endpoint_url
        self._client = client
        self._lock = threading.Lock()

    @property
    def client(self) -> LambdaClient:
        with self._lock:
            if self._client is None:
                import boto3  # lazy: ~100 ms of import, and only a chart request needs it

                self._client = boto3.client("lambda", endpoint_url=self.endpoint_url)
            return self._client

    def invoke(self, event: dict[str, Any]) -> None:
        """Queue `event` for the function; raises InvokeFailed (never a boto3 error) when Lambda would not."""
        payload = json.dumps(event, separators=(",", ":")).encode()
        if len(payload) > MAX_ASYNC_PAYLOAD_BYTES:
            raise InvokeFailed(f"the request is too large to hand over ({len(payload) // 1024} KB, at most 256 KB)")
        try:
            response = self.client.invoke(FunctionName=self.function_name, InvocationType="Event", Payload=payload)
        except Exception as exc:  # boto3/botocore errors, no region, no credentials: all mean "not sent"
            log.warning("async invoke of %s failed: %s", self.function_name, type(exc).__name__)
            raise InvokeFailed("the function that does it could not be reached") from exc
        status = int((response or {}).get("StatusCode", 202))
        if status != 202:
            log.warning("async invoke of %s returned status %s", self.function_name, status)
            raise InvokeFailed("the function that does it did not accept the request")
