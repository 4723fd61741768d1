"""AWS Lambda entry point: `bot.lambda_handler.handler`.

HTTP API events from Slack go through the gate, then Bolt. Lazy-listener
re-invocations (Bolt invokes this same function asynchronously) skip the
dedupe step but are verified again.
"""
from __future__ import annotations

import json
import logging
import os
from typing import Any

from bot import runtime as _runtime
from bot.gate import event_body, lambda_response
from infra.store.base import StoreUnavailable
from bot.logging_setup import configure_logging

configure_logging()
log = logging.getLogger("sellerbot.lambda")

if os.environ.get("AWS_LAMBDA_FUNCTION_NAME"):
    # Lambda's init phase runs with a CPU boost and outside the ack window.
    _runtime.current()


BUSY_TEXT = ("sellerbot's database is throttled right now, so nothing was done. "
             "Please try again in a minute.")


def _store_busy(event: dict[str, Any], exc: Exception) -> dict[str, Any]:
    """The dedupe claim could not be written: refuse clearly (nothing ran, nothing was claimed)."""
    log.error("refused: store unavailable before handling (%s)", type(exc).__name__)
    if "command=" in event_body(event):  # a slash command: the ack itself can tell the user
        return lambda_response(200, json.dumps({"response_type": "ephemeral", "text": BUSY_TEXT}),
                               "application/json")
    return lambda_response(503, "store unavailable; retry later")  # Events API retries 5xx


def _release(rt: Any, delivery: str | None) -> None:
    if delivery:
        try:
            rt.gate.release(delivery)
        except StoreUnavailable:
            log.error("could not release delivery claim %s; a Slack retry of it will be dropped", delivery)


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    rt = _runtime.current()
    try:
        decision = rt.gate.check(event)
    except StoreUnavailable as exc:
        return _store_busy(event, exc)
    if decision.response is not None:
        return decision.response
    try:
        response = rt.slack_handler.handle(event, context)
    except Exception:
        _release(rt, decision.delivery)
        log.exception("request handling failed")
        return lambda_response(500, "internal error")
    if decision.delivery and int(response.get("statusCode", 500)) >= 500:
        _release(rt, decision.delivery)
    return response
