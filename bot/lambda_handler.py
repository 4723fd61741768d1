"""AWS Lambda entry point: `bot.lambda_handler.handler`.

HTTP API events from Slack go through the gate, then Bolt. Lazy-listener
re-invocations (Bolt invokes this same function asynchronously) skip the
dedupe step but are verified again.

The Bolt app, its Lambda adapter and the gate are built here, over the process runtime, once per
container (at init on Lambda, where SnapStart snapshots them: bot/snapstart.py). The boto3 Lambda
client is created on the first lazy-listener invocation: a plain ack never needs it, and creating
it at init would need an AWS region (NoRegionError without one) and ~150 ms of boto3 import. The
local server and the test harness (bot/local/) install the same entry with an in-process Lambda
client, so local runs take this path too.
"""

from __future__ import annotations

import gc
import logging
import os
import time
from dataclasses import dataclass
from typing import Any

from slack_bolt import App, BoltRequest
from slack_bolt.adapter.aws_lambda import SlackRequestHandler
from slack_bolt.adapter.aws_lambda.handler import to_aws_response
from slack_bolt.adapter.aws_lambda.lazy_listener_runner import LambdaLazyListenerRunner

from bot import runtime as _runtime
from bot import snapstart  # noqa: F401  (registers the SnapStart runtime hooks)
from bot.app import build_app
from bot.gate import GateDecision, RequestGate, event_body, is_lazy_reinvocation, lambda_response
from bot.logging_setup import configure_logging, lambda_entry, set_correlation, slack_request_id
from infra import metrics

configure_logging()
log = logging.getLogger("sellerbot.lambda")


class LazyLambdaClient:
    """boto3's Lambda client, created on the first `invoke` (all Bolt's lazy-listener runner calls)."""

    def __init__(self, endpoint_url: str | None = None) -> None:
        self.endpoint_url = endpoint_url
        self._client: Any = None

    def invoke(self, **kwargs: Any) -> Any:
        if self._client is None:
            import boto3  # only a lazy listener needs it; the ack path never does

            self._client = boto3.client("lambda", endpoint_url=self.endpoint_url)
        return self._client.invoke(**kwargs)


@dataclass
class SlackEntry:
    """What a Slack request passes through: the gate, then Bolt's Lambda adapter over the app."""

    runtime: _runtime.Runtime
    app: App
    slack_handler: SlackRequestHandler
    gate: RequestGate

    def dispatch(self, event: dict[str, Any], context: Any, body: dict[str, Any] | None) -> dict[str, Any]:
        """What the adapter's `handle` does with a POST (an HTTP request from Slack, or Bolt's lazy re-invocation
        of one), except that Bolt dispatches on `body`, the gate's parse of the request, instead of parsing it
        again: the ack's biggest single cost was that second parse, and the listeners now see exactly the
        values the gate checked (Bolt's own parse reads a form whose text contains "payload" as empty)."""
        http = (event.get("requestContext") or {}).get("http") or {}
        method = http.get("method") or (event.get("requestContext") or {}).get("httpMethod")
        if method != "POST" or body is None:
            return self.slack_handler.handle(event, context)
        headers = event["headers"] = event.get("headers") or {}  # the lazy runner adds to the event's
        # As the adapter's to_bolt_request: HTTP API v2 cookies, else v1's multi-value header.
        multi = event.get("multiValueHeaders") or {}
        headers["cookie"] = event.get("cookies") or multi.get("cookie") or multi.get("Cookie") or []
        # BoltRequest takes a parsed body only in its socket mode; it then keeps no raw body and copies the
        # dict. Switched back to HTTP mode with the raw body, it is the request the adapter would build.
        request = BoltRequest(body=body, query=event.get("queryStringParameters"), headers=headers, mode="socket_mode")
        request.raw_body = event_body(event)
        request.mode = "http"
        request.context["aws_lambda_function_name"] = context.function_name
        request.context["aws_lambda_invoked_function_arn"] = context.invoked_function_arn
        request.context["lambda_request"] = event
        return to_aws_response(self.app.dispatch(request))


def build_slack_entry(rt: _runtime.Runtime, *, lambda_client: Any = None) -> SlackEntry:
    """The Bolt app over `rt`. `lambda_client` is what lazy listeners re-invoke this function with
    (boto3's Lambda client by default; the local server's runs them in-process)."""
    settings, deps = rt.settings, rt.deps
    app = build_app(deps)
    slack_handler = SlackRequestHandler(app)
    slack_handler.app.listener_runner.lazy_listener_runner = LambdaLazyListenerRunner(
        slack_handler.logger, lambda_client=lambda_client or LazyLambdaClient(settings.aws_endpoint_url)
    )
    gate = RequestGate(
        settings.slack_signing_secret.get_secret_value(),
        deps.store,
        allowed_team_ids=settings.allowed_team_ids,
        allowed_api_app_ids=settings.allowed_api_app_ids,
        allowed_enterprise_ids=settings.allowed_enterprise_ids,
        dedupe_ttl_seconds=settings.dedupe_ttl_seconds,
        clock=deps.clock,
    )
    return SlackEntry(runtime=rt, app=app, slack_handler=slack_handler, gate=gate)


_entry: SlackEntry | None = None


def current_entry() -> SlackEntry:
    """The entry over the process runtime, built on first use (and again if another runtime is installed)."""
    global _entry
    rt = _runtime.current()
    if _entry is None or _entry.runtime is not rt:
        started = time.perf_counter()
        _entry = build_slack_entry(rt)
        log.info("Slack entry built in %.0f ms", (time.perf_counter() - started) * 1000)
    return _entry


def install_entry(entry: SlackEntry | None) -> SlackEntry | None:
    """Use `entry` for this process (local server, tests); None resets."""
    global _entry
    _entry = entry
    return entry


def finish_init() -> None:
    """The end of init: everything built so far lives as long as the container, so it is moved out of the
    garbage collector's reach (`gc.freeze`); the collections a request triggers then walk only what requests
    allocate, which keeps long pauses out of the ack's p99."""
    gc.collect()
    gc.freeze()


if os.environ.get("AWS_LAMBDA_FUNCTION_NAME"):
    # Lambda's init phase runs with a CPU boost and outside the ack window.
    current_entry()
    metrics.prepare()
    finish_init()


@metrics.log_metrics
@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    started = time.perf_counter()
    entry = current_entry()
    decision = entry.gate.check(event)
    if decision.response is not None:
        return decision.response
    request_id = slack_request_id(decision.body)
    if request_id:  # Slack's id: the ack and its lazy runs (and Slack's retries of an event) share it
        set_correlation(request_id)
    response = _dispatch(entry, decision, event, context)
    if not is_lazy_reinvocation(event):
        if (decision.body or {}).get("command") and int(response.get("statusCode", 500)) < 500:
            metrics.count(metrics.COMMANDS_HANDLED)
        if time.perf_counter() - started > metrics.SLOW_ACK_SECONDS:
            metrics.count(metrics.SLOW_ACKS)
    return response


def _dispatch(entry: SlackEntry, decision: GateDecision, event: dict[str, Any], context: Any) -> dict[str, Any]:
    try:
        response = entry.dispatch(event, context, decision.body)
    except Exception:
        if decision.delivery:
            entry.gate.release(decision.delivery)
        log.exception("request handling failed")
        return lambda_response(500, "internal error")
    if decision.delivery and int(response.get("statusCode", 500)) >= 500:
        entry.gate.release(decision.delivery)
    return response
