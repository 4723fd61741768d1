"""Run the Lambda handler in-process, exactly as API Gateway and Lambda would call it."""

from __future__ import annotations

import base64
import json
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any, Protocol

FUNCTION_NAME = "sellerbot-local-slack"
FUNCTION_ARN = f"arn:aws:lambda:us-east-1:000000000000:function:{FUNCTION_NAME}"
# The local stand-in for the `charts` function (SELLERBOT_CHARTS_FUNCTION on AWS): routed to its handler.
CHARTS_FUNCTION_NAME = "sellerbot-local-charts"


class LocalContext:
    """The attributes of a Lambda context object the bot and Bolt read."""

    function_name = FUNCTION_NAME
    invoked_function_arn = FUNCTION_ARN
    memory_limit_in_mb = 512

    def __init__(self, timeout_seconds: float = 30.0) -> None:
        self.aws_request_id = str(uuid.uuid4())
        self._deadline = time.monotonic() + timeout_seconds

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def http_api_event(body: str | bytes, headers: dict[str, str], path: str = "/slack/events") -> dict[str, Any]:
    """An API Gateway HTTP API (payload v2.0) event for one POST."""
    raw = body.encode() if isinstance(body, str) else body
    try:
        text, encoded = raw.decode("utf-8"), False
    except UnicodeDecodeError:
        text, encoded = base64.b64encode(raw).decode(), True
    return {
        "version": "2.0",
        "routeKey": f"POST {path}",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {k.lower(): v for k, v in headers.items()},
        "requestContext": {
            "http": {"method": "POST", "path": path, "sourceIp": "127.0.0.1"},
            "requestId": str(uuid.uuid4()),
        },
        "body": text,
        "isBase64Encoded": encoded,
    }


class LocalLambda(Protocol):
    """What Bolt's lazy-listener runner calls (`invoke`), and what local runs wait on."""

    def invoke(
        self, FunctionName: str, InvocationType: str = "Event", Payload: str | bytes = b"{}", **_: Any
    ) -> dict[str, Any]: ...

    def wait_idle(self, timeout: float = 10.0) -> bool: ...

    @property
    def inflight(self) -> int: ...


Handler = Callable[[dict[str, Any], Any], Any]


class InProcessLambda:
    """Stands in for boto3's Lambda client: `invoke(InvocationType="Event")` runs the handler on a thread.

    Bolt's lazy-listener runner calls exactly this method, and so does the chart job's invoker
    (infra/lambda_invoke.py): `routes` names the other functions' handlers (the charts function), every
    other name runs `handler`. Tests and the local server can then wait until every lazy listener and
    every chart job has finished.
    """

    def __init__(self, handler: Handler, routes: dict[str, Handler] | None = None) -> None:
        self._handler = handler
        self._routes = dict(routes or {})
        self._inflight = 0
        self._cond = threading.Condition()
        self.invocations: list[dict[str, Any]] = []
        self.errors: list[BaseException] = []

    def invoke(
        self, FunctionName: str, InvocationType: str = "Event", Payload: str | bytes = b"{}", **_: Any
    ) -> dict[str, Any]:
        event = json.loads(Payload)
        with self._cond:
            self._inflight += 1
            self.invocations.append({"FunctionName": FunctionName, "InvocationType": InvocationType})
        handler = self._routes.get(FunctionName, self._handler)
        name = "lazy-listener" if handler is self._handler else FunctionName
        thread = threading.Thread(target=self._run, args=(handler, event), daemon=True, name=name)
        thread.start()
        return {"StatusCode": 202}

    def _run(self, handler: Handler, event: dict[str, Any]) -> None:
        try:
            handler(event, LocalContext())
        except BaseException as exc:
            self.errors.append(exc)
        finally:
            with self._cond:
                self._inflight -= 1
                self._cond.notify_all()

    @property
    def inflight(self) -> int:
        with self._cond:
            return self._inflight

    def wait_idle(self, timeout: float = 10.0) -> bool:
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._inflight:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._cond.wait(remaining)
        return True
