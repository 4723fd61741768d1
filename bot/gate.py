"""What every HTTP request from Slack passes before Bolt dispatches it.

Order matters: the signature is checked before the body is trusted enough to
parse, and a redelivery is dropped before any listener can act on it.

The one request answered before the signature check is Slack's `ssl_check` probe
(`ssl_check=1&token=…`, https://api.slack.com/interactivity/slash-commands): it asks
only for an HTTP 200, carries nothing to act on, and nothing is read, stored or run for
it. Bolt answers it the same way, in its SslCheck middleware, ahead of RequestVerification.
"""

from __future__ import annotations

import base64
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk.signature import SignatureVerifier

from bot.payloads import (
    EventCallback,
    MalformedPayload,
    Payload,
    SlashCommand,
    Tenancy,
    delivery_key,
    is_ssl_check,
    parse_request,
    tenancy_of,
)
from infra.store.base import Item, Store, StoreUnavailable

log = logging.getLogger("sellerbot.gate")

LAZY_HEADERS = ("x-slack-bolt-lazy-only", "x-slack-bolt-lazy-function-name")
# Default 1 MB: the largest request body the gate reads. Slack's payloads (slash commands, block actions,
# view submissions, events) are a few KB; a larger body (or a larger declared Content-Length) is answered
# 413 before its signature is checked or it is parsed.
MAX_BODY_BYTES = 1024 * 1024
BUSY_TEXT = "sellerbot's database is throttled right now, so nothing was done. Please try again in a minute."


@dataclass
class GateDecision:
    response: dict[str, Any] | None  # set when the request ends here
    payload: Payload | None = None
    delivery: str | None = None  # dedupe key claimed for this request
    # The body as parsed and checked here, for Bolt to dispatch on (bot/lambda_handler.py) instead of parsing it again.
    body: dict[str, Any] | None = None


def lambda_response(status: int, body: str = "", content_type: str = "text/plain") -> dict[str, Any]:
    return {"statusCode": status, "body": body, "headers": {"content-type": content_type}}


def _store_busy(payload: Payload, exc: Exception) -> dict[str, Any]:
    """The dedupe claim could not be written: refuse clearly (nothing ran, nothing was claimed)."""
    log.error("refused: store unavailable before handling (%s)", type(exc).__name__)
    if isinstance(payload, SlashCommand):  # the ack itself can tell the user
        return lambda_response(200, json.dumps({"response_type": "ephemeral", "text": BUSY_TEXT}), "application/json")
    return lambda_response(503, "store unavailable; retry later")  # Events API retries 5xx


def _headers(event: dict[str, Any]) -> dict[str, str]:
    # Bolt's lazy re-invocation carries list values, some empty (`cookie: []`).
    return {
        str(k).lower(): ((v[0] if v else "") if isinstance(v, list) else str(v))
        for k, v in (event.get("headers") or {}).items()
    }


def event_body(event: dict[str, Any]) -> str:
    body = event.get("body") or ""
    if event.get("isBase64Encoded"):
        body = base64.b64decode(body).decode("utf-8", errors="replace")
    return body


def _is_ssl_check(event: dict[str, Any], body: str, headers: dict[str, str]) -> bool:
    method = str(
        ((event.get("requestContext") or {}).get("http") or {}).get("method")
        or (event.get("requestContext") or {}).get("httpMethod")
        or "POST"
    ).upper()
    if method == "GET":  # the older slash-command docs describe the probe as a GET with ?ssl_check=1
        return is_ssl_check(str(event.get("rawQueryString") or ""), "")
    return is_ssl_check(body, headers.get("content-type", ""))


def is_lazy_reinvocation(event: dict[str, Any]) -> bool:
    # Only a direct (IAM-authorised) Lambda invoke can set the top-level
    # "method"; an HTTP caller can forge the lazy headers but not this.
    return event.get("method") == "NONE" and "x-slack-bolt-lazy-only" in _headers(event)


