"""The records Lambda puts in the lazy listeners' failure destination, read for the ops alarm (issue 20).

An asynchronous invocation that failed its retries (or grew older than `maximumEventAge`) arrives as an
invocation record: `requestContext.condition` (RetriesExhausted / EventAgeExceeded), `requestPayload` (the
event Bolt sent, whose `x-slack-bolt-lazy-function-name` header names the listener) and, for a failed run,
`responsePayload.errorType`. Only the listener, the condition and the error type are kept: the payload
holds the user's Slack request and the error message may quote it.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

LAZY_NAME_HEADER = "x-slack-bolt-lazy-function-name"


class LazyFailure(BaseModel):
    listener: str
    condition: str
    error_type: str | None = None
    request_id: str | None = None
    at: str | None = None


def parse_failure(body: str) -> LazyFailure | None:
    """One invocation record; None for a body that is not one."""
    try:
        record: dict[str, Any] = json.loads(body)
    except ValueError:
        return None
    if not isinstance(record, dict) or "requestContext" not in record:
        return None
    context = record.get("requestContext") or {}
    payload = record.get("requestPayload") or {}
    headers = payload.get("headers") if isinstance(payload, dict) else None
    response = record.get("responsePayload")
    return LazyFailure(
        listener=str((headers or {}).get(LAZY_NAME_HEADER) or "unknown listener"),
        condition=str(context.get("condition") or "unknown"),
        error_type=str(response.get("errorType")) if isinstance(response, dict) and response.get("errorType") else None,
        request_id=context.get("requestId"),
        at=record.get("timestamp"),
    )
