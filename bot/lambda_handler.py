"""AWS Lambda entry point: `bot.lambda_handler.handler`.

HTTP API events from Slack go through the gate, then Bolt. Lazy-listener
re-invocations (Bolt invokes this same function asynchronously) skip the
dedupe step but are verified again.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from bot import runtime as _runtime
from bot.gate import lambda_response
from bot.logging_setup import configure_logging

configure_logging()
log = logging.getLogger("sellerbot.lambda")

if os.environ.get("AWS_LAMBDA_FUNCTION_NAME"):
    # Lambda's init phase runs with a CPU boost and outside the ack window.
    _runtime.current()


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    rt = _runtime.current()
    decision = rt.gate.check(event)
    if decision.response is not None:
        return decision.response
    try:
        response = rt.slack_handler.handle(event, context)
    except Exception:
        if decision.delivery:
            rt.gate.release(decision.delivery)
        log.exception("request handling failed")
        return lambda_response(500, "internal error")
    if decision.delivery and int(response.get("statusCode", 500)) >= 500:
        rt.gate.release(decision.delivery)
    return response