class RequestGate:
    def __init__(
        self,
        signing_secret: str,
        store: Store,
        *,
        allowed_team_ids: list[str] | None = None,
        allowed_api_app_ids: list[str] | None = None,
        allowed_enterprise_ids: list[str] | None = None,
        dedupe_ttl_seconds: int = 3600,
        clock: Callable[[], float] = time.time,
        max_body_bytes: int | None = None,
    ) -> None:
        self._max_body = MAX_BODY_BYTES if max_body_bytes is None else max_body_bytes
        self._verifier = SignatureVerifier(signing_secret)
        self._store = store
        self._teams = set(allowed_team_ids or [])
        self._apps = set(allowed_api_app_ids or [])
        self._enterprises = set(allowed_enterprise_ids or [])
        self._ttl = dedupe_ttl_seconds
        self._clock = clock

    def _foreign(self, who: Tenancy) -> str | None:
        """What makes a correctly signed request not ours, if anything: another Slack app, another
        workspace or Grid organisation, or (in a channel shared with another organisation) a user of
        another workspace. An allowed Grid org admits all of its workspaces; a user counts as ours when
        their workspace is allowed, is the org itself (org-wide users) or is the request's own allowed
        workspace. Empty allow-lists (local runs) admit everyone; serverless.yml sets them from SSM."""
        if self._apps and who.app not in self._apps:
            return "app"
        if not (self._teams or self._enterprises):
            return None
        ours = self._teams | self._enterprises
        if who.team not in ours and who.enterprise not in self._enterprises:
            return "workspace"
        if who.user_team and who.user_team not in ours and who.user_team != who.team:
            return "user's workspace"
        return None

    def check(self, event: dict[str, Any]) -> GateDecision:
        headers = _headers(event)
        lazy = is_lazy_reinvocation(event)
        if not lazy:
            for name in LAZY_HEADERS:  # never let an HTTP caller pick a lazy listener
                for key in list((event.get("headers") or {}).keys()):
                    if str(key).lower() == name:
                        del event["headers"][key]
        too_big = self._too_big(event, headers)
        if too_big:
            log.warning("refused: request body too large", extra={"reason": too_big})
            return GateDecision(lambda_response(413, f"request body too large: {too_big}"))
        body = event_body(event)
        if len(body.encode("utf-8", errors="replace")) > self._max_body:
            log.warning("refused: request body too large", extra={"reason": "decoded body"})
            return GateDecision(lambda_response(413, f"request body too large: more than {self._max_body} bytes"))
        if not lazy and _is_ssl_check(event, body, headers):
            log.info("answered Slack's ssl_check")
            return GateDecision(lambda_response(200, ""))
        try:
            valid = self._verifier.is_valid(
                body=body,
                timestamp=headers.get("x-slack-request-timestamp", ""),
                signature=headers.get("x-slack-signature", ""),
            )
        except ValueError:  # slack-sdk int()s the timestamp header: "soon" would be a 500
            valid = False
        if not valid:
            log.warning("refused: invalid or stale Slack signature", extra={"reason": "signature"})
            return GateDecision(lambda_response(401, "invalid request signature"))
        try:
            payload, parsed = parse_request(body, headers.get("content-type", ""))
        except MalformedPayload as exc:
            log.warning("refused: malformed payload", extra={"reason": str(exc)})
            return GateDecision(lambda_response(400, f"malformed payload: {exc}"))
        who = tenancy_of(payload)
        foreign = self._foreign(who)
        if foreign:
            log.warning(
                "refused: foreign %s",
                foreign,
                extra={
                    "team_id": who.team,
                    "user_team": who.user_team,
                    "enterprise_id": who.enterprise,
                    "api_app_id": who.app,
                },
            )
            return GateDecision(lambda_response(401, "workspace or app not allowed"), payload)
        if lazy:
            return GateDecision(None, payload, body=parsed)
        if isinstance(payload, EventCallback) and payload.type == "app_rate_limited":  # (getattr on a model is slow)
            # Slack's notice that it is dropping our events for a minute: nothing to route, answer 200.
            log.warning("Slack is rate-limiting event deliveries", extra={"team_id": who.team})
            return GateDecision(lambda_response(200, ""), payload)
        key = delivery_key(payload)
        try:
            claimed = not key or self._claim(key)
        except StoreUnavailable as exc:
            return GateDecision(_store_busy(payload, exc), payload)
        if not claimed:
            log.info("dropped redelivery", extra={"delivery": key, "retry_num": headers.get("x-slack-retry-num")})
            return GateDecision(lambda_response(200, ""), payload)
        return GateDecision(None, payload, key, parsed)

    def _too_big(self, event: dict[str, Any], headers: dict[str, str]) -> str:
        """Why the body is over the cap, judged before it is decoded: the declared Content-Length, then the raw
        size (base64 is 4/3 of the bytes it carries). Empty when it is within the cap."""
        declared = headers.get("content-length", "").strip()
        if declared.isdigit() and int(declared) > self._max_body:
            return f"Content-Length {declared} is more than {self._max_body} bytes"
        raw = event.get("body") or ""
        allowed = self._max_body * 4 // 3 + 4 if event.get("isBase64Encoded") else self._max_body
        if len(raw) > allowed:
            return f"more than {self._max_body} bytes"
        return ""

    def _claim(self, key: str) -> bool:
        now = int(self._clock())
        return self._store.put_if_absent(
            Item(pk=f"DELIVERY#{key}", sk="-", data={"at": now}, expires_at=now + self._ttl)
        )

    def release(self, key: str) -> None:
        """Forget a claimed delivery whose handling failed, so Slack's retry may run."""
        try:
            self._store.delete(f"DELIVERY#{key}", "-")
        except StoreUnavailable:
            log.error("could not release delivery claim %s; a Slack retry of it will be dropped", key)
