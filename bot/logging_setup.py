"""Logging that cannot leak: every record is scrubbed of secrets and buyer PII.

Scrubbing happens when a record is created, so it applies to Bolt's,
slack-sdk's and botocore's records too, whatever handler prints them. It is
installed when this module is imported (bot.runtime imports it, so every
entry point, workers included, scrubs), and again by `configure_logging`.

At DEBUG, Bolt's Lambda adapter logs each incoming event whole (the
`x-slack-signature` header, the body with its `response_url`) and slack_sdk
logs each request it sends (a `respond()` posts to the `response_url`, which
lets its reader post as the app for 30 minutes). Those records keep their
first words only. Slack webhook / response URLs and request signatures are
redacted wherever else they turn up, and every secret a credentials source
hands out (LWA client secret, refresh tokens, Slack signing secret and bot
token) is registered with the scrubber as it is read (infra.secrets).
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import threading
from collections.abc import Callable
from typing import Any, TextIO

from infra import secrets as _app_secrets

_PATTERNS = [
    (re.compile(r"xox[abposr]-[A-Za-z0-9-]+"), "xox?-[redacted]"),
    (re.compile(r"Atz[ar]\|[A-Za-z0-9|_\-.]+"), "Atz?|[redacted]"),
    (re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"), "[email redacted]"),
    (re.compile(r"(?i)(client_secret|refresh_token|signing_secret|password)=([^&\s]+)"), r"\1=[redacted]"),
    # A response_url or incoming webhook, plain, url-encoded (in a form body) or JSON-escaped: it posts as the app.
    (re.compile(r"(?i)hooks\.slack\.com(?:/|\\/|%2F)[^\s\"'<>&,;)}\]]*"), "hooks.slack.com/[redacted]"),
    # A request signature, under its header name or on its own (v0= and 64 hex digits).
    (re.compile(r"(?i)(x-slack-signature['\"]?\s*[:=]\s*['\"]?)[^'\"\s,;}]+"), r"\1[redacted]"),
    (re.compile(r"(?i)\bv0=[0-9a-f]{64}\b"), "v0=[redacted]"),
]
# Whole-request dumps: Bolt's Lambda adapter ("Incoming event: {event}"), its Chalice one, its signature check's
# failure line, slack_sdk's webhook and Web API clients ("Sending a request - url: …, body: …, headers: …" and
# "Received the following response - …"). Bolt copies the root level into its loggers when an app is built, so
# a level cannot quiet them: the record keeps its first words and loses the request.
_REQUEST_DUMP = re.compile(
    r"^(Incoming event|Incoming request|Sending a request|Received the following response"
    r"|Invalid request signature detected)\b"
)
# slack_sdk's loggers that print whole requests and responses at DEBUG (they take their level from here).
REQUEST_LOGGERS = ("slack_sdk.webhook", "slack_sdk.web.base_client", "slack_sdk.web.internal_utils")
# A URL query string that carries a signature or a credential (S3/SigV4 presigned report documents,
# SigV2, Azure SAS...): the whole query is replaced, the scheme, host and path stay readable.
_URL_QUERY = re.compile(r"\?([^\s\"'<>]+)")
_SIGNED_QUERY = re.compile(
    r"(?i)(?:^|[&;])(?:x-amz-signature|x-amz-credential|x-amz-security-token|signature|sig|awsaccesskeyid)(?:=|%3D)"
)
# Their INFO lines print every request URL, presigned ones included.
QUIET_LOGGERS = ("httpx", "httpcore", "urllib3", "botocore")
_secrets: set[str] = set()
_lock = threading.Lock()


def register_secret(value: str) -> None:
    """Add a value that must never appear in a log line."""
    if value and len(value) >= 6:
        with _lock:
            _secrets.add(value)


def scrub(text: str) -> str:
    dump = _REQUEST_DUMP.match(text)
    if dump:
        return f"{dump.group(1)}: [request withheld from logs]"
    for secret in list(_secrets):
        if secret in text:
            text = text.replace(secret, "[secret redacted]")
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return _URL_QUERY.sub(_redact_signed_query, text)


def _redact_signed_query(match: re.Match[str]) -> str:
    return "?[redacted]" if _SIGNED_QUERY.search(match.group(1)) else match.group(0)


RecordFactory = Callable[..., logging.LogRecord]


def _scrubbed_record_factory(base: RecordFactory) -> RecordFactory:
    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = base(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:
            message = str(record.msg)
        record.msg, record.args = scrub(message), None
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = scrub(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return record

    factory._sellerbot = True  # type: ignore[attr-defined]
    return factory


_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {"level": record.levelname, "logger": record.name, "message": record.getMessage()}
        entry.update({k: v for k, v in record.__dict__.items() if k not in _STANDARD and not k.startswith("_")})
        if record.exc_text:
            entry["exception"] = record.exc_text
        return scrub(json.dumps(entry, default=str))


_handlers_installed = False


def install_scrubber() -> None:
    """Scrub every record from now on (idempotent)."""
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    for name in REQUEST_LOGGERS:
        logging.getLogger(name).setLevel(logging.INFO)
    _app_secrets.on_secret_read(register_secret)
    base = logging.getLogRecordFactory()
    if not getattr(base, "_sellerbot", False):
        logging.setLogRecordFactory(_scrubbed_record_factory(base))


def configure_logging(level: str | None = None, stream: TextIO | None = None) -> None:
    # Scrubbing at record creation covers every handler, including ones
    # installed later by Lambda, pytest or a library.
    global _handlers_installed
    install_scrubber()
    if _handlers_installed:
        return
    _handlers_installed = True
    root = logging.getLogger()
    # Lambda installs its own root handler; replace it so our filter applies.
    for handler in list(root.handlers):
        root.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    root.addHandler(handler)
    root.setLevel(level or os.environ.get("SELLERBOT_LOG_LEVEL", "INFO"))


# On import: a worker or a script that never calls configure_logging still scrubs what it logs.
install_scrubber()
